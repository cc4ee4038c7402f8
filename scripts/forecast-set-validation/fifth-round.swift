// Issue #16, fifth round: every set-level weighting rule tried (the exponent on one or two validation
// windows, dropping members, validation errors without priors, a clear winner taking all), scored on
// every set's test values with the members fitted once per series. Compiled with the SaldoForecast
// sources by run5.sh; its output is read by fifth-round.py (leave-one-set-out choice per rule family).
import Foundation
let loc = URL(fileURLWithPath: CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "../shared/data/forecasting")
let env = ProcessInfo.processInfo.environment
let onlySets = env["SETS"].map { Set($0.split(separator: ",").map(String.init)) }
struct Cached: PointPath {
    let mean: [Double]; let origins: OriginForecasts
    init(_ p: any PointPath, h: Int) { let r = p.forecastAndOrigins(horizon: h); mean = r.mean; origins = r.origins }
    func forecast(horizon: Int) -> [Double] { Array(mean.prefix(horizon)) }
    func originForecasts(horizon: Int) -> OriginForecasts { origins }
    func forecastAndOrigins(horizon: Int) -> (mean: [Double], origins: OriginForecasts) { (Array(mean.prefix(horizon)), origins) }
}
func rel(_ vs: [SetValidation.MemberScore]) -> [Double] {
    let bS = vs.map(\.smape).min()!, bM = vs.map(\.mase).min()!
    return vs.map { 0.5 * ($0.smape / bS + $0.mase / bM) }
}
func pool(_ a: [SetValidation.MemberScore], _ b: [SetValidation.MemberScore]) -> [SetValidation.MemberScore] {
    zip(a, b).map { SetValidation.MemberScore(name: $0.name, smape: 0.5 * ($0.smape + $1.smape), mase: 0.5 * ($0.mase + $1.mase)) }
}
for (d, series) in try ForecastBenchmark.loadAll(.all, location: loc) {
    if let o = onlySets, !o.contains(d.rawValue) { continue }
    let m = d.seasonLength
    let h = series.map(\.test.count).max()!
    let base = Combination.standard
    let rule = SetValidation(maximumSeries: Int(env["MAXS"] ?? "150")!)
    let t0 = ThreadClock.now()
    let train = series.map(\.train)
    let vf1 = rule.fits(base, collection: train, seasonLength: m, horizon: h)!
    let t1 = ThreadClock.now()
    let vf2 = rule.fits(base, collection: train.map { Array($0.dropLast(h)) }, seasonLength: m, horizon: h)
    let t2 = ThreadClock.now()
    let vs1 = rule.memberScores(vf1)
    let vs2 = vf2.map { rule.memberScores($0) }
    let model = base.pooled(on: train, seasonLength: m, horizon: h, validate: false)
    let J = model.members.count
    var fits: [([any PointPath], [Double])] = []
    var memberAcc = [[Double]](repeating: [0, 0], count: J)
    for s in series {
        var cores: [any PointPath] = []; var w: [Double] = []
        for (i, mem) in model.members.enumerated() {
            guard let f = ForecastBenchmark.fitOrFallback(mem, s) else { continue }
            let c = Cached(f.core, h: s.test.count)
            cores.append(c); w.append(model.weight(i))
            let p = c.mean
            memberAcc[i][0] += AccuracyMetrics.smape(actual: s.test, forecast: p)
            memberAcc[i][1] += AccuracyMetrics.mase(actual: s.test, forecast: p, insample: s.train, seasonLength: m)
        }
        fits.append((cores, w))
    }
    let n = Double(series.count)
    print("\(d.rawValue) val1 \(String(format: "%.2f", t1 - t0)) s val2 \(String(format: "%.2f", t2 - t1)) s (\(vf1.series.count), \(vf2?.series.count ?? 0) series)")
    for j in 0..<J {
        print(String(format: "  member %@ test %.4f / %.5f  val1 %.2f / %.3f  val2 %@", model.members[j].name as NSString, memberAcc[j][0] / n, memberAcc[j][1] / n, vs1[j].smape, vs1[j].mase, vs2.map { String(format: "%.2f / %.3f", $0[j].smape, $0[j].mase) } ?? "-"))
    }
    let priors = (0..<J).map { model.weight($0) }
    func test(_ mult: [Double]) -> (Double, Double) {
        var sm = 0.0, ma = 0.0
        for (s, (cores, w)) in zip(series, fits) {
            let pri = cores.count == mult.count ? zip(w, mult).map { $0 * $1 } : w
            let p = model.combinedPath(cores, priors: pri, series: s.train, seasonLength: m).forecast(horizon: s.test.count)
            sm += AccuracyMetrics.smape(actual: s.test, forecast: p)
            ma += AccuracyMetrics.mase(actual: s.test, forecast: p, insample: s.train, seasonLength: m)
        }
        return (sm / n, ma / n)
    }
    var rules: [(String, [Double])] = []
    let windows: [(String, [SetValidation.MemberScore])] = [("w1", vs1)] + (vs2.map { [("w2", pool(vs1, $0))] } ?? [])
    for (wn, vs) in windows {
        let r = rel(vs)
        print("  \(wn) r", r.map { String(format: "%.3f", $0) }.joined(separator: ","))
        for e in [0.0, 1, 2, 3, 4, 6, 8, 12, 16, 24, 32] {
            rules.append(("\(wn) e=\(e)", r.map { pow($0, -e) }))
        }
        for x in [0.02, 0.05, 0.1, 0.15, 0.2, 0.3] {
            for e in [0.0, 3] {
                rules.append(("\(wn) drop=\(x) e=\(e)", r.map { $0 > 1 + x ? 0 : pow($0, -e) }))
            }
        }
        for k in [0.0, 4, 8, 16, 24, 32, 48] {
            rules.append(("\(wn) noprior k=\(k)", zip(r, priors).map { pow($0.0, -k) / $0.1 }))
        }
    }
    do {
        let base3 = rel(vs1).map { pow($0, -3.0) }
        let c1 = rule.combinationScore(vf1, multipliers: base3)
        let c2 = vf2.map { rule.combinationScore($0, multipliers: base3) }
        let pooledS = vs2.map { pool(vs1, $0) } ?? vs1
        let cs = c2.map { 0.5 * (c1.smape + $0.smape) } ?? c1.smape, cm = c2.map { 0.5 * (c1.mase + $0.mase) } ?? c1.mase
        let bS = pooledS.map(\.smape).min()!, bM = pooledS.map(\.mase).min()!
        let r = rel(pooledS)
        let rc = 0.5 * (cs / bS + cm / bM)
        let order = r.indices.sorted { r[$0] < r[$1] }
        let margin = r[order[1]] - r[order[0]]
        print(String(format: "  comb val1 %.2f / %.3f val2 %@  rcomb %.3f  best %@ r %.3f margin %.3f  comb-best %.3f", c1.smape, c1.mase, c2.map { String(format: "%.2f / %.3f", $0.smape, $0.mase) } ?? "-", rc, pooledS[order[0]].name as NSString, r[order[0]], margin, rc - r[order[0]]))
        for x in [0.0, 0.01, 0.02, 0.025, 0.03, 0.035, 0.04, 0.05, 0.07, 1] {
            let wta = margin > x
            let mult = wta ? r.indices.map { $0 == order[0] ? 1 : 0 } : base3
            rules.append(("wta margin x=\(x)", mult))
            let wtac = rc - r[order[0]] > x
            rules.append(("wta comb x=\(x)", wtac ? r.indices.map { $0 == order[0] ? 1 : 0 } : base3))
        }
    }
    for (name, mult) in rules {
        let t = test(mult)
        print(String(format: "  R %@ | test %.4f / %.5f | mult %@", name as NSString, t.0, t.1, mult.map { String(format: "%.2f", $0) }.joined(separator: ",")))
    }
    fflush(stdout)
}
