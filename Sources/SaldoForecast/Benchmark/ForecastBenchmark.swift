import Foundation

/// The data sets the benchmark knows, in the layout of `m3_data.json` / `tcomp_data.json`.
public enum BenchmarkDataset: String, Sendable, Codable, CaseIterable {
    case m3Monthly = "m3-monthly"
    case m3Quarterly = "m3-quarterly"
    case tourismMonthly = "tourism-monthly"
    case tourismQuarterly = "tourism-quarterly"
    /// Not scored against the anchors; used to choose the interval inflation without touching
    /// the monthly and quarterly sets.
    case m3Yearly = "m3-yearly"
    case m3Other = "m3-other"

    /// The `period` value of the series to keep.
    public var period: String {
        switch self {
        case .m3Monthly, .tourismMonthly: return "MONTHLY"
        case .m3Quarterly, .tourismQuarterly: return "QUARTERLY"
        case .m3Yearly: return "YEARLY"
        case .m3Other: return "OTHER"
        }
    }

    public var seasonLength: Int {
        switch period {
        case "MONTHLY": return 12
        case "QUARTERLY": return 4
        default: return 1
        }
    }

    /// The usual file name of the data set ("m3_data.json" or "tcomp_data.json").
    public var fileName: String {
        switch self {
        case .m3Monthly, .m3Quarterly, .m3Yearly, .m3Other: return "m3_data.json"
        case .tourismMonthly, .tourismQuarterly: return "tcomp_data.json"
        }
    }
}

/// One series of a competition: training values, the held-out future and the horizon.
public struct BenchmarkSeries: Sendable, Codable, Equatable {
    public var id: String
    public var train: [Double]
    public var test: [Double]
    public var seasonLength: Int

    public init(id: String, train: [Double], test: [Double], seasonLength: Int) {
        self.id = id
        self.train = train
        self.test = test
        self.seasonLength = seasonLength
    }
}

/// Accuracy of one model over a data set.
public struct ModelScore: Sendable, Codable, Equatable {
    public var name: String
    /// Mean sMAPE in percent (M3 definition).
    public var smape: Double
    public var mase: Double
    /// Share of held-out values inside the 80% and 95% intervals.
    public var coverage80: Double
    public var coverage95: Double
    /// Mean scaled interval score of the 95% interval.
    public var msis: Double
    /// Seconds spent fitting and forecasting (one core).
    public var seconds: Double
    /// Series scored.
    public var series: Int
}

/// The benchmark result: the default model's scores at the top level, then each member.
public struct BenchmarkReport: Sendable, Codable, Equatable {
    public var dataset: String
    public var horizon: Int
    public var model: String
    public var smape: Double
    public var mase: Double
    public var coverage80: Double
    public var coverage95: Double
    public var msis: Double
    public var seconds: Double
    public var series: Int
    public var members: [ModelScore]

    /// The default model's row.
    public var defaultScore: ModelScore {
        ModelScore(name: model, smape: smape, mase: mase, coverage80: coverage80, coverage95: coverage95,
                   msis: msis, seconds: seconds, series: series)
    }
}

/// Runs models over a forecasting competition and scores them.
///
/// ```swift
/// let report = try ForecastBenchmark.run(dataset: .m3Monthly, file: url)
/// print(ForecastBenchmark.renderTable(report))
/// ```
public enum ForecastBenchmark {
    private struct RawSeries: Decodable {
        var x: [Double]
        var xx: [Double]
        var period: [String]
    }

    /// Reads the series of `dataset` from JSON in the competition layout
    /// (`{"N1402": {"x": […], "xx": […], "h": [18], "period": ["MONTHLY"], …}, …}`), sorted by id.
    public static func load(_ dataset: BenchmarkDataset, from data: Data, horizon: Int? = nil) throws(ForecastError) -> [BenchmarkSeries] {
        let raw: [String: RawSeries]
        do {
            raw = try JSONDecoder().decode([String: RawSeries].self, from: data)
        } catch {
            throw .invalidInput("benchmark data: expected a JSON object of series with \"x\", \"xx\" and \"period\" arrays (as in \(dataset.fileName)); found: \(error)")
        }
        if let h = horizon, h < 1 { throw .invalidHorizon(h) }
        var out: [BenchmarkSeries] = []
        for id in raw.keys.sorted() {
            guard let s = raw[id], s.period.first == dataset.period else { continue }
            var test = s.xx
            if let h = horizon {
                if h > test.count {
                    throw .invalidInput("series \(id): horizon \(h) is longer than its \(test.count) held-out values; score a horizon of \(test.count) or less")
                }
                test = Array(test.prefix(h))
            }
            if s.x.isEmpty || test.isEmpty { continue }
            out.append(BenchmarkSeries(id: id, train: s.x, test: test, seasonLength: dataset.seasonLength))
        }
        if out.isEmpty {
            throw .invalidInput("benchmark data: no \(dataset.period) series found for \(dataset.rawValue); is this \(dataset.fileName)?")
        }
        return out
    }

    /// Loads `file` and scores `model` (the default combination unless given) and each of its members.
    public static func run(dataset: BenchmarkDataset, file: URL, horizon: Int? = nil, model: Combination = .standard) throws(ForecastError) -> BenchmarkReport {
        let data: Data
        do { data = try Data(contentsOf: file) } catch {
            throw .invalidInput("cannot read benchmark data at \(file.path): \(error.localizedDescription); pass the path of \(dataset.fileName)")
        }
        return try run(dataset: dataset, data: data, horizon: horizon, model: model)
    }

    public static func run(dataset: BenchmarkDataset, data: Data, horizon: Int? = nil, model: Combination = .standard) throws(ForecastError) -> BenchmarkReport {
        let series = try load(dataset, from: data, horizon: horizon)
        return evaluate(series, dataset: dataset.rawValue, model: model)
    }

    private struct Accumulator {
        var smape = 0.0, mase = 0.0, c80 = 0.0, c95 = 0.0, msis = 0.0, seconds = 0.0, n = 0
        mutating func add(_ s: BenchmarkSeries, _ f: Forecast) {
            let lo80 = f.intervals[0], lo95 = f.intervals[1]
            smape += AccuracyMetrics.smape(actual: s.test, forecast: f.mean)
            mase += AccuracyMetrics.mase(actual: s.test, forecast: f.mean, insample: s.train, seasonLength: s.seasonLength)
            c80 += AccuracyMetrics.coverage(actual: s.test, lower: lo80.lower, upper: lo80.upper)
            c95 += AccuracyMetrics.coverage(actual: s.test, lower: lo95.lower, upper: lo95.upper)
            msis += AccuracyMetrics.msis(actual: s.test, lower: lo95.lower, upper: lo95.upper, insample: s.train, seasonLength: s.seasonLength)
            n += 1
        }
        func score(_ name: String) -> ModelScore {
            let d = Double(max(n, 1))
            return ModelScore(name: name, smape: smape / d, mase: mase / d, coverage80: c80 / d, coverage95: c95 / d,
                              msis: msis / d, seconds: seconds, series: n)
        }
    }

    /// Scores `model` and its members on already loaded series. A member that cannot fit a series
    /// is replaced there by the seasonal naive forecast, so every row scores the same series.
    /// Pooled members are first fitted on the training values of every series (never the held-out
    /// ones); that time counts in the model's seconds.
    /// `member` fitted to `s`'s training part, or, where it cannot fit that series, seasonal naive
    /// (then naive): the benchmark scores every member on every series. The interval study fits the same way.
    static func fitOrFallback(_ member: any Forecaster, _ s: BenchmarkSeries) -> FittedForecast? {
        (try? member.fit(s.train, seasonLength: s.seasonLength))
            ?? (try? SeasonalNaive().fit(s.train, seasonLength: s.seasonLength))
            ?? (try? Naive().fit(s.train, seasonLength: s.seasonLength))
    }

    public static func evaluate(_ series: [BenchmarkSeries], dataset: String, model unpooled: Combination = .standard) -> BenchmarkReport {
        let levels = [0.8, 0.95]
        var combined = Accumulator()
        let p0 = ThreadClock.now()
        let model = unpooled.pooled(on: series.map(\.train), seasonLength: series.first?.seasonLength ?? 1,
                                    horizon: series.map(\.test.count).max() ?? 1)
        combined.seconds += ThreadClock.now() - p0
        var members = [Accumulator](repeating: Accumulator(), count: model.members.count)
        var horizon = 0
        for s in series {
            let h = s.test.count
            horizon = max(horizon, h)
            var cores: [any PointPath] = []
            var weights: [Double] = []
            for (i, member) in model.members.enumerated() {
                let start = ThreadClock.now()
                let fit = fitOrFallback(member, s)
                let fitTime = ThreadClock.now() - start
                guard let fit else { continue }
                cores.append(fit.core)
                weights.append(model.weight(i))
                let p0 = ThreadClock.now()
                guard let f = try? fit.predict(horizon: h, levels: levels) else { continue }
                let predictTime = ThreadClock.now() - p0
                members[i].seconds += fitTime + predictTime
                combined.seconds += fitTime
                members[i].add(s, f)
            }
            guard !cores.isEmpty else { continue }
            let c0 = ThreadClock.now()
            let fit = FittedForecast(name: model.name, series: s.train, seasonLength: s.seasonLength, core: model.combinedPath(cores, priors: weights, series: s.train, seasonLength: s.seasonLength), calibration: model.calibration)
            guard let f = try? fit.predict(horizon: h, levels: levels) else { continue }
            combined.seconds += ThreadClock.now() - c0
            combined.add(s, f)
        }
        let top = combined.score(model.name)
        return BenchmarkReport(dataset: dataset, horizon: horizon, model: model.name, smape: top.smape, mase: top.mase,
                               coverage80: top.coverage80, coverage95: top.coverage95, msis: top.msis,
                               seconds: top.seconds, series: top.series,
                               members: zip(model.members, members).map { $1.score($0.name) })
    }

    /// A plain-text table: the default first, then each member.
    public static func renderTable(_ report: BenchmarkReport) -> String {
        var rows: [[String]] = [["model", "sMAPE", "MASE", "cov80", "cov95", "MSIS", "seconds", "series"]]
        for s in [report.defaultScore] + report.members {
            rows.append([s.name, fmt(s.smape, 2), fmt(s.mase, 3), fmt(s.coverage80, 3), fmt(s.coverage95, 3),
                         fmt(s.msis, 2), fmt(s.seconds, 2), String(s.series)])
        }
        var widths = [Int](repeating: 0, count: rows[0].count)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        var out = "\(report.dataset), horizon \(report.horizon)\n"
        for (ri, r) in rows.enumerated() {
            let cells = r.enumerated().map { i, c in
                i == 0 ? c.padding(toLength: widths[i], withPad: " ", startingAt: 0)
                       : String(repeating: " ", count: widths[i] - c.count) + c
            }
            out += cells.joined(separator: "  ") + "\n"
            if ri == 0 { out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n" }
        }
        return out
    }

    static func fmt(_ v: Double, _ digits: Int) -> String {
        v.isFinite ? String(format: "%.\(digits)f", v) : "n/a"
    }
}

/// CPU time of the calling thread: what "seconds on one core" means, and unaffected by other
/// processes competing for the machine.
struct ThreadClock {
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
}

/// Which sets one benchmark run scores: one data set, or all of them in one run.
public enum BenchmarkSelection: Sendable, Equatable {
    case one(BenchmarkDataset)
    case all

    /// "all" or a data set name ("m3-monthly", …); nil for anything else.
    public init?(_ text: String) {
        if text.lowercased() == "all" { self = .all } else if let d = BenchmarkDataset(rawValue: text.lowercased()) { self = .one(d) } else { return nil }
    }

    /// The sets, in the order they are reported.
    public var datasets: [BenchmarkDataset] {
        switch self {
        case .one(let d): return [d]
        case .all: return [.m3Monthly, .m3Quarterly, .m3Yearly, .m3Other, .tourismMonthly, .tourismQuarterly]
        }
    }

    public static let names = ["all"] + BenchmarkDataset.allCases.map(\.rawValue)
}

extension ForecastBenchmark {
    /// Scores every set of `selection`. `location` is a data file (for one set) or a folder holding
    /// `m3_data.json` and `tcomp_data.json`; a file's folder is searched for the other file.
    public static func run(_ selection: BenchmarkSelection, location: URL, horizon: Int? = nil,
                           model: Combination = .standard) throws(ForecastError) -> [BenchmarkReport] {
        try loadAll(selection, location: location, horizon: horizon).map { evaluate($0.series, dataset: $0.dataset.rawValue, model: model) }
    }

    /// The series of every set of `selection` (see `run(_:location:horizon:model:)` for `location`).
    public static func loadAll(_ selection: BenchmarkSelection, location: URL,
                               horizon: Int? = nil) throws(ForecastError) -> [(dataset: BenchmarkDataset, series: [BenchmarkSeries])] {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: location.path, isDirectory: &isDirectory)
        guard exists else {
            throw .invalidInput("no benchmark data at \(location.path); expected \(BenchmarkDataset.m3Monthly.fileName) or \(BenchmarkDataset.tourismMonthly.fileName), or the folder holding them")
        }
        var cache: [String: Data] = [:]
        var out: [(dataset: BenchmarkDataset, series: [BenchmarkSeries])] = []
        for d in selection.datasets {
            let file: URL
            if isDirectory.boolValue { file = location.appendingPathComponent(d.fileName) }
            else if case .one = selection { file = location }
            else { file = location.deletingLastPathComponent().appendingPathComponent(d.fileName) }
            let data: Data
            if let c = cache[file.path] { data = c } else {
                do { data = try Data(contentsOf: file) } catch {
                    throw .invalidInput("cannot read benchmark data at \(file.path): \(error.localizedDescription); put \(d.fileName) beside the other data file")
                }
                cache[file.path] = data
            }
            out.append((d, try load(d, from: data, horizon: horizon)))
        }
        return out
    }

    /// One plain-text table for several sets: a row per set and model, the default first in each set.
    public static func renderTable(_ reports: [BenchmarkReport]) -> String {
        var rows: [[String]] = [["set", "h", "model", "sMAPE", "MASE", "cov80", "cov95", "MSIS", "seconds", "series"]]
        for r in reports {
            for s in [r.defaultScore] + r.members {
                rows.append([r.dataset, String(r.horizon), s.name, fmt(s.smape, 2), fmt(s.mase, 3), fmt(s.coverage80, 3),
                             fmt(s.coverage95, 3), fmt(s.msis, 2), fmt(s.seconds, 2), String(s.series)])
            }
        }
        var widths = [Int](repeating: 0, count: rows[0].count)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        var out = ""
        for (ri, r) in rows.enumerated() {
            let cells = r.enumerated().map { i, c in
                i == 0 || i == 2 ? c.padding(toLength: widths[i], withPad: " ", startingAt: 0)
                                 : String(repeating: " ", count: widths[i] - c.count) + c
            }
            out += cells.joined(separator: "  ") + "\n"
            if ri == 0 { out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n" }
        }
        return out + "\n" + renderMemberComparison(reports)
    }

    /// The default against its best member on each set, for sMAPE and for MASE separately (issue
    /// #16: "at least as good as the best single member"): the best member's name and score, and
    /// whether the default is at least as good (unrounded).
    public static func renderMemberComparison(_ reports: [BenchmarkReport]) -> String {
        var rows: [[String]] = [["set", "default sMAPE", "best member (sMAPE)", "", "default MASE", "best member (MASE)", "", "at least as good"]]
        for r in reports {
            guard let bs = r.members.filter({ $0.smape.isFinite }).min(by: { $0.smape < $1.smape }),
                  let bm = r.members.filter({ $0.mase.isFinite }).min(by: { $0.mase < $1.mase }) else { continue }
            let okS = r.smape <= bs.smape
            let okM = r.mase <= bm.mase
            rows.append([r.dataset, fmt(r.smape, 2), bs.name, fmt(bs.smape, 2), fmt(r.mase, 3), bm.name, fmt(bm.mase, 3),
                         okS && okM ? "yes" : "no (" + [okS ? nil : "sMAPE", okM ? nil : "MASE"].compactMap { $0 }.joined(separator: ", ") + ")"])
        }
        var widths = [Int](repeating: 0, count: rows[0].count)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        var out = ""
        for (ri, r) in rows.enumerated() {
            let cells = r.enumerated().map { i, c in
                i == 0 || i == 2 || i == 5 || i == 7 ? c.padding(toLength: widths[i], withPad: " ", startingAt: 0)
                                                     : String(repeating: " ", count: widths[i] - c.count) + c
            }
            out += cells.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) + "\n"
            if ri == 0 { out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n" }
        }
        return out
    }
}
