import Foundation
import Testing
import SaldoCore
import SaldoStore
import SaldoCLI
import SaldoTestSupport

/// Runs an external program; returns its status and output. `nil` when it is not installed.
func runTool(_ name: String, _ args: [String]) -> (status: Int32, out: String, err: String)? {
    let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        + ["/usr/bin", "/usr/local/bin", (ProcessInfo.processInfo.environment["HOME"] ?? "/root") + "/.pyenv/shims"]
    guard let exe = paths.map({ $0 + "/" + name }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { return nil }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: exe)
    p.arguments = args
    let o = Pipe(), e = Pipe()
    p.standardOutput = o; p.standardError = e
    do { try p.run() } catch { return nil }
    let od = o.fileHandleForReading.readDataToEndOfFile()
    let ed = e.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: od, as: UTF8.self), String(decoding: ed, as: UTF8.self))
}

/// The tool must be there: .ci/run installs it. A missing tool is a failure, not a skip.
func requireTool(_ name: String, _ args: [String], install: String) -> (status: Int32, out: String, err: String)? {
    guard let r = runTool(name, args) else {
        Issue.record("\(name) is not installed; install it with `\(install)` (.ci/run does)")
        return nil
    }
    return r
}

/// Per account and currency balances as Saldo reports them: "account|CUR" → exact decimal text.
func saldoBalances(_ store: SQLiteLedgerStore) throws -> [String: String] {
    var out: [String: String] = [:]
    for b in try store.balances() where !b.balance.isZero {
        out["\(b.account.path)|\(b.balance.currency.code)"] = b.balance.decimal.normalized.description
    }
    return out
}

/// hledger's balances of a journal, parsed from `bal --layout=bare -O csv`.
func hledgerBalances(_ journal: String) -> [String: String]? {
    guard let r = requireTool("hledger", ["-f", journal, "bal", "--flat", "--no-total", "--layout=bare", "-O", "csv"], install: "apt-get install -y hledger") else { return nil }
    #expect(r.status == 0, "hledger failed: \(r.err)")
    var out: [String: String] = [:]
    for line in r.out.split(separator: "\n").dropFirst() {
        let cells = line.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"\r")) }
        guard cells.count == 3, let v = try? ExactDecimal(cells[2]), !v.isZero else { continue }
        out["\(cells[0])|\(cells[1])"] = v.normalized.description
    }
    return out
}

/// bean-check's verdict and beancount's own per account, per currency sums of units.
func beancountBalances(_ file: String) -> [String: String]? {
    guard let check = requireTool("bean-check", [file], install: "pip install beancount") else { return nil }
    #expect(check.status == 0, "bean-check failed: \(check.out) \(check.err)")
    let script = """
    import sys
    from collections import defaultdict
    from beancount import loader
    from beancount.core import data
    entries, errors, _ = loader.load_file(sys.argv[1])
    sums = defaultdict(lambda: 0)
    for e in entries:
        if isinstance(e, data.Transaction):
            for p in e.postings:
                sums[(p.account, p.units.currency)] += p.units.number
    for (a, c), v in sorted(sums.items()):
        print(f"{a}|{c}|{v}")
    """
    guard let r = requireTool("python3", ["-c", script, file], install: "apt-get install -y python3") else { return nil }
    #expect(r.status == 0, "beancount loader failed: \(r.err)")
    var out: [String: String] = [:]
    for line in r.out.split(separator: "\n") {
        let c = line.split(separator: "|").map(String.init)
        guard c.count == 3, let v = try? ExactDecimal(c[2]), !v.isZero else { continue }
        out["\(c[0])|\(c[1])"] = v.normalized.description
    }
    return out
}
