import Foundation

/// The interval rule's knobs, chosen by leave-one-set-out on the benchmark sets, re-runnable after
/// the members change (issue #16).
///
/// The default is fitted once per series (members, weights, point forecast and the combination's
/// past forecasts with online weights: everything the calibration reads). Every candidate
/// calibration is then scored exactly on those cases: the intervals are built by the same code
/// `FittedForecast.predict` runs, so a candidate's coverage and MSIS are what the benchmark would
/// print with it. For each set, the candidate with the least loss on the other sets is chosen and
/// scored on the held-out set.
public enum IntervalStudy {
    /// One benchmark series with what an interval rule reads: the history, the default's point
    /// forecast and its forecasts from every past origin, and the held-out values to score.
    public struct Case: Sendable {
        public var dataset: BenchmarkDataset
        public var train: [Double]
        public var test: [Double]
        public var seasonLength: Int
        public var mean: [Double]
        public var origins: OriginForecasts
    }

    /// Fits `model` to every series as the benchmark does (a member that cannot fit a series is
    /// replaced there by seasonal naive) and keeps what the calibration reads.
    public static func collect(_ series: [BenchmarkSeries], dataset: BenchmarkDataset, model unpooled: Combination = .standard) -> [Case] {
        // Pooled members are fitted on the set's training parts first, exactly as the benchmark does.
        let model = unpooled.pooled(on: series.map(\.train), seasonLength: series.first?.seasonLength ?? 1,
                                    horizon: series.map(\.test.count).max() ?? 1)
        var out: [Case] = []
        out.reserveCapacity(series.count)
        for s in series {
            let h = s.test.count
            var cores: [any PointPath] = []
            var weights: [Double] = []
            for (i, member) in model.members.enumerated() {
                let fit = ForecastBenchmark.fitOrFallback(member, s)
                guard let fit else { continue }
                cores.append(fit.core)
                weights.append(model.weight(i))
            }
            guard !cores.isEmpty else { continue }
            let path = model.combinedPath(cores, priors: weights, series: s.train, seasonLength: s.seasonLength)
            let (mean, origins) = path.forecastAndOrigins(horizon: h)
            out.append(Case(dataset: dataset, train: s.train, test: s.test, seasonLength: s.seasonLength, mean: mean, origins: origins))
        }
        return out
    }

    /// Coverage of the 80% and 95% bands and MSIS of the 95% band, averaged over series as the
    /// benchmark does.
    public struct Score: Sendable, Equatable, Codable {
        public var coverage80: Double
        public var coverage95: Double
        public var msis: Double
        public var series: Int
    }

    /// Scores `calibration` on `cases` (one set).
    public static func score(_ cases: [Case], calibration: IntervalCalibration) -> Score {
        var c80 = 0.0, c95 = 0.0, msis = 0.0
        for c in cases {
            let spread = calibration.spread(series: c.train, origins: c.origins, horizon: c.mean.count, seasonLength: c.seasonLength)
            let b80 = spread.interval(level: 0.8, mean: c.mean), b95 = spread.interval(level: 0.95, mean: c.mean)
            c80 += AccuracyMetrics.coverage(actual: c.test, lower: b80.lower, upper: b80.upper)
            c95 += AccuracyMetrics.coverage(actual: c.test, lower: b95.lower, upper: b95.upper)
            msis += AccuracyMetrics.msis(actual: c.test, lower: b95.lower, upper: b95.upper, insample: c.train, seasonLength: c.seasonLength)
        }
        let n = Double(max(1, cases.count))
        return Score(coverage80: c80 / n, coverage95: c95 / n, msis: msis / n, series: cases.count)
    }
}

// MARK: - Leave one set out

extension IntervalStudy {
    /// The values tried for each knob; every combination is a candidate.
    public struct Grid: Sendable {
        public var quantilePrior: [Double]
        public var growth: [Double]
        public var seasonalGrowth: [Double]
        public var seasonalThreshold: [Double]
        public var tailGrowth: [Double]
        public var levelFactor80: [Double]
        public var levelFactor95: [Double]
        public var seasonalFactor80: [Double]
        /// The p values tried with the `fixed` optimism.
        public var optimismParameters: [Double]
        /// The optimism rules tried (`fixed` once per p in `optimismParameters`, the others once).
        public var optimism: [IntervalCalibration.Optimism]
        /// The per-horizon scale smoothing priors tried (`IntervalCalibration.scaleSmoothing`; 0 off).
        public var scaleSmoothing: [Double]
        /// The seasonal-naive anchor's priors (`IntervalCalibration.anchorPrior`; 0 off) and ratios
        /// (tried only with a prior above 0).
        public var anchorPrior: [Double]
        public var anchorRatio: [Double]

        public init(quantilePrior: [Double], growth: [Double], seasonalGrowth: [Double], seasonalThreshold: [Double],
                    tailGrowth: [Double], levelFactor80: [Double], levelFactor95: [Double], seasonalFactor80: [Double],
                    optimismParameters: [Double], optimism: [IntervalCalibration.Optimism] = [.fixed], scaleSmoothing: [Double] = [0],
                    anchorPrior: [Double] = [0], anchorRatio: [Double] = [0.5]) {
            self.anchorPrior = anchorPrior
            self.anchorRatio = anchorRatio
            self.optimism = optimism
            self.scaleSmoothing = scaleSmoothing
            self.quantilePrior = quantilePrior
            self.growth = growth
            self.seasonalGrowth = seasonalGrowth
            self.seasonalThreshold = seasonalThreshold
            self.tailGrowth = tailGrowth
            self.levelFactor80 = levelFactor80
            self.levelFactor95 = levelFactor95
            self.seasonalFactor80 = seasonalFactor80
            self.optimismParameters = optimismParameters
        }

        /// The sixth round's grid (the last of issue #16's third round, widened where the first
        /// choice sat on its edge): the normal shape on the series' own scales, and the widening and
        /// shape knobs; the optimism is each forecast's effective number of parameters, not a knob
        /// (5,184 candidates; `optimism: [.fixed]` with p 4, 6, 8 gives the fifth round's 15,552).
        public static let sixthRound = Grid(
            quantilePrior: [1e12], growth: [0, 0.02, 0.04], seasonalGrowth: [-0.08, -0.06, -0.04, -0.02],
            seasonalThreshold: [0.3, 0.5, 0.6], tailGrowth: [0.04, 0.06, 0.08], levelFactor80: [0.9, 0.93, 0.96, 1],
            levelFactor95: [0.9, 0.93, 0.96], seasonalFactor80: [0.72, 0.76, 0.8, 0.84], optimismParameters: [4, 6, 8],
            optimism: [.effective])

        /// Issue #16, seventh round's last grid: `standard` with finer level factors and tail growths,
        /// crossed with the per-horizon scale smoothing (off, the fit alone) and the seasonal-naive
        /// anchor (off, 0.6 × worth 10 or 20 errors): 64,800 candidates. Its choice on all six sets
        /// is `IntervalCalibration.seventhRound`, the default since that round; `standard` is this grid.
        public static let seventhRound = Grid(
            quantilePrior: [1e12], growth: [0, 0.02, 0.04], seasonalGrowth: [-0.08, -0.06, -0.04, -0.02],
            seasonalThreshold: [0.3, 0.5, 0.6], tailGrowth: [0.04, 0.06, 0.07, 0.08, 0.1], levelFactor80: [0.93, 0.96, 1],
            levelFactor95: [0.9, 0.915, 0.93, 0.945, 0.96], seasonalFactor80: [0.72, 0.76, 0.8, 0.84], optimismParameters: [4, 6, 8],
            optimism: [.effective], scaleSmoothing: [0, 1e12], anchorPrior: [0, 10, 20], anchorRatio: [0.6])

        /// The grid `saldo bench forecast --interval-study` searches: the one that chose the default.
        public static let standard = seventhRound

        public var candidates: [IntervalCalibration] {
            var out: [IntervalCalibration] = []
            for sm in scaleSmoothing { for ap in anchorPrior { for ar in ap > 0 ? anchorRatio : [IntervalCalibration.default.anchorRatio] {
            for qp in quantilePrior { for g in growth { for gs in seasonalGrowth { for th in seasonalThreshold {
                for tail in tailGrowth { for f80 in levelFactor80 { for f95 in levelFactor95 { for s80 in seasonalFactor80 {
                    for rule in optimism { for p in rule == .fixed ? optimismParameters : [0] {
                        out.append(IntervalCalibration(inflationGrowth: g, seasonalGrowth: gs, seasonalThreshold: th, tailGrowth: tail,
                                                       quantilePrior: qp, levelFactor80: f80, levelFactor95: f95,
                                                       seasonalFactor80: s80, optimismParameters: p, optimism: rule,
                                                       scaleSmoothing: sm, anchorPrior: ap, anchorRatio: ar))
                    } }
                } } } }
            } } } } } } }
            return out
        }
    }

    /// The held-out score of one set: the candidate chosen on the other sets, and what it scores here.
    public struct HeldOut: Sendable {
        public var dataset: BenchmarkDataset
        public var chosen: IntervalCalibration
        public var score: Score
        /// The same set with the current default and with the rule when the issue was filed.
        public var current: Score
        public var reference: Score
    }

    public struct Report: Sendable {
        public var heldOut: [HeldOut]
        /// The candidate chosen on every set, and its scores per set.
        public var chosenOnAll: IntervalCalibration
        public var scoresOnAll: [BenchmarkDataset: Score]
        public var candidates: Int
    }

    /// The loss of a set's score: distance from 0.80 and 0.95, three times any distance outside
    /// 0.77–0.83 / 0.92–0.97 and 0.1 for being outside at all, plus the relative MSIS above
    /// `reference`'s (the rule when the issue was filed, scored by the study itself, so the loss
    /// follows the members).
    static func loss(_ s: Score, reference: Score) -> Double {
        var l = abs(s.coverage80 - 0.8) + abs(s.coverage95 - 0.95)
        let outside = max(0, 0.77 - s.coverage80) + max(0, s.coverage80 - 0.83) + max(0, 0.92 - s.coverage95) + max(0, s.coverage95 - 0.97)
        l += 3 * outside
        if !(s.coverage80 >= 0.77 && s.coverage80 <= 0.83 && s.coverage95 >= 0.92 && s.coverage95 <= 0.97) { l += 0.1 }
        if reference.msis > 0 && s.msis.isFinite { l += max(0, s.msis / reference.msis - 1) }
        return l
    }

    /// Scores every candidate on every set (the spreads are computed once per series and quantile
    /// rule), chooses for each set the candidate with the least summed loss on the other sets, and
    /// the candidate with the least loss on all of them. The grid varies the knobs applied after
    /// the per-horizon scales; the others (warm-up, minimum samples, relative errors, symmetry)
    /// stay the default's.
    public static func study(_ cases: [Case], grid: Grid = .standard, current: IntervalCalibration = .default,
                             reference: IntervalCalibration = .globalGrowth) -> Report {
        let sets = BenchmarkSelection.all.datasets.filter { d in cases.contains { $0.dataset == d } }
        let bySet = Dictionary(grouping: cases.indices, by: { cases[$0].dataset })
        // The spreads do not depend on the knobs in the grid: once per series, and the quantiles
        // once per quantile prior.
        // (Student-t degrees set once here, so candidates with that rule reuse the t/z ratios.)
        // The spreads depend on the knobs of the scales (smoothing, anchor): once per series and
        // combination of them.
        struct ScaleKey: Hashable { var smoothing: Double; var anchorPrior: Double; var anchorRatio: Double }
        var preparedCache: [ScaleKey: [Prepared]] = [:]
        func preparedFor(_ key: ScaleKey) -> [Prepared] {
            if let p = preparedCache[key] { return p }
            let base = IntervalCalibration(inflationGrowth: 0, seasonalGrowth: 0, tailGrowth: 0, optimism: .studentT, scaleSmoothing: key.smoothing,
                                           anchorPrior: key.anchorPrior, anchorRatio: key.anchorRatio)
            let p = cases.map { Prepared($0, spread: base.spread(series: $0.train, origins: $0.origins, horizon: $0.mean.count, seasonLength: $0.seasonLength)) }
            preparedCache[key] = p
            return p
        }
        struct QuantileKey: Hashable { var scale: ScaleKey; var prior: Double }
        var quantileCache: [QuantileKey: [(q80: (lo: Double, hi: Double), q95: (lo: Double, hi: Double))]] = [:]
        func scoreOn(_ d: BenchmarkDataset, _ c: IntervalCalibration) -> Score {
            let scaleKey = ScaleKey(smoothing: c.scaleSmoothing, anchorPrior: c.anchorPrior, anchorRatio: c.anchorRatio)
            let prepared = preparedFor(scaleKey)
            let key = QuantileKey(scale: scaleKey, prior: c.quantilePrior)
            if quantileCache[key] == nil {
                quantileCache[key] = prepared.map { p in
                    var sp = p.spread
                    sp.quantilePrior = c.quantilePrior
                    return (sp.quantiles(level: 0.8), sp.quantiles(level: 0.95))
                }
            }
            let qs = quantileCache[key]!
            var c80 = 0.0, c95 = 0.0, msis = 0.0
            let idx = bySet[d] ?? []
            for i in idx {
                let r = prepared[i].score(c, q80: qs[i].q80, q95: qs[i].q95)
                c80 += r.c80; c95 += r.c95; msis += r.msis
            }
            let n = Double(max(1, idx.count))
            return Score(coverage80: c80 / n, coverage95: c95 / n, msis: msis / n, series: idx.count)
        }
        let ref = Dictionary(uniqueKeysWithValues: sets.map { ($0, scoreOn($0, reference)) })
        let cur = Dictionary(uniqueKeysWithValues: sets.map { ($0, scoreOn($0, current)) })
        let candidates = grid.candidates
        var scores: [[Score]] = []
        var losses: [[Double]] = []
        scores.reserveCapacity(candidates.count)
        for c in candidates {
            let row = sets.map { scoreOn($0, c) }
            scores.append(row)
            losses.append(zip(sets, row).map { loss($1, reference: ref[$0]!) })
        }
        func best(excluding x: Int?) -> Int {
            var bi = 0, bl = Double.infinity
            for (i, l) in losses.enumerated() {
                var t = 0.0
                for (j, v) in l.enumerated() where j != x { t += v }
                if t < bl { bl = t; bi = i }
            }
            return bi
        }
        var held: [HeldOut] = []
        // Leaving a set out needs another set to choose on.
        for (j, d) in sets.enumerated() where sets.count > 1 {
            let b = best(excluding: j)
            held.append(HeldOut(dataset: d, chosen: candidates[b], score: scores[b][j], current: cur[d]!, reference: ref[d]!))
        }
        let all = best(excluding: nil)
        return Report(heldOut: held, chosenOnAll: candidates[all],
                      scoresOnAll: Dictionary(uniqueKeysWithValues: zip(sets, scores[all]).map { ($0, $1) }), candidates: candidates.count)
    }

    /// A case with its spread and what scoring needs, computed once.
    struct Prepared {
        let test: [Double]
        let mean: [Double]
        var spread: IntervalSpread
        /// The half-width unit per step before the widening: the scale, times the level when relative.
        let unit: [Double]
        let maseScale: Double

        init(_ c: Case, spread: IntervalSpread) {
            test = c.test
            mean = c.mean
            self.spread = spread
            unit = (0..<c.mean.count).map { k in spread.relative ? spread.scale[k] * max(abs(c.mean[k]), spread.guardLevel) : spread.scale[k] }
            maseScale = Stats.maseScale(c.train, seasonLength: c.seasonLength)
        }

        /// Coverage at 80% and 95% and MSIS of the 95% band with `c`: the arithmetic of
        /// `IntervalSpread.interval` (its `bounds`, step by step) and `AccuracyMetrics` without building the bands (a test
        /// checks they agree).
        func score(_ c: IntervalCalibration, q80: (lo: Double, hi: Double), q95: (lo: Double, hi: Double)) -> (c80: Double, c95: Double, msis: Double) {
            var w = spread.widening
            c.configure(&w, seasonalStrength: spread.seasonalStrength, oneStepErrors: spread.oneStepErrors, parameters: spread.parameters)
            let n = min(test.count, mean.count)
            guard n > 0 else { return (.nan, .nan, .nan) }
            var in80 = 0, in95 = 0
            var s = 0.0
            for k in 0..<n {
                let m = mean[k], y = test[k]
                let s8 = unit[k] * w.factor(step: k, level: 0.8), s9 = unit[k] * w.factor(step: k, level: 0.95)
                let (lo8, hi8) = spread.bounds(mean: m, quantiles: q80, halfWidth: s8)
                let (lo9, hi9) = spread.bounds(mean: m, quantiles: q95, halfWidth: s9)
                if y >= lo8 && y <= hi8 { in80 += 1 }
                if y >= lo9 && y <= hi9 { in95 += 1 }
                s += hi9 - lo9
                if y < lo9 { s += 2 / (1 - 0.95) * (lo9 - y) }
                if y > hi9 { s += 2 / (1 - 0.95) * (y - hi9) }
            }
            return (Double(in80) / Double(n), Double(in95) / Double(n), s / Double(n) / maseScale)
        }
    }

    /// The knobs of a calibration in one line.
    public static func describe(_ c: IntervalCalibration) -> String {
        func f(_ v: Double) -> String { String(format: "%g", v) }
        let q = c.quantilePrior >= 1e9 ? "normal" : c.quantilePrior == 0 ? "own" : "own+\(f(c.quantilePrior))"
        let p: String
        switch c.optimism {
        case .fixed: p = "p=\(f(c.optimismParameters))"
        case .effective: p = "p=p_eff"
        case .studentT: p = "t(N-p_eff)"
        }
        let sm = (c.scaleSmoothing <= 0 ? "" : c.scaleSmoothing >= 1e12 ? " smooth=fit" : " smooth=\(f(c.scaleSmoothing))")
            + (c.anchorPrior > 0 ? " anchor=\(f(c.anchorRatio))x\(f(c.anchorPrior))" : "")
        return "\(q) g=\(f(c.inflationGrowth)) gs=\(f(c.seasonalGrowth)) th=\(f(c.seasonalThreshold)) tail=\(f(c.tailGrowth)) "
            + "f80=\(f(c.levelFactor80)) f95=\(f(c.levelFactor95)) s80=\(f(c.seasonalFactor80)) \(p)\(sm)"
    }

    /// The held-out table (Markdown), then the choice on all sets.
    public static func render(_ r: Report) -> String {
        func s3(_ v: Double) -> String { String(format: "%.3f", v) }
        func s2(_ v: Double) -> String { String(format: "%.2f", v) }
        func inRange(_ s: Score) -> String {
            (s.coverage80 >= 0.77 && s.coverage80 <= 0.83 ? "yes" : "**no**") + " / " + (s.coverage95 >= 0.92 && s.coverage95 <= 0.97 ? "yes" : "**no**")
        }
        var out = "Interval rule left out one set at a time (\(r.candidates) candidates; loss: distance from 0.80/0.95, 3x distance and 0.1 outside 0.77-0.83/0.92-0.97, + MSIS above the issue's rule)\n\n"
        if r.heldOut.isEmpty {
            out += "Only one set: leaving one set out needs two sets or more. The choice on this set alone follows.\n"
        }
        out += "| held-out set | chosen on the other sets | cov 80 | cov 95 | MSIS | in range | current default: cov 80 / 95 / MSIS | rule when the issue was filed: MSIS |\n"
        out += "|---|---|---|---|---|---|---|---|\n"
        for h in r.heldOut {
            out += "| \(h.dataset.rawValue) | \(describe(h.chosen)) | \(s3(h.score.coverage80)) | \(s3(h.score.coverage95)) | \(s2(h.score.msis)) | \(inRange(h.score)) | "
            out += "\(s3(h.current.coverage80)) / \(s3(h.current.coverage95)) / \(s2(h.current.msis)) | \(s2(h.reference.msis)) |\n"
        }
        out += "\nChosen on all sets: \(describe(r.chosenOnAll))\n\n| set | cov 80 | cov 95 | MSIS | in range |\n|---|---|---|---|---|\n"
        for d in BenchmarkSelection.all.datasets {
            if let s = r.scoresOnAll[d] { out += "| \(d.rawValue) | \(s3(s.coverage80)) | \(s3(s.coverage95)) | \(s2(s.msis)) | \(inRange(s)) |\n" }
        }
        return out
    }
}

// MARK: - A cache of cases on disk (fitting every set takes minutes on a shared machine)

extension IntervalStudy {
    /// Writes cases as little-endian 64-bit numbers (no format promises beyond this build).
    public static func save(_ cases: [Case], to url: URL) throws {
        var d = Data()
        func int(_ v: Int) { var x = Int64(v).littleEndian; withUnsafeBytes(of: &x) { d.append(contentsOf: $0) } }
        func doubles(_ v: [Double]) {
            int(v.count)
            v.withUnsafeBufferPointer { b in
                for x in b { var bits = x.bitPattern.littleEndian; withUnsafeBytes(of: &bits) { d.append(contentsOf: $0) } }
            }
        }
        int(cases.count)
        for c in cases {
            int(BenchmarkDataset.allCases.firstIndex(of: c.dataset) ?? 0)
            doubles(c.train); doubles(c.test); int(c.seasonLength); doubles(c.mean)
            int(c.origins.first); int(c.origins.count); int(c.origins.horizon); doubles(c.origins.values); doubles([c.origins.parameters])
        }
        try d.write(to: url)
    }

    public static func load(from url: URL) throws(ForecastError) -> [Case] {
        let d: Data
        do { d = try Data(contentsOf: url) } catch { throw .invalidInput("cannot read the interval study's cases at \(url.path): \(error.localizedDescription)") }
        var p = 0
        var bad = false
        func int() -> Int {
            guard p + 8 <= d.count else { bad = true; return 0 }
            var x: Int64 = 0
            _ = withUnsafeMutableBytes(of: &x) { d.copyBytes(to: $0, from: p..<(p + 8)) }
            p += 8
            return Int(Int64(littleEndian: x))
        }
        func doubles() -> [Double] {
            let n = int()
            // (Overflow-safe: after a cut, a count may be read from a value's bits.)
            guard !bad, n >= 0, n <= (d.count - p) / 8 else { bad = true; return [] }
            var out = [Double](repeating: 0, count: n)
            for i in 0..<n { out[i] = Double(bitPattern: UInt64(bitPattern: Int64(int()))) }
            return out
        }
        let n = int()
        var cases: [Case] = []
        for _ in 0..<max(0, n) where !bad {
            let k = int()
            let dataset = BenchmarkDataset.allCases.indices.contains(k) ? BenchmarkDataset.allCases[k] : .m3Monthly
            let train = doubles(), test = doubles(), m = int(), mean = doubles()
            let first = int(), count = int(), horizon = int(), values = doubles(), parameters = doubles()
            cases.append(Case(dataset: dataset, train: train, test: test, seasonLength: m, mean: mean,
                              origins: OriginForecasts(first: first, count: count, horizon: horizon, values: values,
                                                       parameters: parameters.first ?? 0)))
        }
        if bad { throw .invalidInput("the interval study's cases at \(url.path) are cut short or from another build; delete the file to fit the sets again") }
        return cases
    }
}
