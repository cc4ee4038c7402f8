import Foundation

/// The equal-weight mean of several models' point forecasts. Intervals are calibrated on the
/// combination's own past errors, not averaged from the members'. Members that cannot fit a
/// series (too short, not positive) are left out for that series.
public struct Combination: Forecaster {
    public var name: String
    public var members: [any Forecaster]
    /// How the combination's intervals are calibrated.
    public var calibration: IntervalCalibration

    public init(name: String = "Combination", members: [any Forecaster], calibration: IntervalCalibration = .default) {
        self.name = name
        self.members = members
        self.calibration = calibration
    }

    /// Saldo's default: the mean of ETS (chosen by AICc), Theta and the dynamic optimised Theta.
    /// Chosen from the M3 and Tourism benchmark (see docs/forecasting.md).
    public static let standard = Combination(name: "Default", members: [AutoETS(), Theta(.standard), Theta(.optimized)])

    public func minimumObservations(seasonLength: Int) -> Int {
        members.map { $0.minimumObservations(seasonLength: seasonLength) }.min() ?? 1
    }

    public func fit(_ series: [Double], seasonLength: Int) throws(ForecastError) -> FittedForecast {
        try checkLength(series, seasonLength: seasonLength)
        var fitted: [any PointPath] = []
        var lastError: ForecastError?
        for member in members {
            do {
                fitted.append(try member.fit(series, seasonLength: seasonLength).core)
            } catch {
                lastError = error
            }
        }
        if fitted.isEmpty { throw lastError ?? .tooShort(model: name, needed: 1, found: series.count) }
        return FittedForecast(name: name, series: series, seasonLength: seasonLength, core: MeanPath(members: fitted), calibration: calibration)
    }

    /// Fits each member and the combination in one pass (the benchmark uses this to avoid refits).
    func fitAll(_ series: [Double], seasonLength: Int) -> (combined: FittedForecast?, members: [FittedForecast?]) {
        var fits: [FittedForecast?] = []
        for member in members { fits.append(try? member.fit(series, seasonLength: seasonLength)) }
        let cores = fits.compactMap { $0?.core }
        let combined = cores.isEmpty ? nil : FittedForecast(name: name, series: series, seasonLength: seasonLength, core: MeanPath(members: cores), calibration: calibration)
        return (combined, fits)
    }
}

struct MeanPath: PointPath {
    let members: [any PointPath]

    func forecast(horizon: Int) -> [Double] {
        var out = [Double](repeating: 0, count: horizon)
        for m in members {
            let f = m.forecast(horizon: horizon)
            for k in 0..<horizon { out[k] += f[k] }
        }
        let c = Double(members.count)
        for k in 0..<horizon { out[k] /= c }
        return out
    }

    func originForecasts(horizon: Int) -> OriginForecasts {
        let all = members.map { $0.originForecasts(horizon: horizon) }
        guard let count = all.first?.count else { return .empty(count: 0, horizon: horizon) }
        let first = all.map(\.first).max() ?? count
        guard first < count else { return .empty(count: count, horizon: horizon) }
        var v = [Double](repeating: 0, count: (count - first) * horizon)
        for o in all {
            var i = 0
            for t in first..<count {
                let base = (t - o.first) * horizon
                for k in 0..<horizon { v[i] += o.values[base + k]; i += 1 }
            }
        }
        let c = Double(all.count)
        for i in 0..<v.count { v[i] /= c }
        return OriginForecasts(first: first, count: count, horizon: horizon, values: v)
    }
}
