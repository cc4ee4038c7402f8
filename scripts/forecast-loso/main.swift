// Issue #16 third round: dumps members' forecasts and per-step past errors (see run.sh). Not part of the package.
import Foundation

// usage: exp <dataDir> <stride> <outDir> <sets comma> [pooled specs: L=24,r=0.1,adj=1,S=12 ...]
let args = CommandLine.arguments
let dataDir = URL(fileURLWithPath: args[1])
let every = Int(args[2])!
let outDir = args[3]
let sets = args[4].split(separator: ",").map { BenchmarkDataset(rawValue: String($0))! }
var pooledSpecs: [(String, PooledLinear)] = []
for spec in args.dropFirst(5) {
    var p = PooledLinear()
    for kv in spec.split(separator: ",") {
        let parts = kv.split(separator: "=")
        let k = String(parts[0]), v = String(parts[1])
        switch k {
        case "L": p.lags = Int(v)
        case "r": p.ridge = Double(v)!
        case "adj": p.seasonallyAdjusted = v == "1"
        case "S": p.scaleLength = Int(v)
        case "last": p.fromLast = v == "1"
        case "log": p.logarithms = v == "1"
        case "seas": p.seasons = Int(v)!
        default: fatalError("bad spec \(spec)")
        }
    }
    pooledSpecs.append((spec, p))
}
let base: [(String, any Forecaster)] = [("ETS-AW", AutoETS(akaikeWeights: true, performanceExponent: 8)), ("Theta", Theta(.standard)), ("DOTM", Theta(.optimized)), ("ARIMA", AutoARIMA())]
for d in sets {
    let data = try! Data(contentsOf: dataDir.appendingPathComponent(d.fileName))
    let all = try! ForecastBenchmark.load(d, from: data)
    let h = all.map { $0.test.count }.max()!
    var members = base
    var poolTime = 0.0
    for (spec, p) in pooledSpecs {
        let t0 = ThreadClock.now()
        let m = try! p.pool(all.map(\.train), seasonLength: d.seasonLength, horizon: h)
        poolTime += ThreadClock.now() - t0
        members.append((spec, m))
    }
    var times = [Double](repeating: 0, count: members.count)
    var out: [[String: Any]] = []
    for (si, s) in all.enumerated() where si % every == 0 {
        let hh = s.test.count
        var paths: [(mean: [Double], origins: OriginForecasts)] = []
        for (j, (_, m)) in members.enumerated() {
            let t0 = ThreadClock.now()
            let fit = (try? m.fit(s.train, seasonLength: s.seasonLength)) ?? (try! SeasonalNaive().fit(s.train, seasonLength: s.seasonLength))
            let r = fit.core.forecastAndOrigins(horizon: hh)
            times[j] += ThreadClock.now() - t0
            paths.append(r)
        }
        let n = s.train.count
        let usable = paths.allSatisfy { $0.origins.count == n && $0.origins.horizon >= hh }
        let first = max(max(3, s.seasonLength), paths.map(\.origins.first).max() ?? n)
        var sums = [[Double]](repeating: [Double](repeating: 0, count: hh), count: members.count)
        var cnt = [Double](repeating: 0, count: hh)
        if usable {
            for o in first..<n {
                for k in 1...hh where o + k - 1 < n {
                    let y = s.train[o + k - 1]
                    var ok = true
                    for p in paths where !(y - p.origins.value(origin: o, step: k)).isFinite { ok = false }
                    if !ok { continue }
                    for j in 0..<members.count { sums[j][k - 1] += abs(y - paths[j].origins.value(origin: o, step: k)) }
                    cnt[k - 1] += 1
                }
            }
        }
        var scale = 0.0, c = 0
        let m = s.seasonLength
        if n > m { for t in m..<n { scale += abs(s.train[t] - s.train[t - m]); c += 1 } }
        out.append(["id": s.id, "test": s.test, "scale": c > 0 ? scale / Double(c) : .nan, "n": n,
                    "f": paths.map { $0.mean }, "sums": sums, "cnt": cnt])
    }
    let obj: [String: Any] = ["set": d.rawValue, "members": members.map(\.0), "times": times, "poolTime": poolTime, "series": out]
    let json = try! JSONSerialization.data(withJSONObject: obj)
    try! json.write(to: URL(fileURLWithPath: "\(outDir)/\(d.rawValue).json"))
    print(d.rawValue, members.map(\.0), times.map { String(format: "%.2f", $0) }, String(format: "pool %.2f", poolTime))
}
