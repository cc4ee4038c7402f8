// Issue #16, fourth round: the set validation's exponent, scored on every set's test values for
// each candidate (members fitted once per series, weights recombined as PerformancePath does).
// Compiled with the SaldoForecast sources by run.sh; prints one block per set for loso.py.
import Foundation
let loc = URL(fileURLWithPath: CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "../shared/data/forecasting")
let env = ProcessInfo.processInfo.environment
do {
    let maxS = Int(env["MAXS"] ?? "150")!
    let exps: [Double] = (env["EXPS"] ?? "0,1,2,3,4,6,8,12,16").split(separator: ",").map { Double($0)! }
    for (d, series) in try ForecastBenchmark.loadAll(.all, location: loc) {
        let m = d.seasonLength
        let h = series.map(\.test.count).max()!
        let base = Combination.standard
        let t0 = ThreadClock.now()
        let rule = SetValidation(maximumSeries: maxS)
        let vf = rule.fits(base, collection: series.map(\.train), seasonLength: m, horizon: h)!
        let vs = rule.memberScores(vf)
        let tv = ThreadClock.now() - t0
        let model = base.pooled(on: series.map(\.train), seasonLength: m, horizon: h, validate: false)
        var fits: [([any PointPath], [Double])] = []
        var memberAcc = [[Double]](repeating: [0, 0], count: model.members.count)
        for s in series {
            var cores: [any PointPath] = []; var w: [Double] = []
            for (i, mem) in model.members.enumerated() {
                guard let f = ForecastBenchmark.fitOrFallback(mem, s) else { continue }
                cores.append(f.core); w.append(model.weight(i))
                let p = f.core.forecast(horizon: s.test.count)
                memberAcc[i][0] += AccuracyMetrics.smape(actual: s.test, forecast: p)
                memberAcc[i][1] += AccuracyMetrics.mase(actual: s.test, forecast: p, insample: s.train, seasonLength: m)
            }
            fits.append((cores, w))
        }
        let n = Double(series.count)
        var rel = [Double](repeating: 0, count: model.members.count); var relN = 0.0
        for (s, (cores, _)) in zip(series, fits) where cores.count == model.members.count {
            let o = cores.map { $0.originForecasts(horizon: s.test.count) }
            let first = max(o.map(\.first).max()!, max(3, m))
            var mae = [Double](repeating: 0, count: cores.count); var c = 0.0
            if first >= s.train.count { continue }
            for t in first..<s.train.count { for k in 1...s.test.count where t + k - 1 < s.train.count {
                var ok = true
                for j in 0..<cores.count where !o[j].values.isEmpty && !(o[j].value(origin: t, step: k).isFinite) { ok = false }
                if !ok || o.contains(where: { $0.values.isEmpty || $0.count != s.train.count }) { continue }
                for j in 0..<cores.count { mae[j] += abs(s.train[t + k - 1] - o[j].value(origin: t, step: k)) }
                c += 1
            } }
            if c < 6 { continue }
            let mean = mae.reduce(0, +) / Double(mae.count)
            if !(mean > 0) { continue }
            for j in 0..<cores.count { rel[j] += mae[j] / mean }
            relN += 1
        }
        rel = rel.map { $0 / relN }
        print("  in-sample rel", rel.map { String(format: "%.3f", $0) }.joined(separator: ","))
        do {
            let ps = rule.perSeries(vf)
            let J = vs.count
            let b = (0..<J).min { vs[$0].smape / vs.map(\.smape).min()! + vs[$0].mase / vs.map(\.mase).min()! < vs[$1].smape / vs.map(\.smape).min()! + vs[$1].mase / vs.map(\.mase).min()! }!
            var line = "  t vs best \(vs[b].name):"
            for j in 0..<J {
                let d = ps.map { 0.5 * ($0.smape[j] - $0.smape[b]) / vs[b].smape + 0.5 * ($0.mase[j] - $0.mase[b]) / vs[b].mase }
                let mu = d.reduce(0, +) / Double(d.count)
                let sd = (d.map { ($0 - mu) * ($0 - mu) }.reduce(0, +) / Double(d.count - 1)).squareRoot()
                line += String(format: " %@ %.2f(%.3f)", vs[j].name as NSString, mu / (sd / Double(d.count).squareRoot()), mu)
            }
            print(line)
        }
        print("\(d.rawValue) validation \(String(format: "%.2f", tv)) s on \(min(maxS, series.count))")
        for (j, v) in vs.enumerated() {
            print(String(format: "  %-10@ val %.2f / %.3f   test %.2f / %.3f", v.name as NSString, v.smape, v.mase, memberAcc[j][0] / n, memberAcc[j][1] / n))
        }
        for e in exps {
            let mult = rule.multipliers(vs, exponent: e)
            var sm = 0.0, ma = 0.0
            for (s, (cores, w)) in zip(series, fits) {
                let pri = cores.count == mult.count ? zip(w, mult).map { $0 * $1 } : w
                let p = model.combinedPath(cores, priors: pri, series: s.train, seasonLength: m).forecast(horizon: s.test.count)
                sm += AccuracyMetrics.smape(actual: s.test, forecast: p)
                ma += AccuracyMetrics.mase(actual: s.test, forecast: p, insample: s.train, seasonLength: m)
            }
            let t1 = ThreadClock.now()
            let cv = rule.combinationScore(vf, multipliers: mult)
            let tc = ThreadClock.now() - t1
            print(String(format: "  e=%g  val %.3f / %.4f (%.2f s)  test %.3f / %.4f   mult %@", e, cv.smape, cv.mase, tc, sm / n, ma / n, mult.map { String(format: "%.2f", $0) }.joined(separator: ",")))
        }
        fflush(stdout)
    }
}
