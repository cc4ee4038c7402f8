import Foundation

/// What one stream's history says about its future.
struct StreamModel: Sendable {
    let name: String
    let allZero: Bool
    let negativeMonths: Int
    let monthsSinceStart: Int
    let dryMonths: Int
    let activeNow: Bool
    /// Transition counts: active→active, active→dry, dry→active, dry→dry.
    let nAA: Double, nAD: Double, nDA: Double, nDD: Double
    /// Log-scale level, its uncertainty, month noise and level drift.
    let level: Double, levelSD: Double, noiseSD: Double, driftSD: Double
    /// The level's uncertainty, noise and drift a long history with the same month-to-month
    /// variation would give (the variance prior's weight gone, no share for too few months).
    let longRunLevelSD: Double, longRunNoiseSD: Double, longRunDriftSD: Double
    let degreesOfFreedom: Double
    /// Calendar-month offsets on the log scale by absolute index mod 12, or nil.
    let seasonal: [Double]?
    /// One-step log errors by absolute month index (nil where none), for the common shock.
    let errors: [Double?]
    /// For a stream paid every month for two years or more: the default model's forecast of the
    /// log amounts, used as the centre of the paths instead of level and calendar effects.
    let zooCentres: [Double]?

    static let stopPrior = (a: 1.0, b: 9.0)
    static let returnPrior = (a: 1.0, b: 3.0)
    /// One-step log variance prior: 40% a month, worth 4 months (35% before; chosen on synthetic
    /// histories 30000–31599 and reported on 40000–41599, docs/forecasting.md).
    static let variancePrior = (value: 0.40 * 0.40, weight: 4.0)
    /// Prior chance that a stream which has gone silent has stopped for good (one dry spell in
    /// `endedPrior`): the client left, the account closed. Evidence against it is the stream's
    /// return rate: the longer the silence compared with the stream's usual gaps, the likelier the end.
    static let endedPrior = 0.2
    /// Chance the stream has stopped for good, given its drought in progress (0 when it paid last month).
    let endedChance: Double

    var returnMean: Double { (StreamModel.returnPrior.a + nDA) / (StreamModel.returnPrior.a + StreamModel.returnPrior.b + nDA + nDD) }
    var stopMean: Double { (StreamModel.stopPrior.a + nAD) / (StreamModel.stopPrior.a + StreamModel.stopPrior.b + nAD + nAA) }
    var chanceActiveNextMonth: Double { allZero ? 0 : (activeNow ? 1 - stopMean : (1 - endedChance) * returnMean) }

    init(name: String, series y: [Double], horizon: Int) {
        self.name = name
        let n = y.count
        negativeMonths = y.filter { $0 < 0 }.count
        guard let start = y.firstIndex(where: { $0 > 0 }) else {
            allZero = true; monthsSinceStart = 0; dryMonths = 0; activeNow = false
            nAA = 0; nAD = 0; nDA = 0; nDD = 0
            level = 0; levelSD = 0; noiseSD = 0; driftSD = 0; longRunLevelSD = 0; longRunNoiseSD = 0; longRunDriftSD = 0; degreesOfFreedom = 3; seasonal = nil
            errors = [Double?](repeating: nil, count: n)
            zooCentres = nil
            endedChance = 1
            return
        }
        allZero = false
        monthsSinceStart = n - start
        var dry = 0
        for v in y.reversed() { if v > 0 { break }; dry += 1 }
        dryMonths = dry
        activeNow = dry == 0
        var aa = 0.0, ad = 0.0, da = 0.0, dd = 0.0
        for t in (start + 1)..<max(start + 1, n) {
            let was = y[t - 1] > 0, isNow = y[t] > 0
            switch (was, isNow) {
            case (true, true): aa += 1
            case (true, false): ad += 1
            case (false, true): da += 1
            case (false, false): dd += 1
            }
        }
        nAA = aa; nAD = ad; nDA = da; nDD = dd
        // The drought in progress: were the stream still alive, its d − 1 dry-to-dry months would
        // have the chance E[(1 − p)^(d−1)] under the return rate p learnt from the earlier months,
        // Beta(a, b); a stream that has ended stays dry for certain.
        if dry > 0 {
            let a = StreamModel.returnPrior.a + da, b = StreamModel.returnPrior.b + dd - Double(dry - 1)
            let k = Double(dry - 1)
            let stillDry = exp(lgamma(b + k) - lgamma(b) + lgamma(a + b) - lgamma(a + b + k))
            let q = StreamModel.endedPrior
            endedChance = q / (q + (1 - q) * stillDry)
        } else {
            endedChance = 0
        }

        // Paid months on the log scale.
        var idx: [Int] = []
        var z: [Double] = []
        for t in start..<n where y[t] > 0 { idx.append(t); z.append(log(y[t])) }
        // Calendar-month effects from two years or more, shrunk towards zero.
        var season: [Double]?
        if n - start >= 24 && z.count >= 18 {
            var sum = [Double](repeating: 0, count: 12), cnt = [Double](repeating: 0, count: 12)
            for (i, t) in idx.enumerated() {
                var local = 0.0, c = 0.0
                for (j, u) in idx.enumerated() where abs(u - t) <= 6 { local += z[j]; c += 1 }
                sum[t % 12] += z[i] - local / c
                cnt[t % 12] += 1
            }
            var s = [Double](repeating: 0, count: 12)
            for j in 0..<12 { s[j] = sum[j] / (cnt[j] + 2) }
            let avg = Stats.mean(s)
            season = s.map { $0 - avg }
        }
        seasonal = season
        var x = z
        if let season { for (i, t) in idx.enumerated() { x[i] -= season[t % 12] } }
        // Exponentially weighted level; weight by one-step error when there is enough data.
        func run(_ alpha: Double) -> (level: Double, sse: Double, errors: [Double]) {
            var l = x[0], sse = 0.0
            var e: [Double] = []
            for i in 1..<max(1, x.count) {
                let err = x[i] - l
                e.append(err)
                sse += err * err
                l += alpha * err
            }
            return (l, sse, e)
        }
        var alpha = 0.3
        if x.count >= 6 {
            var best = Double.infinity
            for a in stride(from: 0.1, through: 0.9, by: 0.1) {
                let r = run(a)
                if r.sse < best { best = r.sse; alpha = a }
            }
        }
        let r = run(alpha)
        let ne = Double(r.errors.count)
        let dataVar = ne > 0 ? r.errors.reduce(0) { $0 + $1 * $1 } / ne : 0
        let prior = StreamModel.variancePrior
        let f = (prior.weight * prior.value + ne * dataVar) / (prior.weight + ne)
        level = r.level
        noiseSD = ((1 - alpha) * f).squareRoot()
        driftSD = (alpha * alpha * f).squareRoot()
        // The one-step variance f is level error + drift + noise; the level's share is what the
        // other two leave, α(1−α)f, and never less than f/n for a short history.
        levelSD = max(alpha * (1 - alpha) * f, f / Double(max(1, x.count))).squareRoot()
        let fLong = ne >= 2 ? dataVar : f
        longRunLevelSD = (alpha * (1 - alpha) * fLong).squareRoot()
        longRunNoiseSD = ((1 - alpha) * fLong).squareRoot()
        longRunDriftSD = (alpha * alpha * fLong).squareRoot()
        degreesOfFreedom = min(60, max(3, Double(x.count - 1)))
        var errs = [Double?](repeating: nil, count: n)
        for (i, e) in r.errors.enumerated() { errs[idx[i + 1]] = e }
        errors = errs
        // Two years or more paid every month: let the model zoo find trend and season.
        var run = 0
        for v in y.reversed() { if v > 0 { run += 1 } else { break } }
        if run >= 24, let fit = try? Combination.standard.fit(y.suffix(run).map { log($0) }, seasonLength: 12),
           let centres = try? fit.pointForecast(horizon: horizon), centres.allSatisfy(\.isFinite) {
            zooCentres = centres
        } else {
            zooCentres = nil
        }
    }

    /// Average pairwise correlation of the streams' one-step errors, shrunk towards zero by the
    /// number of overlapping months; within 0...0.7.
    static func commonCorrelation(_ models: [StreamModel]) -> Double {
        var total = 0.0, pairs = 0.0
        for i in 0..<models.count {
            for j in (i + 1)..<max(i + 1, models.count) {
                var a: [Double] = [], b: [Double] = []
                for t in 0..<models[i].errors.count {
                    if let x = models[i].errors[t], let y = models[j].errors[t] { a.append(x); b.append(y) }
                }
                guard a.count >= 4 else { pairs += 1; continue }
                let ma = Stats.mean(a), mb = Stats.mean(b)
                var sab = 0.0, saa = 0.0, sbb = 0.0
                for k in 0..<a.count { sab += (a[k] - ma) * (b[k] - mb); saa += (a[k] - ma) * (a[k] - ma); sbb += (b[k] - mb) * (b[k] - mb) }
                let r = saa > 0 && sbb > 0 ? sab / (saa * sbb).squareRoot() : 0
                total += r * Double(a.count) / Double(a.count + 10)
                pairs += 1
            }
        }
        return pairs > 0 ? min(0.7, max(0, total / pairs)) : 0
    }

    /// One path: calls `emit(k, amount)` for each future month k. With `knownParameters`, the
    /// rates and the level's uncertainty are those of a long history (their means, normal noise):
    /// the band the same income would have with years of history, to say how much a short history widens it.
    func simulate(_ rng: inout SeededGenerator, common: [Double], rho: Double, historyCount n: Int, knownParameters: Bool = false,
                  emit: (Int, Double) -> Void) {
        if allZero {
            for k in 0..<common.count { emit(k, 0) }
            return
        }
        let ended = rng.uniform() < endedChance
        var pStop = rng.beta(StreamModel.stopPrior.a + nAD, StreamModel.stopPrior.b + nAA)
        var pReturn = rng.beta(StreamModel.returnPrior.a + nDA, StreamModel.returnPrior.b + nDD)
        if knownParameters { pStop = stopMean; pReturn = returnMean }
        var lev = level + (knownParameters ? longRunLevelSD : levelSD) * rng.normal()
        var active = activeNow
        let own = (1 - rho).squareRoot(), shared = rho.squareRoot()
        for k in 0..<common.count {
            let u = rng.uniform()
            active = active ? u >= pStop : u < pReturn
            lev += (knownParameters ? longRunDriftSD : driftSD) * rng.normal()
            let eps = (knownParameters ? longRunNoiseSD : noiseSD) * (shared * common[k] + own * (knownParameters ? rng.normal() : rng.studentT(degreesOfFreedom)))
            let centre: Double
            if let zoo = zooCentres { centre = zoo[k] + (lev - level) } else { centre = lev + (seasonal?[(n + k) % 12] ?? 0) }
            emit(k, active && !ended ? exp(centre + eps) : 0)
        }
    }
}
