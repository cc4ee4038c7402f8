import Foundation

/// The Theta method as a state-space model (Fiorucci et al. 2016), on the seasonally adjusted series.
///
/// - `standard`: θ = 2, trend line fitted once on the whole series (the M3 winner, STM).
/// - `optimized`: θ estimated, trend line updated as each value arrives (the dynamic optimised
///   Theta model, DOTM).
/// The smoothing weight α and the initial level are estimated by minimising the in-sample
/// squared one-step errors.
public struct Theta: Forecaster {
    public enum Variant: String, Sendable, Codable { case standard, optimized }
    public var variant: Variant
    public var name: String { variant == .standard ? "Theta" : "OptimizedTheta" }
    public init(_ variant: Variant = .standard) { self.variant = variant }

    public func minimumObservations(seasonLength: Int) -> Int { 4 }

    public func fit(_ series: [Double], seasonLength: Int) throws(ForecastError) -> FittedForecast {
        try checkLength(series, seasonLength: seasonLength)
        let adj = SeasonalAdjustment(series, seasonLength: seasonLength)
        let x = adj.adjust(series)
        guard let fit = ThetaFit.estimate(x, dynamic: variant == .optimized, optimizeTheta: variant == .optimized) else {
            throw .invalidInput("\(name) could not be estimated on this series of \(series.count) values")
        }
        return FittedForecast(name: name, series: series, seasonLength: seasonLength,
                              core: AdjustedPath(inner: fit, adjustment: adj, count: series.count))
    }
}

struct ThetaState {
    var level: Double, meanY: Double, a: Double, b: Double
}

struct ThetaFit: PointPath {
    let y: [Double]
    let dynamic: Bool
    let alpha: Double, theta: Double, initialLevel: Double
    let fixedA: Double, fixedB: Double

    /// μ for time index i (0-based) from the state after i values.
    @inline(__always)
    static func mu(_ s: ThetaState, i: Int, alpha: Double, theta: Double) -> Double {
        let w = pow(1 - alpha, Double(i))
        return s.level + (1 - 1 / theta) * (s.a * w + s.b * (1 - w * (1 - alpha)) / alpha)
    }

    @inline(__always)
    static func update(_ s: inout ThetaState, i: Int, value: Double, alpha: Double, dynamic: Bool) {
        let prevMean = s.meanY
        s.level = alpha * value + (1 - alpha) * s.level
        s.meanY = (Double(i) * prevMean + value) / Double(i + 1)
        if dynamic {
            s.b = (Double(i - 1) * s.b + 6 * (value - prevMean) / Double(i + 1)) / Double(i + 2)
            s.a = s.meanY - s.b * Double(i + 2) / 2
        }
    }

    static func initial(_ y0: Double, dynamic: Bool, level: Double, alpha: Double, a: Double, b: Double) -> ThetaState {
        ThetaState(level: alpha * y0 + (1 - alpha) * level, meanY: y0, a: dynamic ? y0 : a, b: dynamic ? 0 : b)
    }

    /// μ with w = (1 − α)^i given (the in-sample loop keeps it as a running product instead of a pow per step).
    @inline(__always)
    static func mu(_ s: ThetaState, w: Double, alpha: Double, theta: Double) -> Double {
        s.level + (1 - 1 / theta) * (s.a * w + s.b * (1 - w * (1 - alpha)) / alpha)
    }

    static func sse(_ y: UnsafeBufferPointer<Double>, dynamic: Bool, level: Double, alpha: Double, theta: Double, a: Double, b: Double) -> Double {
        var s = initial(y[0], dynamic: dynamic, level: level, alpha: alpha, a: a, b: b)
        var total = 0.0
        var w = 1.0
        for i in 1..<y.count {
            w *= 1 - alpha
            let f = mu(s, w: w, alpha: alpha, theta: theta)
            let e = y[i] - f
            if i >= 3 { total += e * e }
            update(&s, i: i, value: y[i], alpha: alpha, dynamic: dynamic)
        }
        return total
    }

    static func estimate(_ y: [Double], dynamic: Bool, optimizeTheta: Bool) -> ThetaFit? {
        let n = y.count
        guard n >= 4 else { return nil }
        // Whole-series regression on t = 1...n (used by the standard model).
        let lf = Stats.linearFit(y[...])
        let bFixed = lf.slope
        let aFixed = lf.intercept - lf.slope  // intercept at t = 0 in 1-based time
        var scale = 0.0
        for v in y { scale += abs(v) }
        scale = max(scale / Double(n), 1e-12)
        let objective: ([Double]) -> Double = { p in
            let level = p[0], alpha = p[1]
            let theta = optimizeTheta ? p[2] : 2
            if !(alpha >= 0.1 && alpha <= 0.99) { return .infinity }
            if optimizeTheta && !(theta >= 1 && theta <= 20) { return .infinity }
            let v = y.withUnsafeBufferPointer { sse($0, dynamic: dynamic, level: level, alpha: alpha, theta: theta, a: aFixed, b: bFixed) }
            return v.isFinite ? v / scale : .infinity
        }
        var start = [y[0] / 2, 0.5]
        var step = [max(abs(y[0]) * 0.2, 1e-3), 0.1]
        if optimizeTheta { start.append(2); step.append(0.5) }
        let r = NelderMead(maxEvaluations: 300, tolerance: 1e-8).minimize(start: start, step: step, objective)
        guard r.value.isFinite else { return nil }
        return ThetaFit(y: y, dynamic: dynamic, alpha: r.x[1], theta: optimizeTheta ? r.x[2] : 2,
                        initialLevel: r.x[0], fixedA: aFixed, fixedB: bFixed)
    }

    private func extend(_ s0: ThetaState, from i0: Int, horizon: Int, into out: inout [Double], at base: Int) {
        var s = s0
        for k in 0..<horizon {
            let i = i0 + k
            let f = ThetaFit.mu(s, i: i, alpha: alpha, theta: theta)
            out[base + k] = f
            ThetaFit.update(&s, i: i, value: f, alpha: alpha, dynamic: dynamic)
        }
    }

    func forecast(horizon: Int) -> [Double] {
        var s = ThetaFit.initial(y[0], dynamic: dynamic, level: initialLevel, alpha: alpha, a: fixedA, b: fixedB)
        for i in 1..<y.count { ThetaFit.update(&s, i: i, value: y[i], alpha: alpha, dynamic: dynamic) }
        var out = [Double](repeating: 0, count: horizon)
        extend(s, from: y.count, horizon: horizon, into: &out, at: 0)
        return out
    }

    func originForecasts(horizon: Int) -> OriginForecasts {
        let n = y.count
        var s = ThetaFit.initial(y[0], dynamic: dynamic, level: initialLevel, alpha: alpha, a: fixedA, b: fixedB)
        var out = [Double](repeating: 0, count: (n - 1) * horizon)
        for t in 1..<n {
            extend(s, from: t, horizon: horizon, into: &out, at: (t - 1) * horizon)
            ThetaFit.update(&s, i: t, value: y[t], alpha: alpha, dynamic: dynamic)
        }
        // α and the initial level, plus θ (optimised) or the trend line's intercept and slope
        // (standard; the dynamic model's line is updated, not fitted).
        return OriginForecasts(first: 1, count: n, horizon: horizon, values: out, parameters: dynamic ? 3 : 4)
    }
}
