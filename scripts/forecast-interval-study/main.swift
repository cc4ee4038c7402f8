// Issue #16, sixth round: the interval study (IntervalStudy.Grid.standard's knobs) with the optimism
// rules given on the command line, on the default's fits of every series of the six sets, fitted
// once and cached. Not part of the package. Build and run from the repository root:
//   mkdir -p /tmp/study && cp scripts/forecast-interval-study/main.swift /tmp/study/
//   swiftc -O -wmo -module-name SaldoForecast Sources/SaldoForecast/**/*.swift /tmp/study/main.swift -o /tmp/study/study
//   /tmp/study/study DATA_DIR /tmp/study/cases.bin fixed          # the fifth round's p = 4, 6, 8
//   /tmp/study/study DATA_DIR /tmp/study/cases.bin effective      # √(N / (N − p_eff)): the default
//   /tmp/study/study DATA_DIR /tmp/study/cases.bin studentT       # t quantiles, N − p_eff degrees
// (delete cases.bin after the members change: it holds their fits).
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
var grid = IntervalStudy.Grid.standard
grid.optimism = (args.count > 3 ? args[3] : "effective").split(separator: ",").map { IntervalCalibration.Optimism(rawValue: String($0))! }
// The effective number of parameters per set: mean and quartiles.
for d in BenchmarkDataset.allCases {
    let p = cases.filter { $0.dataset == d }.map(\.origins.parameters).sorted()
    if p.isEmpty { continue }
    print(d.rawValue, "p_eff mean", String(format: "%.2f", p.reduce(0, +) / Double(p.count)), "quartiles",
          String(format: "%.2f / %.2f / %.2f", p[p.count / 4], p[p.count / 2], p[3 * p.count / 4]))
}
let t0 = Date()
let report = IntervalStudy.study(cases, grid: grid, current: .default, reference: .globalGrowth)
print(IntervalStudy.render(report))
print("fifth round's default on these fits:")
for d in BenchmarkSelection.all.datasets {
    let s = IntervalStudy.score(cases.filter { $0.dataset == d }, calibration: .fifthRound)
    print(d.rawValue, String(format: "%.3f / %.3f / %.2f", s.coverage80, s.coverage95, s.msis))
}
print("scored in", Date().timeIntervalSince(t0), "s")
