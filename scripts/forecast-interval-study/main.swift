// Issue #16, sixth round: the interval study with a grid given on the command line, on cases fitted
// once and cached (the default's fits of every series of the six sets). Not part of the package.
// usage: study <dataDir> <cacheFile> <grid: standard | sixth> [optimism rules, comma: fixed,effective,studentT]
import Foundation

let args = CommandLine.arguments
let dataDir = URL(fileURLWithPath: args[1])
let cache = URL(fileURLWithPath: args[2])
var cases: [IntervalStudy.Case]
if FileManager.default.fileExists(atPath: cache.path) {
    cases = try IntervalStudy.load(from: cache)
} else {
    cases = try ForecastBenchmark.loadAll(.all, location: dataDir).flatMap { IntervalStudy.collect($0.series, dataset: $0.dataset) }
    try IntervalStudy.save(cases, to: cache)
}
let rules = (args.count > 4 ? args[4] : "fixed").split(separator: ",").map { IntervalCalibration.Optimism(rawValue: String($0))! }
var grid = args[3] == "sixth" ? IntervalStudy.Grid.sixthRound : IntervalStudy.Grid.standard
grid.optimism = rules
// p_eff per set: mean and quartiles
for d in BenchmarkDataset.allCases {
    let p = cases.filter { $0.dataset == d }.map(\.origins.parameters).sorted()
    if p.isEmpty { continue }
    print(d.rawValue, "p_eff mean", String(format: "%.2f", p.reduce(0, +) / Double(p.count)), "q25/50/75",
          p[p.count / 4], p[p.count / 2], p[3 * p.count / 4])
}
print("t check", Stats.studentTQuantile(0.975, degrees: 10), Stats.studentTQuantile(0.9, degrees: 8), Stats.studentTQuantile(0.975, degrees: 2), Stats.studentTQuantile(0.9, degrees: 3.5))
let t0 = Date()
let report = IntervalStudy.study(cases, grid: grid)
print(IntervalStudy.render(report))
print("scored in", Date().timeIntervalSince(t0), "s")
