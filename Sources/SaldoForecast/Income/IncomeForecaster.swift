import Foundation

/// Forecasts a freelancer's income from monthly series per stream (platform or client) by
/// simulating the streams together.
///
/// Per stream:
/// 1. Leading zeros (before the stream started) are dropped. A month is *active* when it paid
///    more than zero.
/// 2. Activity is a two-state Markov chain. The chance an active stream goes dry next month has a
///    Beta(1, 9) prior (10% a month), the chance a dry stream returns a Beta(1, 3) prior (1 in 4);
///    the observed transitions update both. Each simulated path draws its own probabilities from
///    the posteriors, so a short history gives wide, honest spreads.
/// 3. Amounts in active months follow a local-level model on the log scale: the level is an
///    exponentially weighted mean (weight chosen by one-step error, 0.3 with fewer than 6 paid
///    months), the one-step variance is shrunk towards a prior of 40% a month (worth 4 months),
///    split into level drift and month noise (Student t with few paid months), plus the
///    uncertainty of the level itself. With 24 months or more, calendar-month effects are
///    estimated and shrunk towards none. A stream paid every month for the last 24 months or more
///    takes the centre of its paths from the default model (`Combination.standard`) fitted to the
///    log amounts instead, so trend and season come from the zoo; the spread stays as above.
/// 4. Streams share a common monthly shock whose weight is their average error correlation,
///    shrunk towards zero.
/// 5. `paths` seeded paths give P10/P50/P90 per month and for the sum of the months, per stream
///    and in total; scenarios reuse the same random numbers so only the scenario differs.
public struct IncomeForecaster: Sendable {
    public var seed: UInt64
    public var paths: Int
    /// Future months (3: the next quarter).
    public var horizon: Int

    public init(seed: UInt64 = 42, paths: Int = 10_000, horizon: Int = 3) {
        self.seed = seed
        self.paths = paths
        self.horizon = horizon
    }

    /// Forecasts the next `horizon` months.
    /// - Parameters:
    ///   - streams: monthly net income per stream, all the same length, oldest first, in one currency.
    ///   - floor: a monthly amount the user needs; gives `pBelowFloor`.
    ///   - scenarios: what-ifs shown beside the baseline.
    public func forecast(streams: [String: [Double]], floor: Double? = nil, scenarios: [IncomeScenario] = []) throws(ForecastError) -> IncomeForecast {
        guard !streams.isEmpty else {
            throw .invalidInput("no income streams given; expected at least one monthly series (e.g. [\"Upwork\": [1200, 900, …]])")
        }
        guard paths >= 500 else { throw .invalidInput("paths must be at least 500 (10,000 by default), found \(paths)") }
        guard horizon >= 1, horizon <= 24 else { throw .invalidHorizon(horizon) }
        let names = streams.keys.sorted()
        let n = streams[names[0]]?.count ?? 0
        for name in names {
            let y = streams[name] ?? []
            if y.count != n {
                throw .invalidInput("stream \(name) has \(y.count) months but \(names[0]) has \(n); expected aligned series of equal length (pad with zeros before a stream started)")
            }
            if let i = y.firstIndex(where: { !$0.isFinite }) {
                throw .invalidInput("stream \(name), month \(i + 1): expected a finite amount, found \(y[i])")
            }
        }
        guard n >= 1 else { throw .invalidInput("the streams hold no months; expected at least one month of history") }
        if let floor, !(floor.isFinite && floor >= 0) {
            throw .invalidInput("floor must be a finite amount of zero or more, found \(floor)")
        }
        for sc in scenarios {
            for s in sc.without where streams[s] == nil {
                throw .invalidInput("scenario \"\(sc.name)\": unknown stream \(s); known streams: \(names.joined(separator: ", "))")
            }
            for (s, c) in sc.change {
                if streams[s] == nil {
                    throw .invalidInput("scenario \"\(sc.name)\": unknown stream \(s); known streams: \(names.joined(separator: ", "))")
                }
                if !(c.isFinite && c >= -1) {
                    throw .invalidInput("scenario \"\(sc.name)\": change for \(s) must be -100% or more, found \(c * 100)%")
                }
            }
            if !sc.addPerMonth.isFinite { throw .invalidInput("scenario \"\(sc.name)\": added amount must be finite") }
        }

        var notes: [String] = []
        let models = names.map { StreamModel(name: $0, series: streams[$0] ?? [], horizon: horizon) }
        let rho = StreamModel.commonCorrelation(models)
        if n < 3 {
            notes.append("only \(n) month\(n == 1 ? "" : "s") of history: this is a rough guess built mostly from general assumptions; expect very wide intervals")
        } else if n < 12 {
            notes.append("only \(n) months of history: intervals are wide")
        }
        for m in models {
            if m.allZero {
                notes.append("\(m.name): no income in the history; it is forecast as zero")
                continue
            }
            if m.negativeMonths > 0 {
                notes.append("\(m.name): \(m.negativeMonths) month\(m.negativeMonths == 1 ? "" : "s") with net negative income counted as months without income")
            }
            if m.monthsSinceStart < 6 && n >= 6 {
                notes.append("\(m.name): started \(m.monthsSinceStart) month\(m.monthsSinceStart == 1 ? "" : "s") ago, so its amounts are uncertain")
            }
            if m.dryMonths > 0 {
                let p = Int((m.chanceActiveNextMonth * 100).rounded())
                notes.append("\(m.name): no income for the last \(m.dryMonths) month\(m.dryMonths == 1 ? "" : "s"); about \(p)% chance it pays next month")
            }
        }

        // Simulate.
        let S = models.count, H = horizon, P = paths
        var amounts = [Double](repeating: 0, count: S * H * P)  // [stream][month][path]
        var rng = SeededGenerator(seed: seed)
        var shocks = [Double](repeating: 0, count: H)
        for p in 0..<P {
            for k in 0..<H { shocks[k] = rng.normal() }
            for (si, m) in models.enumerated() {
                m.simulate(&rng, common: shocks, rho: rho, historyCount: n) { k, v in
                    amounts[(si * H + k) * P + p] = v
                }
            }
        }

        func outlook(name: String, multipliers: [Double], add: Double) -> IncomeOutlook {
            var streamOut: [StreamOutlook] = []
            var totals = [Double](repeating: add * Double(H), count: P)
            var monthTotals = [[Double]](repeating: [Double](repeating: add, count: P), count: H)
            var buffer = [Double](repeating: 0, count: P)
            for (si, m) in models.enumerated() {
                let f = multipliers[si]
                if f.isNaN { continue }  // left out
                var months: [IncomeQuantiles] = []
                var qsum = [Double](repeating: 0, count: P)
                for k in 0..<H {
                    let base = (si * H + k) * P
                    for p in 0..<P {
                        let v = amounts[base + p] * f
                        buffer[p] = v
                        qsum[p] += v
                        monthTotals[k][p] += v
                        totals[p] += v
                    }
                    months.append(IncomeQuantiles.of(&buffer))
                }
                streamOut.append(StreamOutlook(name: m.name, months: months, quarter: IncomeQuantiles.of(&qsum),
                                               chanceActiveNextMonth: m.chanceActiveNextMonth,
                                               monthsSinceStart: m.monthsSinceStart, dryMonths: m.dryMonths))
            }
            var pBelow: Double?
            var pMonth: [Double]?
            if let floor {
                pBelow = Double(totals.filter { $0 < floor * Double(H) }.count) / Double(P)
                pMonth = monthTotals.map { col in Double(col.filter { $0 < floor }.count) / Double(P) }
            }
            var months: [IncomeQuantiles] = []
            for k in 0..<H { months.append(IncomeQuantiles.of(&monthTotals[k])) }
            return IncomeOutlook(name: name, months: months, quarter: IncomeQuantiles.of(&totals), streams: streamOut,
                                 pBelowFloor: pBelow, pMonthBelowFloor: pMonth)
        }

        let baseline = outlook(name: "baseline", multipliers: [Double](repeating: 1, count: S), add: 0)
        let scenarioOutlooks = scenarios.map { sc in
            outlook(name: sc.name, multipliers: names.map { sc.without.contains($0) ? .nan : 1 + (sc.change[$0] ?? 0) }, add: sc.addPerMonth)
        }
        // A short history: the same simulation with the parameters taken as known shows how much of
        // the band is owed to the few months seen.
        var widening: Double?
        if n < 24 {
            let paths2 = min(P, 2_000)
            var rng2 = SeededGenerator(seed: seed ^ 0x5DEECE66D)
            var known = [Double](repeating: 0, count: paths2)
            var common2 = [Double](repeating: 0, count: H)
            for p in 0..<paths2 {
                for k in 0..<H { common2[k] = rng2.normal() }
                for m in models {
                    m.simulate(&rng2, common: common2, rho: rho, historyCount: n, knownParameters: true) { _, v in known[p] += v }
                }
            }
            let q = IncomeQuantiles.of(&known)
            let band = baseline.quarter.p90 - baseline.quarter.p10, knownBand = q.p90 - q.p10
            if knownBand > 0 && band.isFinite {
                let w = max(1, band / knownBand)
                widening = w
                if w >= 1.1 { notes.append("only \(n) month\(n == 1 ? "" : "s") of history: the P10–P90 band of the next \(H) months is about \(String(format: "%.1f", w))× as wide as the same income would give with a long history") }
            }
        }
        return IncomeForecast(historyMonths: n, horizon: H, paths: P, seed: seed, floor: floor,
                              baseline: baseline, scenarios: scenarioOutlooks, shortHistoryWidening: widening, notes: notes)
    }
}
