import Foundation

/// ETS with the specification chosen by AICc among the admissible members: additive and
/// multiplicative error; no, additive and damped trend; no, additive and multiplicative season
/// (multiplicative parts only for positive data, seasonal ones only with at least three seasons).
/// With `akaikeWeights`, the candidates are averaged with weights exp(−ΔAICc/2) instead
/// (Kolassa 2011), which is steadier than picking one ("ETS-AW").
public struct AutoETS: Forecaster {
    public var name: String { akaikeWeights ? "ETS-AW" : "ETS" }
    /// Consider seasonal members only when the 90% autocorrelation test finds seasonality.
    public var seasonalOnlyWhenDetected: Bool
    /// Average the candidates with Akaike weights (exp(−ΔAICc/2)) instead of keeping only the best.
    public var akaikeWeights: Bool
    /// With `akaikeWeights`: 0 for Akaike weights alone; above 0, each candidate's Akaike weight is
    /// also multiplied, per step, by its relative past multi-step error to the power of minus this
    /// (as in `Combination.performanceExponent`).
    public var performanceExponent: Double
    public init(seasonalOnlyWhenDetected: Bool = false, akaikeWeights: Bool = false, performanceExponent: Double = 0) {
        self.seasonalOnlyWhenDetected = seasonalOnlyWhenDetected
        self.akaikeWeights = akaikeWeights
        self.performanceExponent = performanceExponent
    }

    public func minimumObservations(seasonLength: Int) -> Int { 2 }

    /// Candidates whose AICc before the restart is more than this above the best one are not
    /// restarted: their Akaike weight (exp(−Δ/2) < 5e-5) is far under the 1e-3 cut.
    static let restartWithin: Double = 20

    func candidates(_ y: [Double], seasonLength m: Int) -> [ETSSpec] {
        let positive = !y.contains(where: { !($0 > 0) })
        var seasons: [ETSSpec.Season] = [.none]
        if m > 1 && y.count >= 3 * m {
            if !seasonalOnlyWhenDetected || Seasonality.isSeasonal(y, seasonLength: m) {
                seasons.append(.additive)
                if positive { seasons.append(.multiplicative) }
            }
        }
        let trends: [ETSSpec.Trend] = y.count >= 6 ? [.none, .additive, .damped] : [.none]
        var out: [ETSSpec] = []
        for e in positive ? [false, true] : [false] {
            for t in trends {
                for s in seasons {
                    if !e && s == .multiplicative { continue }  // unstable (Hyndman's restricted set)
                    out.append(ETSSpec(multiplicativeError: e, trend: t, season: s))
                }
            }
        }
        return out
    }

    public func fit(_ series: [Double], seasonLength: Int) throws(ForecastError) -> FittedForecast {
        try checkLength(series, seasonLength: seasonLength)
        var fits: [ETSFit] = []
        for spec in candidates(series, seasonLength: seasonLength) {
            let m = spec.season == .none ? 1 : seasonLength
            if let f = ETSFit.estimate(series, spec: spec, seasonLength: m, restart: false) { fits.append(f) }
        }
        // The restart from each optimum only for candidates that can still matter: within
        // `restartWithin` of the best AICc before the restarts (see docs/forecasting.md, speed).
        let firstBest = fits.map(\.aicc).min() ?? .infinity
        for i in fits.indices where !firstBest.isFinite || !fits[i].aicc.isFinite || fits[i].aicc <= firstBest + AutoETS.restartWithin {
            fits[i] = fits[i].restarted()
        }
        guard let best = fits.min(by: { $0.aicc < $1.aicc }) else {
            throw .invalidInput("no ETS model could be estimated on this series of \(series.count) values")
        }
        if akaikeWeights && best.aicc.isFinite {
            var members: [any PointPath] = []
            var weights: [Double] = []
            for f in fits where f.aicc.isFinite {
                let w = exp(-0.5 * (f.aicc - best.aicc))
                if w > 1e-3 { members.append(f); weights.append(w) }
            }
            if performanceExponent > 0 && members.count > 1 {
                return FittedForecast(name: name, series: series, seasonLength: seasonLength,
                                      core: PerformancePath(members: members, priors: weights, series: series,
                                                            seasonLength: seasonLength, exponent: performanceExponent))
            }
            return FittedForecast(name: name, series: series, seasonLength: seasonLength, core: MeanPath(members: members, weights: weights))
        }
        return FittedForecast(name: name, series: series, seasonLength: seasonLength, core: best)
    }
}
