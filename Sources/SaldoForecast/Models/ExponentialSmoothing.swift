import Foundation

/// Simple exponential smoothing, ETS(A,N,N), on the seasonally adjusted series when the series is seasonal.
public struct SimpleExponentialSmoothing: Forecaster {
    public var name: String { "SES" }
    public init() {}
    public func minimumObservations(seasonLength: Int) -> Int { 2 }
    public func fit(_ series: [Double], seasonLength: Int) throws(ForecastError) -> FittedForecast {
        try checkLength(series, seasonLength: seasonLength)
        return try adjustedETS(series, seasonLength: seasonLength, spec: ETSSpec(trend: .none), name: name)
    }
}

/// Holt's linear method with a damped trend, ETS(A,Ad,N), on the seasonally adjusted series when seasonal.
public struct HoltDamped: Forecaster {
    public var name: String { "Holt" }
    public init() {}
    public func minimumObservations(seasonLength: Int) -> Int { 4 }
    public func fit(_ series: [Double], seasonLength: Int) throws(ForecastError) -> FittedForecast {
        try checkLength(series, seasonLength: seasonLength)
        return try adjustedETS(series, seasonLength: seasonLength, spec: ETSSpec(trend: .damped), name: name)
    }
}

func adjustedETS(_ y: [Double], seasonLength m: Int, spec: ETSSpec, name: String) throws(ForecastError) -> FittedForecast {
    let adj = SeasonalAdjustment(y, seasonLength: m)
    guard let fit = ETSFit.estimate(adj.adjust(y), spec: spec, seasonLength: 1) else {
        throw .invalidInput("\(name) could not be estimated on this series of \(y.count) values")
    }
    return FittedForecast(name: name, series: y, seasonLength: m, core: AdjustedPath(inner: fit, adjustment: adj, count: y.count))
}
