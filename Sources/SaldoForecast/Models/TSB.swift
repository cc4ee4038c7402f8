import Foundation

/// Teunter–Syntetos–Babai: smooths the probability of a non-zero value every period and the
/// amount only when one occurs, so the forecast decays during a drought (unlike Croston's).
/// Both weights are estimated by minimising squared one-step errors.
public struct TSB: Forecaster {
    public var name: String { "TSB" }
    public init() {}
    public func minimumObservations(seasonLength: Int) -> Int { 2 }

    public func fit(_ series: [Double], seasonLength: Int) throws(ForecastError) -> FittedForecast {
        try checkLength(series, seasonLength: seasonLength)
        let y = series
        let start = TSBPath.initial(y)
        let r = NelderMead(maxEvaluations: 150, tolerance: 1e-8).minimize(start: [0.1, 0.1], step: [0.05, 0.05]) { p in
            guard p[0] >= 0.01, p[0] <= 0.9, p[1] >= 0.01, p[1] <= 0.9 else { return .infinity }
            let path = TSBPath(y: y, alphaP: p[0], alphaZ: p[1], p0: start.p, z0: start.z)
            let lv = path.levels()
            var s = 0.0
            for t in 0..<y.count { let e = y[t] - lv[t]; s += e * e }
            return s
        }
        let path = TSBPath(y: y, alphaP: r.x[0], alphaZ: r.x[1], p0: start.p, z0: start.z)
        return FittedForecast(name: name, series: series, seasonLength: seasonLength, core: path)
    }
}

struct TSBPath: PointPath {
    let y: [Double]
    let alphaP: Double, alphaZ: Double
    let p0: Double, z0: Double

    static func initial(_ y: [Double]) -> (p: Double, z: Double) {
        var nz = 0, sum = 0.0
        for v in y where v != 0 { nz += 1; sum += v }
        return (Double(nz) / Double(max(1, y.count)), nz > 0 ? sum / Double(nz) : 0)
    }

    /// lv[t] is the forecast made after t values.
    func levels() -> [Double] {
        var out = [Double](repeating: 0, count: y.count + 1)
        var p = p0, z = z0
        out[0] = p * z
        for t in 0..<y.count {
            if y[t] != 0 {
                p += alphaP * (1 - p)
                z += alphaZ * (y[t] - z)
            } else {
                p += alphaP * (0 - p)
            }
            out[t + 1] = p * z
        }
        return out
    }

    func forecast(horizon: Int) -> [Double] {
        [Double](repeating: levels()[y.count], count: horizon)
    }

    func originForecasts(horizon: Int) -> OriginForecasts {
        let n = y.count
        guard n >= 2 else { return .empty(count: n, horizon: horizon) }
        let lv = levels()
        var v = [Double](repeating: 0, count: (n - 1) * horizon)
        for t in 1..<n { for k in 0..<horizon { v[(t - 1) * horizon + k] = lv[t] } }
        return OriginForecasts(first: 1, count: n, horizon: horizon, values: v, parameters: 2)
    }
}
