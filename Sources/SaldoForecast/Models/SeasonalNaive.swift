import Foundation

/// Repeats the last season: the forecast for step k is the value one season before it.
public struct SeasonalNaive: Forecaster {
    public var name: String { "SeasonalNaive" }
    public init() {}
    public func minimumObservations(seasonLength: Int) -> Int { max(1, seasonLength) }
    public func fit(_ series: [Double], seasonLength: Int) throws(ForecastError) -> FittedForecast {
        try checkLength(series, seasonLength: seasonLength)
        return FittedForecast(name: name, series: series, seasonLength: seasonLength,
                              core: LagPath(y: series, lag: max(1, seasonLength)))
    }
}
