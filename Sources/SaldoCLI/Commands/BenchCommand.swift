import ArgumentParser
import Foundation
import SaldoCore
import SaldoStore
import SaldoInvoices
import SaldoForecast
import SaldoImport

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure speed and forecast accuracy (see scripts/bench.sh for the full run).",
        discussion: prose("""
        Examples:
          saldo bench ledger --transactions 1000000
          saldo bench forecast --dataset m3-monthly --data m3_data.json
        """),
        subcommands: [BenchForecast.self, BenchLedger.self, BenchImport.self]
    )
}

/// Synthetic freelancer transactions, deterministic: payments with fees from several platforms
/// in several currencies, conversions and payouts.
enum SyntheticLedger {
    static func transactions(count: Int, seed: UInt64 = 42, start: Day = Day(year: 2018, month: 1, day: 1)!) -> [Transaction] {
        var rng = SplitMix64(seed: seed)
        let platforms = ["Prolific", "Upwork", "Outlier", "Appen", "Fiverr", "Client A", "Client B"]
        let inst = ["paypal", "wise", "payoneer", "stripe"]
        let currencies: [CurrencyCode] = [.USD, .EUR, .GBP, .USD, .USD]
        let assetAccounts = inst.map { Account(.assets, $0) }
        let feeAccounts = inst.map { Account(.expenses, "fees", $0) }
        let incomeAccounts = platforms.map { Account(.income, $0) }
        let bank = Account(.assets, "bank", "ing")
        var out: [Transaction] = []
        out.reserveCapacity(count)
        for i in 0..<count {
            let day = start.adding(days: i * 3000 / max(count, 1) )
            let c = currencies[Int(rng.next() % UInt64(currencies.count))]
            let w = Int(rng.next() % UInt64(inst.count))
            let where_ = inst[w]
            let r = rng.next() % 20
            let asset = assetAccounts[w]
            if r < 15 {
                let pi = Int(rng.next() % UInt64(platforms.count))
                let p = platforms[pi]
                let gross = Int64(500 + rng.next() % 300_000)
                let fee = gross * 3 / 100 + 30
                out.append(Transaction(date: day, description: "Payment from \(p)", kind: .earning, postings: [
                    Posting(asset, Money(minorUnits: gross - fee, currency: c)),
                    Posting(feeAccounts[w], Money(minorUnits: fee, currency: c)),
                    Posting(incomeAccounts[pi], Money(minorUnits: -gross, currency: c)),
                ], payee: p, platform: p, externalID: "S\(i)", dedupKey: "\(where_):S\(i)"))
            } else if r < 18 && c != .EUR {
                let amount = Int64(1000 + rng.next() % 100_000)
                let eur = amount * 91 / 100
                out.append(Transaction(date: day, description: "Conversion", kind: .conversion, postings: [
                    Posting(asset, Money(minorUnits: -amount, currency: c), cost: Money(minorUnits: eur, currency: .EUR)),
                    Posting(asset, Money(minorUnits: eur, currency: .EUR)),
                ], platform: where_, externalID: "S\(i)", dedupKey: "\(where_):S\(i)"))
            } else {
                let amount = Int64(1000 + rng.next() % 100_000)
                out.append(Transaction(date: day, description: "Withdrawal to bank", kind: .payout, postings: [
                    Posting(asset, Money(minorUnits: -amount, currency: c)),
                    Posting(bank, Money(minorUnits: amount, currency: c)),
                ], platform: where_, externalID: "S\(i)", dedupKey: "\(where_):S\(i)"))
            }
        }
        return out
    }
}

/// A small, fast, seeded generator (public domain algorithm by Sebastiano Vigna).
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}

struct BenchLedger: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Write N synthetic transactions into a ledger and time it (the ledger part of import).",
        discussion: "Example: saldo bench ledger --transactions 100000 --keep /tmp/bench.sqlite"
    )
    @Option(help: "How many transactions.") var transactions: Int = 100_000
    @Option(help: ArgumentHelp("Keep the ledger at this path (for report benchmarks).", valueName: "path")) var keep: String?

    func run() throws {
        let console = Console.current
        let t0 = Date()
        let txns = SyntheticLedger.transactions(count: transactions)
        let t1 = Date()
        let path = keep ?? FileManager.default.temporaryDirectory.appendingPathComponent("saldo-bench-\(UUID().uuidString).sqlite").path
        if keep != nil { try? FileManager.default.removeItem(atPath: path) }
        let store = try LedgerStore(path: path, mode: .create)
        let out = try store.record(ImportRecord(fileName: "synthetic", sha256: "-", format: "synthetic", transactions: txns))
        let t2 = Date()
        if keep == nil { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
        let w = t2.timeIntervalSince(t1)
        console.out("generated \(transactions) transactions in \(String(format: "%.2f", t1.timeIntervalSince(t0))) s")
        console.out("recorded \(out.newTransactions) new in \(String(format: "%.2f", w)) s (\(Int(Double(transactions) / max(w, 1e-9))) transactions/s)")
    }
}

struct BenchForecast: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forecast",
        abstract: "Score the default forecaster and each member on the M3 or Tourism competition data.",
        discussion: prose("""
        Prints sMAPE (M3 definition), MASE, 80% and 95% interval coverage, MSIS at 95% and seconds for
        the default combination and each member. Data: m3_data.json or tcomp_data.json (per series
        x, xx, h, period). Build with -c release for the timings.

        Examples:
          saldo bench forecast --dataset m3-monthly --data m3_data.json
          saldo bench forecast --dataset m3-monthly --data m3_data.json --horizon 3
          saldo bench forecast --dataset tourism-quarterly --data tcomp_data.json
          saldo bench forecast --dataset all --data ../shared/data/forecasting
        """)
    )
    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }
    @Option(help: "all, m3-monthly, m3-quarterly, m3-yearly, m3-other, tourism-monthly or tourism-quarterly.") var dataset: String
    @Option(help: ArgumentHelp("The competition data file (JSON), or the folder holding m3_data.json and tcomp_data.json.", valueName: "path")) var data: String
    @Option(help: "Score only the first N held-out periods (3: the next quarter of a monthly series).") var horizon: Int?
    @Option(help: "table or json (one object per set).") var format: Format = .table

    func run() throws {
        guard let selection = BenchmarkSelection(dataset) else {
            throw UserError("--dataset \(dataset): unknown data set", hint: "one of: " + BenchmarkSelection.names.joined(separator: ", "))
        }
        let url = URL(fileURLWithPath: (data as NSString).expandingTildeInPath)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw UserError("\(data): no such file", hint: "the M3 data is at ../shared/data/forecasting/m3_data.json in the project's shared folder")
        }
        Console.current.progress("scoring \(dataset)…")
        let reports: [BenchmarkReport]
        do { reports = try ForecastBenchmark.run(selection, location: url, horizon: horizon) } catch { throw UserError("\(error)") }
        Console.current.endProgress()
        switch format {
        case .table: Console.current.out(ForecastBenchmark.renderTable(reports))
        case .json:
            let enc = JSONEncoder(); enc.outputFormatting = [.prettyPrinted, .sortedKeys]
            Console.current.out(String(decoding: try enc.encode(reports), as: UTF8.self))
        }
    }
}

struct BenchImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Time reading a statement alone, then importing it into a fresh ledger: where the import's time goes.",
        discussion: "Example: saldo bench import bench-out/paypal-1m.csv"
    )
    @Argument(help: "A statement file.") var file: String

    func run() throws {
        let console = Console.current
        let url = URL(fileURLWithPath: (file as NSString).expandingTildeInPath)
        let data = try Data(contentsOf: url, options: .alwaysMapped)
        let t0 = Date()
        var count = 0
        let r = StatementImporter.read(data: data, fileName: url.lastPathComponent) { count += $0.count }
        let read = Date().timeIntervalSince(t0)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("saldo-bench-\(UUID().uuidString).sqlite").path
        defer { for s in ["", "-journal"] { try? FileManager.default.removeItem(atPath: path + s) } }
        let store = try LedgerStore(path: path, mode: .create)
        let t1 = Date()
        let importer = FileImporter(store: store, options: ImportOptions(), userProfiles: [], invoiceOptions: InvoiceReadOptions(), dryRun: false)
        let summary = importer.importFile(url)
        let full = Date().timeIntervalSince(t1)
        console.out("\(r.rowCount) rows, \(count) transactions (\(r.profile ?? "no profile"))")
        console.out(String(format: "read and book only:        %.2f s (", read) + r.phases.map { $0.name + String(format: " %.2f", $0.seconds) }.joined(separator: ", ") + ")")
        console.out(String(format: "import into a new ledger:  %.2f s (%d new)", full, summary.new))
        let w = summary.pipelineWaits
        console.out(String(format: "  reading and booking thread: %.2f s CPU, waited %.2f s for the writer", w.readerCPU, w.readerWaited))
        console.out(String(format: "  ledger writing thread:      %.2f s CPU, waited %.2f s for rows (reading before the first row is booked included)", w.writerCPU, w.writerWaited))
        console.out("  timeline: " + summary.timeline.map { $0.step + String(format: " %.2f s", $0.seconds) }.joined(separator: ", "))
    }
}
