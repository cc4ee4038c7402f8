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
    public static let standard: Combination = {
        let env = ProcessInfo.processInfo.environment
        guard let spec = env["SALDO_MEMBERS"] else {
            return Combination(name: "Default", members: [AutoETS(akaikeWeights: true), Theta(.standard), Theta(.optimized), AutoARIMA()],
                               weights: [4, 2, 1, 1])
        }
        var ms: [any Forecaster] = []
        var ws: [Double] = []
        for item in spec.split(separator: ",") {
            let parts = item.split(separator: ":")
            let w = parts.count > 1 ? Double(parts[1]) ?? 1 : 1
            switch parts[0] {
            case "etsaw": ms.append(AutoETS(akaikeWeights: true))
            case "ets": ms.append(AutoETS())
            case "theta": ms.append(Theta(.standard))
            case "otheta": ms.append(Theta(.optimized))
            case "holt": ms.append(HoltDamped())
            case "ses": ms.append(SimpleExponentialSmoothing())
            case "snaive": ms.append(SeasonalNaive())
            case "naive": ms.append(Naive())
            case "arima": ms.append(AutoARIMA())
            case "arima1": ms.append(AutoARIMA(maxOrder: 1))
            case "arima3": ms.append(AutoARIMA(maxOrder: 3))
            default: continue
            }
            ws.append(w)
        }
        return Combination(name: "Default", members: ms, weights: ws)
    }()

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
                              core: combinedPath(fitted, priors: used, series: series, seasonLength: seasonLength), calibration: calibration)
    }

    /// The combination of fitted members (with their prior weights) on `series`.
    func combinedPath(_ members: [any PointPath], priors: [Double], series: [Double], seasonLength: Int) -> any PointPath {
        let env = ProcessInfo.processInfo.environment
        let lambda = Double(env["SALDO_PW_LAMBDA"] ?? "") ?? 2
        if lambda == 0 || members.count < 2 { return MeanPath(members: members, weights: priors) }
        return PerformancePath(members: members, priors: priors, series: series, seasonLength: seasonLength, lambda: lambda,
                               squared: env["SALDO_PW_MSE"] == "1", shrink: Double(env["SALDO_PW_SHRINK"] ?? "") ?? 0,
                               warmSeasons: Double(env["SALDO_PW_WARM"] ?? "") ?? 1, recent: Double(env["SALDO_PW_RECENT"] ?? "") ?? 0)
    }
}

/// Members weighted per series by prior × (in-sample multi-step error)^-lambda, the error measured
/// from every past origin at steps 1...h of the requested horizon.
struct PerformancePath: PointPath {
    let members: [any PointPath]
    let priors: [Double]
    let series: [Double]
    let seasonLength: Int
    let lambda: Double
    let squared: Bool
    let shrink: Double
    let warmSeasons: Double
    let recent: Double

    func weights(horizon h: Int, origins all: [OriginForecasts]) -> [Double] {
        let n = series.count
        let warm = max(3, Int((Double(seasonLength) * warmSeasons).rounded()))
        var errs = [Double](repeating: 0, count: members.count)
        for (j, o) in all.enumerated() {
            guard o.count == n, o.horizon >= h else { return normalized(priors) }
            var s = 0.0, c = 0.0
            for t in max(warm, o.first)..<n {
                let kMax = min(h, n - t)
                if kMax < 1 { continue }
                let wt = recent > 0 ? exp(-recent * Double(n - t) / Double(max(1, seasonLength))) : 1
                for k in 1...kMax {
                    let e = series[t + k - 1] - o.value(origin: t, step: k)
                    if e.isFinite { s += wt * (squared ? e * e : abs(e)); c += wt }
                }
            }
            guard c > 0 else { return normalized(priors) }
            errs[j] = s / c
        }
        let mean = errs.reduce(0, +) / Double(errs.count)
        guard mean > 0 else { return normalized(priors) }
        var w = [Double](repeating: 0, count: members.count)
        for j in 0..<members.count {
            let r = max(errs[j], 1e-9 * mean) / mean
            w[j] = priors[j] * pow(r, -lambda)
        }
        let nw = normalized(w), np = normalized(priors)
        return zip(nw, np).map { (1 - shrink) * $0 + shrink * $1 }
    }

    func normalized(_ w: [Double]) -> [Double] {
        let t = w.reduce(0, +)
        return t > 0 && t.isFinite ? w.map { $0 / t } : [Double](repeating: 1 / Double(max(1, w.count)), count: w.count)
    }

    var perStep: Bool { ProcessInfo.processInfo.environment["SALDO_PW_STEP"] != "0" }

    /// Weights per step: row k-1 holds the weights of step k (from errors at steps 1...k when per step).
    func stepWeights(horizon: Int, origins all: [OriginForecasts]) -> [[Double]] {
        if !perStep {
            let w = weights(horizon: horizon, origins: all)
            return [[Double]](repeating: w, count: horizon)
        }
        return (1...horizon).map { weights(horizon: $0, origins: all) }
    }

    func forecast(horizon: Int) -> [Double] {
        let all = members.map { $0.originForecasts(horizon: horizon) }
        let w = stepWeights(horizon: horizon, origins: all)
        var out = [Double](repeating: 0, count: horizon)
        for (j, m) in members.enumerated() {
            let f = m.forecast(horizon: horizon)
            for k in 0..<horizon { out[k] += w[k][j] * f[k] }
        }
        return out
    }

    func originForecasts(horizon: Int) -> OriginForecasts {
        let all = members.map { $0.originForecasts(horizon: horizon) }
        let w = stepWeights(horizon: horizon, origins: all)
        let count = all[0].count
        let first = all.map(\.first).max() ?? count
        guard first < count else { return .empty(count: count, horizon: horizon) }
        var v = [Double](repeating: 0, count: (count - first) * horizon)
        for (j, o) in all.enumerated() {
            var i = 0
            for t in first..<count {
                let base = (t - o.first) * horizon
                for k in 0..<horizon { v[i] += w[k][j] * o.values[base + k]; i += 1 }
            }
        }
        return OriginForecasts(first: first, count: count, horizon: horizon, values: v)
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
