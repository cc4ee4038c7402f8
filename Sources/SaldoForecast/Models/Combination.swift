import Foundation

/// The mean (equal-weight unless `weights` are given) of several models' point forecasts. Intervals are calibrated on the
/// combination's own past errors, not averaged from the members'. Members that cannot fit a
/// series (too short, not positive) are left out for that series.
public struct Combination: Forecaster {
    public var name: String
    public var members: [any Forecaster]
    /// One weight per member (normalised over the members that fit); nil for equal weights.
    public var weights: [Double]?
    /// How the combination's intervals are calibrated.
    public var calibration: IntervalCalibration

    public init(name: String = "Combination", members: [any Forecaster], weights: [Double]? = nil, calibration: IntervalCalibration = .default) {
        self.name = name
        self.members = members
        self.weights = weights
        self.calibration = calibration
    }

    func weight(_ i: Int) -> Double {
        guard let weights, i < weights.count, weights[i].isFinite, weights[i] >= 0 else { return 1 }
        return weights[i]
    }

    /// Saldo's default: ETS with Akaike weights (weight 1/2), Theta (1/4) and the dynamic
    /// optimised Theta (1/4). Chosen from the M3 benchmark (see docs/forecasting.md).
    public static let standard = Combination(name: "Default", members: [AutoETS(akaikeWeights: true), Theta(.standard), Theta(.optimized)],
                                             weights: [2, 1, 1])

    public func minimumObservations(seasonLength: Int) -> Int {
        members.map { $0.minimumObservations(seasonLength: seasonLength) }.min() ?? 1
    }

    public func fit(_ series: [Double], seasonLength: Int) throws(ForecastError) -> FittedForecast {
        try checkLength(series, seasonLength: seasonLength)
        var fitted: [any PointPath] = []
        var used: [Double] = []
        var lastError: ForecastError?
        for (i, member) in members.enumerated() {
            do {
                fitted.append(try member.fit(series, seasonLength: seasonLength).core)
                used.append(weight(i))
            } catch {
                lastError = error
            }
        }
        if fitted.isEmpty { throw lastError ?? .tooShort(model: name, needed: 1, found: series.count) }
        return FittedForecast(name: name, series: series, seasonLength: seasonLength,
                              core: MeanPath(members: fitted, weights: used), calibration: calibration)
    }
}

/// Weighted (by default equal-weight) mean of several paths.
struct MeanPath: PointPath {
    let members: [any PointPath]
    /// Normalised weights, one per member.
    let weights: [Double]

    init(members: [any PointPath], weights: [Double]? = nil) {
        self.members = members
        let w = weights ?? [Double](repeating: 1, count: members.count)
        let total = w.reduce(0, +)
        self.weights = total > 0 ? w.map { $0 / total } : [Double](repeating: 1 / Double(max(1, members.count)), count: members.count)
    }

    func forecast(horizon: Int) -> [Double] {
        var out = [Double](repeating: 0, count: horizon)
        for (i, m) in members.enumerated() {
            let f = m.forecast(horizon: horizon)
            for k in 0..<horizon { out[k] += weights[i] * f[k] }
        }
        return out
    }

    func originForecasts(horizon: Int) -> OriginForecasts {
        let all = members.map { $0.originForecasts(horizon: horizon) }
        guard let count = all.first?.count else { return .empty(count: 0, horizon: horizon) }
        let first = all.map(\.first).max() ?? count
        guard first < count else { return .empty(count: count, horizon: horizon) }
        var v = [Double](repeating: 0, count: (count - first) * horizon)
        for (j, o) in all.enumerated() {
            var i = 0
            let w = weights[j]
            for t in first..<count {
                let base = (t - o.first) * horizon
                for k in 0..<horizon { v[i] += w * o.values[base + k]; i += 1 }
            }
        }
        return OriginForecasts(first: first, count: count, horizon: horizon, values: v)
    }
}
