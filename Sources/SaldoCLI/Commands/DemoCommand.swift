import ArgumentParser
import Foundation
import SaldoCore
import SaldoReports
import SaldoStore
import SaldoTax

public struct DemoCommand: ParsableCommand {
    public init() {}
    public static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run Saldo end to end on bundled sample data, in a temporary ledger (never yours).",
        discussion: prose("""
        The demo freelancer, Lucía, translates and trains AI models from Valencia: Prolific and Outlier
        pay her in USD through PayPal, Upwork in USD, a UK agency in GBP through Wise, and a Spanish
        publisher by bank transfer against Facturae e-invoices with IRPF withheld. The demo imports her
        real-format statements and invoices, the ECB rates, and shows the monthly report, what currency
        conversions cost her, her invoices, next quarter's forecast and her next tax payment.

        Examples:
          saldo demo
          saldo demo --keep     # keep the demo ledger to try other commands on it
        """)
    )

    @Flag(help: "Keep the demo ledger and print its path.") var keep = false
    @Option(help: ArgumentHelp("The day the demo is computed for.", valueName: "date")) var today: String = "2026-11-15"

    public static var demoFolder: URL? { Bundle.module.url(forResource: "Demo", withExtension: nil) }

    /// The commands that build the demo ledger, run from the demo folder (and whether to show their output).
    static let setupSteps: [([String], Bool)] = [
        (["config", "set", "base-currency", "EUR"], false),
        (["config", "set", "tax-profile", "tax-profile.json"], false),
        (["rates", "import", "ecb-eurofxref-2024-2026.csv"], false),
        (["import", "paypal-activity-2025-2026.csv", "upwork-transactions.csv", "wise-statement-gbp.csv", "wise-statement-usd.csv",
          "wise-statement-eur.csv", "bank-ing-2025-2026.n43", "invoices", "--profiles", "lucia-rules.json"], true),
    ]

    /// Builds the demo ledger at `path` (for tests and benchmarks); returns the import output.
    public static func buildLedger(at path: String) throws -> String {
        guard let folder = demoFolder else { throw UserError("the bundled demo data is missing from this build") }
        var out = ""
        for (args, _) in setupSteps {
            // Absolute paths: tests run in parallel and must not depend on the working directory.
            let absolute = args.map { a in FileManager.default.fileExists(atPath: folder.appendingPathComponent(a).path) ? folder.appendingPathComponent(a).path : a }
            let r = SaldoCLI.capture(absolute + ["--ledger", path])
            out += r.out
            if r.status != 0 { throw UserError("demo step `saldo \(args.joined(separator: " "))` failed: \(r.err)") }
        }
        return out
    }

    public func run() throws {
        let console = Console.current
        guard let folder = Self.demoFolder else { throw UserError("the bundled demo data is missing from this build", hint: "rebuild with `swift build`") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("saldo-demo-\(UUID().uuidString.prefix(8))")
        // 0700: with --keep the ledger stays in a shared temporary folder.
        do { try PrivateFiles.createFolder(dir.path) } catch { throw UserError("cannot create \(error)") }
        let ledgerPath = dir.appendingPathComponent("ledger.sqlite").path
        defer { if !keep { try? FileManager.default.removeItem(at: dir) } }
        func saldo(_ args: [String], show: Bool = true) throws {
            let captured = Console(capturingWith: console.environment)
            let status = Console.$current.withValue(captured) { SaldoCLI.run(args + ["--ledger", ledgerPath]) }
            if show { console.out(captured.capturedOut, terminator: "") }
            if status != 0 && status != ExitStatus.problemsFound {
                console.err(captured.capturedErr)
                throw UserError("the demo step `saldo \(args.joined(separator: " "))` failed")
            }
        }
        func heading(_ s: String) { console.out("\n" + console.styled("━━ " + s + " " + String(repeating: "━", count: max(0, 76 - s.count)), .bold)) }
        // Work from the demo folder so that file names print short.
        let previousDirectory = FileManager.default.currentDirectoryPath
        _ = FileManager.default.changeCurrentDirectoryPath(folder.path)
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previousDirectory) }

        console.out(console.styled("Saldo demo", .bold) + ": Lucía, freelance translator and AI trainer in Valencia, January 2025 to October 2026.")
        console.out("Everything goes into a temporary ledger; your own is not touched. Figures as of \(today).")

        heading("1. Import her statements and e-invoices (detected by content, deduplicated)")
        for (args, show) in Self.setupSteps { try saldo(args, show: show) }

        heading("2. What she earned in 2026, in EUR at each day's ECB rate")
        try saldo(["report", "monthly", "--period", "2026"])

        heading("3. What currency conversions really cost her")
        try saldo(["report", "currencies", "--period", "2026"])

        heading("4. Her invoices: paid, outstanding, overdue")
        try saldo(["invoices", "summary", "--today", today])

        heading("5. Next quarter: probably, and the bad case")
        try saldo(["forecast", "--today", today, "--floor", "3000"])

        heading("6. Her next tax payment")
        try saldo(["tax", "calendar", "--today", today])

        console.out("")
        if keep {
            console.out("The demo ledger is kept at \(ledgerPath). Try:")
            console.out("  saldo report monthly --ledger \(ledgerPath) --format html -o demo.html")
            console.out("  saldo export --ledger \(ledgerPath) --format hledger")
        } else {
            console.out("Run `saldo demo --keep` to keep this ledger and try other commands on it; `saldo --help` lists them all.")
        }
    }
}
