import Foundation
@testable import SaldoForecast

/// Synthetic freelancer histories from a known process, for the calibration test:
/// platforms that start late, go dry and come back, stop for good, have seasonal dips
/// (August and December at 60%) and rate changes (×0.7…×1.4 from some month on).
struct SyntheticFreelancer {
    var streams: [String: [Double]]
    /// The true total of the months after the history.
    var futureTotal: Double

    static func make(seed: UInt64, historyMonths n: Int, futureMonths h: Int = 3) -> SyntheticFreelancer {
        var rng = SeededGenerator(seed: seed)
        let total = n + h
        let platforms = 1 + Int(rng.uniform() * 4)
        var streams: [String: [Double]] = [:]
        var future = 0.0
        for p in 0..<platforms {
            let start = rng.uniform() < 0.5 ? 0 : Int(rng.uniform() * Double(max(1, n - 1)))
            var level = log(300) + rng.uniform() * (log(4000) - log(300))
            let pStop = 0.02 + rng.uniform() * 0.18
            let pReturn = 0.1 + rng.uniform() * 0.5
            let noise = 0.1 + rng.uniform() * 0.4
            let dips = rng.uniform() < 0.4
            let changeAt = rng.uniform() < 0.3 ? Int(rng.uniform() * Double(total)) : -1
            let change = log(0.7 + rng.uniform() * 0.7)
            let endAt = rng.uniform() < 0.15 ? Int(rng.uniform() * Double(total)) : -1
            var active = true
            var y = [Double](repeating: 0, count: total)
            for t in 0..<total {
                if t < start { continue }
                if t > start {
                    let u = rng.uniform()
                    active = active ? u >= pStop : u < pReturn
                }
                if endAt >= 0 && t >= endAt { active = false }
                level += 0.05 * rng.normal()
                if t == changeAt { level += change }
                var v = exp(level + noise * rng.normal())
                if dips && (t % 12 == 7 || t % 12 == 11) { v *= 0.6 }
                y[t] = active ? (v * 100).rounded() / 100 : 0
            }
            streams["P\(p)"] = Array(y.prefix(n))
            future += y[n..<total].reduce(0, +)
        }
        return SyntheticFreelancer(streams: streams, futureTotal: future)
    }
}
