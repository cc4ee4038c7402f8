// Issue #16, seventh round: the interval study with the per-horizon scale smoothing and the
// seasonal-naive anchor crossed with IntervalStudy.Grid.standard, on the default's fits of every
// series of the six sets, fitted once and cached. Not part of the package. Build and run from the
// repository root (copied as main.swift):
//   mkdir -p /tmp/study7 && cp scripts/forecast-interval-study/seventh-round.swift /tmp/study7/main.swift
//   swiftc -O -wmo -module-name SaldoForecast $(find Sources/SaldoForecast -name "*.swift") /tmp/study7/main.swift -o /tmp/study7/study
//   /tmp/study7/study DATA_DIR /tmp/study7/cases.bin screen 0,1e12 0,10 0.5   # the default's knobs with each setting
//   /tmp/study7/study DATA_DIR /tmp/study7/cases.bin study 0,1e12 0,10,20,40 0.6,0.7,0.8
//       # the study's grid crossed with these smoothing priors, anchor priors and anchor ratios
//   /tmp/study7/study DATA_DIR /tmp/study7/cases.bin fine      # IntervalStudy.Grid.seventhRound (the last run)
import Foundation

let args = CommandLine.arguments
let dataDir = URL(fileURLWithPath: args[1])
let cache = URL(fileURLWithPath: args[2])
let mode = args.count > 3 ? args[3] : "screen"
func list(_ i: Int, _ d: String) -> [Double] { (args.count > i ? args[i] : d).split(separator: ",").map { Double(String($0))! } }
let priors = list(4, "0,1e12")
let anchorPriors = list(5, "0")
let anchorRatios = list(6, "0.5")
var cases: [IntervalStudy.Case]
if FileManager.default.fileExists(atPath: cache.path) {
    cases = try IntervalStudy.load(from: cache)
} else {
    let t = Date()
    cases = try ForecastBenchmark.loadAll(.all, location: dataDir).flatMap { IntervalStudy.collect($0.series, dataset: $0.dataset) }
    try IntervalStudy.save(cases, to: cache)
    print("fitted in", Date().timeIntervalSince(t), "s")
}
let t0 = Date()
func line(_ c: IntervalCalibration) -> String {
    BenchmarkSelection.all.datasets.map { d in
        let s = IntervalStudy.score(cases.filter { $0.dataset == d }, calibration: c)
        return String(format: "%.3f/%.3f/%.2f", s.coverage80, s.coverage95, s.msis)
    }.joined(separator: " | ")
}
print("sets:", BenchmarkSelection.all.datasets.map(\.rawValue).joined(separator: " | "))
if mode == "screen" {
    for p in priors { for a in anchorPriors { for r in anchorRatios {
        var c = IntervalCalibration.default
        c.scaleSmoothing = p; c.anchorPrior = a; c.anchorRatio = r
        print("default knobs, smoothing \(p), anchor \(r) x \(a):", line(c))
    } } }
} else {
    var grid = IntervalStudy.Grid.standard
    grid.scaleSmoothing = priors
    grid.anchorPrior = anchorPriors
    grid.anchorRatio = anchorRatios
    // The last run: `Grid.seventhRound` (finer level factors and tails; smoothing 0 / fit, anchor 0 / 0.6 × 10, 20).
    if mode == "fine" { grid = .seventhRound }
    let report = IntervalStudy.study(cases, grid: grid, current: .default, reference: .globalGrowth)
    print(IntervalStudy.render(report))
    for d in BenchmarkSelection.all.datasets {
        let s = IntervalStudy.score(cases.filter { $0.dataset == d }, calibration: report.chosenOnAll)
        print("chosen on all, exact:", d.rawValue, s.coverage80, s.coverage95, s.msis)
    }
}
print("scored in", Date().timeIntervalSince(t0), "s")
