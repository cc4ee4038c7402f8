import Testing
@testable import SaldoCLI

@Suite struct HelpTextTests {
    @Test func paragraphsJoinExamplesStay() {
        let text = """
        One sentence that goes on
        over two lines.

        Examples:
          saldo demo
          saldo import a.csv   # comment
        - a point
        that continues
        Last line.
        """
        #expect(prose(text) == """
        One sentence that goes on over two lines.

        Examples:
          saldo demo
          saldo import a.csv   # comment
        - a point that continues Last line.
        """)
    }

    /// Every command's help, as a user sees it without a terminal (80 columns): no example line
    /// is broken in two.
    @Test func examplesFitTheScreen() {
        let commands: [[String]] = [[], ["import"], ["rates"], ["report"], ["invoices"], ["forecast"], ["tax"], ["export"],
                                    ["demo"], ["config"], ["profiles"], ["accounts"], ["bench"], ["bench", "forecast"]]
        for c in commands {
            let r = SaldoCLI.capture(c + ["--help"])
            let help = r.out + r.err
            #expect(help.contains("USAGE:"), "saldo \(c.joined(separator: " ")) --help printed nothing")
            let lines = help.split(separator: "\n", omittingEmptySubsequences: false)
            for (i, line) in lines.enumerated().dropFirst() where lines[i - 1].hasPrefix("  saldo") {
                #expect(line.isEmpty || line.hasPrefix("  "), "saldo \(c.joined(separator: " ")): \(lines[i - 1]) / \(line)")
            }
        }
    }
}
