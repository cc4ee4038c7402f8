import Foundation

/// Forecast accuracy measures, as defined for the M3 and M4 competitions.
public enum AccuracyMetrics {
    /// Symmetric MAPE in percent (M3 definition): mean of 200·|y − f| / (|y| + |f|).
    /// A step where both are zero counts as 0.
    public static func smape(actual: [Double], forecast: [Double]) -> Double {
        let n = min(actual.count, forecast.count)
        if n == 0 { return .nan }
        var s = 0.0
        for i in 0..<n {
            let d = abs(actual[i]) + abs(forecast[i])
            if d > 0 { s += 200 * abs(actual[i] - forecast[i]) / d }
        }
        return s / Double(n)
    }

    /// Mean absolute scaled error: mean |y − f| divided by the in-sample mean absolute
    /// seasonal difference (lag `seasonLength`, falling back to lag 1).
    public static func mase(actual: [Double], forecast: [Double], insample: [Double], seasonLength: Int) -> Double {
        let n = min(actual.count, forecast.count)
        if n == 0 { return .nan }
        var s = 0.0
        for i in 0..<n { s += abs(actual[i] - forecast[i]) }
        return s / Double(n) / Stats.maseScale(insample, seasonLength: seasonLength)
    }

    /// Share of actual values inside [lower, upper].
    public static func coverage(actual: [Double], lower: [Double], upper: [Double]) -> Double {
        let n = min(actual.count, lower.count, upper.count)
        if n == 0 { return .nan }
        var c = 0
        for i in 0..<n where actual[i] >= lower[i] && actual[i] <= upper[i] { c += 1 }
        return Double(c) / Double(n)
    }

    /// Mean scaled interval score (M4 definition) for an interval of nominal level `level`:
    /// mean of (u − l) + (2/a)(l − y)·[y < l] + (2/a)(y − u)·[y > u], with a = 1 − level,
    /// divided by the MASE scale.
    public static func msis(actual: [Double], lower: [Double], upper: [Double], insample: [Double], seasonLength: Int, level: Double = 0.95) -> Double {
        let n = min(actual.count, lower.count, upper.count)
        if n == 0 { return .nan }
        let a = 1 - level
        var s = 0.0
        for i in 0..<n {
            s += upper[i] - lower[i]
            if actual[i] < lower[i] { s += 2 / a * (lower[i] - actual[i]) }
            if actual[i] > upper[i] { s += 2 / a * (actual[i] - upper[i]) }
        }
        return s / Double(n) / Stats.maseScale(insample, seasonLength: seasonLength)
    }
}
