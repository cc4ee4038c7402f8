import Foundation
import SaldoCore
import SaldoBatch
import SaldoForecast
import SaldoImport
import SaldoReports
import SaldoStore

/// Synthetic freelancer transactions, deterministic: payments with fees from several platforms
/// in several currencies, conversions and payouts.
public enum SyntheticLedger {
    public static func transactions(count: Int, seed: UInt64 = 42, start: Day = Day(year: 2018, month: 1, day: 1)!) -> [Transaction] {
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
public struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}

/// The benchmarks `saldo bench` runs: each returns the lines to show.
public enum Benchmarks {
    /// Writes `count` synthetic transactions into a new ledger (kept at `keep` when given) and times it;
    /// the lines in `catalog`'s language.
    public static func ledger(transactions count: Int, keep: String?, catalog: Catalog = .shipped(.en)) throws -> [String] {
        let t0 = Date()
        let txns = SyntheticLedger.transactions(count: count)
        let t1 = Date()
        let path = keep ?? FileManager.default.temporaryDirectory.appendingPathComponent("saldo-bench-\(UUID().uuidString).sqlite").path
        if keep != nil { try? FileManager.default.removeItem(atPath: path) }
        let store = try SQLiteLedgerStore(path: path, mode: .create)
        let out = try store.record(ImportRecord(fileName: "synthetic", sha256: "-", format: "synthetic", transactions: txns))
        let t2 = Date()
        if keep == nil { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
        let w = t2.timeIntervalSince(t1)
        return [LocalizedText("bench.ledger.generated", ["count_number": String(count), "seconds_number": seconds(t1.timeIntervalSince(t0))]),
                LocalizedText("bench.ledger.recorded", ["new_number": String(out.newTransactions), "seconds_number": seconds(w),
                                                        "per_second_number": String(Int(Double(count) / max(w, 1e-9)))])].map { $0.text(in: catalog) }
    }

    /// `0.52`: seconds as the benchmark lines write them (the catalog writes the number per language).
    static func seconds(_ s: Double) -> String { String(format: "%.2f", s) }

    /// Reads a statement alone, then imports it into a fresh ledger: where the import's time goes;
    /// the lines in `catalog`'s language.
    public static func importTimings(file: String, catalog: Catalog = .shipped(.en)) throws -> [String] {
        let url = URL(fileURLWithPath: (file as NSString).expandingTildeInPath)
        let data = try Data(contentsOf: url, options: .alwaysMapped)
        let t0 = Date()
        var counter = CountingSink()
        let r = StatementImporter.read(data: data, fileName: url.lastPathComponent, into: &counter)
        let count = counter.count
        let read = Date().timeIntervalSince(t0)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("saldo-bench-\(UUID().uuidString).sqlite").path
        defer { for s in ["", "-journal"] { try? FileManager.default.removeItem(atPath: path + s) } }
        let store = try SQLiteLedgerStore(path: path, mode: .create)
        let t1 = Date()
        let summary = FileImporter(store: store).importFile(url)
        let full = Date().timeIntervalSince(t1)
        let w = summary.pipelineWaits
        let L = catalog, f = HumanFormat(catalog.language)
        // A step's name (`decode`, `first batch`) from `value.bench_step.*`, its seconds as the language writes numbers.
        func step(_ name: String, _ s: Double, _ key: String) -> String {
            let shown = L.entries["value.bench_step.\(name)"] ?? name
            let number = (try? ExactDecimal(seconds(s))).map { catalog.language == .en ? seconds(s) : f.number($0) } ?? seconds(s)
            return L.text(key, ["step": shown, "seconds": number])
        }
        return [LocalizedText("bench.import.rows", ["rows_number": String(r.rowCount), "transactions_number": String(count),
                                                    "profile": r.profile ?? L.text("bench.import.no_profile")]).text(in: L),
                LocalizedText("bench.import.read_only", ["seconds_number": seconds(read)]).text(in: L)
                    + (r.phases.isEmpty ? "" : " (" + r.phases.map { step($0.name, $0.seconds, "bench.import.phase") }.joined(separator: ", ") + ")"),
                LocalizedText("bench.import.full", ["seconds_number": seconds(full), "new_number": String(summary.new)]).text(in: L),
                LocalizedText("bench.import.reader_thread", ["cpu_number": seconds(w.readerCPU), "waited_number": seconds(w.readerWaited)]).text(in: L),
                LocalizedText("bench.import.writer_thread", ["cpu_number": seconds(w.writerCPU), "waited_number": seconds(w.writerWaited)]).text(in: L),
                L.text("bench.import.timeline") + summary.timeline.map { step($0.step, $0.seconds, "bench.import.mark") }.joined(separator: ", ")]
    }

    /// The competition data sets the forecast benchmark scores (and `all`).
    public static var forecastDatasets: [String] { BenchmarkSelection.names }

    /// Scores the default forecaster and each member on one competition data set or all of them
    /// (`data`: the file, or the folder holding m3_data.json and tcomp_data.json); the table, or
    /// JSON with one object per set.
    public static func forecast(dataset name: String, data: String, horizon: Int?, json: Bool, catalog: Catalog = .shipped(.en)) throws -> String {
        guard let selection = BenchmarkSelection(name) else {
            throw UserError("no data set named \"\(name)\"", hint: "one of: " + BenchmarkSelection.names.joined(separator: ", "))
        }
        let url = URL(fileURLWithPath: (data as NSString).expandingTildeInPath)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw UserError("\(data): no such file", hint: "the competition data is in ../shared/data/forecasting (m3_data.json, tcomp_data.json) in the project's shared folder")
        }
        let reports: [BenchmarkReport]
        do { reports = try ForecastBenchmark.run(selection, location: url, horizon: horizon) } catch { throw UserError("\(error)") }
        if !json { return catalog.language == .en ? ForecastBenchmark.renderTable(reports) : table(reports, catalog) }
        let enc = JSONEncoder(); enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try enc.encode(reports), as: UTF8.self)
    }
}

extension Benchmarks {
    /// The interval study of issue #16 (`IntervalStudy`): fits the default on every series of the
    /// sets (all of them unless one is named), then chooses the interval rule's knobs leaving one
    /// set out at a time; returns the held-out table (Markdown, in English: it goes into
    /// docs/forecasting.md).
    public static func intervalStudy(dataset name: String, data: String) throws -> String {
        guard let selection = BenchmarkSelection(name) else {
            throw UserError("no data set named \"\(name)\"", hint: "one of: " + BenchmarkSelection.names.joined(separator: ", "))
        }
        let url = URL(fileURLWithPath: (data as NSString).expandingTildeInPath)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw UserError("\(data): no such file", hint: "the competition data is in ../shared/data/forecasting (m3_data.json, tcomp_data.json) in the project's shared folder")
        }
        do {
            let cases = try ForecastBenchmark.loadAll(selection, location: url).flatMap { IntervalStudy.collect($0.series, dataset: $0.dataset) }
            return IntervalStudy.render(IntervalStudy.study(cases))
        } catch { throw UserError("\(error)") }
    }
}

extension Benchmarks {
    /// The forecast benchmark's table outside English: the same columns (the metrics keep their
    /// names, sMAPE, MASE…), headings from `bench.forecast.column.*`, numbers as the language writes them.
    static func table(_ reports: [BenchmarkReport], _ L: Catalog) -> String {
        let f = HumanFormat(L.language)
        func fmt(_ v: Double, _ digits: Int) -> String {
            guard v.isFinite, let d = try? ExactDecimal(String(format: "%.\(digits)f", v)) else { return L.text("bench.forecast.not_available") }
            return f.number(d)
        }
        let header = ["set", "h", "model", "smape", "mase", "cov80", "cov95", "msis", "seconds", "series"].map { L.text("bench.forecast.column.\($0)") }
        var rows: [[String]] = [header]
        for r in reports {
            for s in [r.defaultScore] + r.members {
                rows.append([r.dataset, String(r.horizon), s.name, fmt(s.smape, 2), fmt(s.mase, 3), fmt(s.coverage80, 3),
                             fmt(s.coverage95, 3), fmt(s.msis, 2), fmt(s.seconds, 2), String(s.series)])
            }
        }
        var widths = [Int](repeating: 0, count: header.count)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        var out = ""
        for (ri, r) in rows.enumerated() {
            let cells = r.enumerated().map { i, c in
                i == 0 || i == 2 ? c.padding(toLength: widths[i], withPad: " ", startingAt: 0) : String(repeating: " ", count: widths[i] - c.count) + c
            }
            out += cells.joined(separator: "  ") + "\n"
            if ri == 0 { out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n" }
        }
        return out
    }
}

/// Counts what a reader hands over, keeping nothing.
struct CountingSink: TransactionBatchSink {
    var count = 0
    mutating func add(_ batch: TransactionBatch) { count += batch.count }
    func noMoreBatches() {}
}
