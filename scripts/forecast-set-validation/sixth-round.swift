// Issue #16, sixth round: how clear each set's validation winner is. Per set, the members' sMAPE and
// MASE per validation forecast (two windows, 150 series each), the lead of the best member over each
// other in relative error, its paired standard error across the forecasts of both
// windows, and the lead on each window alone. From the repository root (top-level code must be in a
// file named main.swift):
//   mkdir -p /tmp/sv6 && cp scripts/forecast-set-validation/sixth-round.swift /tmp/sv6/main.swift
//   swiftc -O -wmo -module-name SaldoForecast Sources/SaldoForecast/**/*.swift /tmp/sv6/main.swift -o /tmp/sv6/sv6
//   /tmp/sv6/sv6 ../shared/data/forecasting
import Foundation
let loc = URL(fileURLWithPath: CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "../shared/data/forecasting")
let maxS = Int(ProcessInfo.processInfo.environment["MAXS"] ?? "150")!
for (d, series) in try ForecastBenchmark.loadAll(.all, location: loc) {
    let m = d.seasonLength
    let h = series.map(\.test.count).max()!
    let rule = SetValidation(maximumSeries: maxS)
    let train = series.map(\.train)
    let f1 = rule.fits(.standard, collection: train, seasonLength: m, horizon: h)!
    let f2 = rule.fits(.standard, collection: train.map { Array($0.dropLast(h)) }, seasonLength: m, horizon: h)!
    let s1 = rule.memberScores(f1), s2 = rule.memberScores(f2)
    let both = SetValidation.averaged(s1, s2)
    let r = rule.relativeErrors(both)!
    let order = r.indices.sorted { r[$0] < r[$1] }
    let w = order[0]
    let bS = both.map(\.smape).min()!, bM = both.map(\.mase).min()!
    let p1 = rule.perSeries(f1), p2 = rule.perSeries(f2)
    print("\(d.rawValue): best \(both[w].name), r", r.map { String(format: "%.3f", $0) }.joined(separator: ","), "units \(p1.count)+\(p2.count)")
    let r1 = rule.relativeErrors(s1)!, r2 = rule.relativeErrors(s2)!
    print("  window1 r", r1.map { String(format: "%.3f", $0) }.joined(separator: ","), " window2 r", r2.map { String(format: "%.3f", $0) }.joined(separator: ","))
    var minT = Double.infinity
    for j in r.indices where j != w {
        let d = (p1 + p2).map { 0.5 * (($0.smape[j] - $0.smape[w]) / bS + ($0.mase[j] - $0.mase[w]) / bM) }
        let n = Double(d.count)
        let mean = d.reduce(0, +) / n
        let sd = (d.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / (n - 1)).squareRoot()
        let t = mean / (sd / n.squareRoot())
        // Per window
        func lead(_ p: [(smape: [Double], mase: [Double])]) -> (Double, Double) {
            let dd = p.map { 0.5 * (($0.smape[j] - $0.smape[w]) / bS + ($0.mase[j] - $0.mase[w]) / bM) }
            let nn = Double(dd.count); let mm = dd.reduce(0, +) / nn
            let ss = (dd.map { ($0 - mm) * ($0 - mm) }.reduce(0, +) / (nn - 1)).squareRoot()
            return (mm, mm / (ss / nn.squareRoot()))
        }
        let l1 = lead(p1), l2 = lead(p2)
        minT = min(minT, t)
        print(String(format: "  vs %@: lead %.4f  se %.4f  t %.2f | window1 lead %.4f t %.2f | window2 lead %.4f t %.2f", both[j].name as NSString, mean, sd / n.squareRoot(), t, l1.0, l1.1, l2.0, l2.1))
    }
    print(String(format: "  least t over the others %.2f; one-sided 5%% critical %.3f", minT, Stats.normalQuantile(0.95)))
    fflush(stdout)
}
