import Foundation

/// A forecasting model: fit it to a series, then predict `h` steps with intervals.
///
/// Every model in `Models/` conforms. Fitting never traps: a series that is too short or holds
/// a non-finite value throws a `ForecastError` that says what was expected.
///
/// ```swift
/// let fit = try SeasonalNaive().fit([1, 2, 3, 4, 5, 6], seasonLength: 3)
/// let f = try fit.predict(horizon: 3, levels: [0.8])   // f.mean == [4, 5, 6]
/// ```
public protocol Forecaster: Sendable {
    /// A short name used in benchmark tables ("ETS", "Theta", …).
    var name: String { get }
    /// The fewest observations the model accepts for a given season length.
    func minimumObservations(seasonLength: Int) -> Int
    /// Estimates the model on `series` (oldest first).
    func fit(_ series: [Double], seasonLength: Int) throws(ForecastError) -> FittedForecast
}

extension Forecaster {
    /// Fit, then predict: the one-call form.
    public func forecast(_ series: [Double], seasonLength: Int = 1, horizon: Int, levels: [Double] = [0.8, 0.95]) throws(ForecastError) -> Forecast {
        try fit(series, seasonLength: seasonLength).predict(horizon: horizon, levels: levels)
    }

    func checkLength(_ y: [Double], seasonLength: Int) throws(ForecastError) {
        try Validation.check(y, seasonLength: seasonLength)
        let need = minimumObservations(seasonLength: seasonLength)
        if y.count < need { throw .tooShort(model: name, needed: need, found: y.count) }
    }
}

/// A fitted model. `predict` gives the point forecast and calibrated intervals.
public struct FittedForecast: Sendable {
    public let name: String
    /// The series the model was fitted to.
    public let series: [Double]
    public let seasonLength: Int
    let core: any PointPath
    /// How intervals are built from the model's own past forecast errors.
    public var calibration: IntervalCalibration

    init(name: String, series: [Double], seasonLength: Int, core: any PointPath, calibration: IntervalCalibration = .default) {
        self.name = name
        self.series = series
        self.seasonLength = seasonLength
        self.core = core
        self.calibration = calibration
    }

    /// Point forecasts for steps 1...horizon after the last observation.
    public func pointForecast(horizon: Int) throws(ForecastError) -> [Double] {
        if horizon < 1 { throw .invalidHorizon(horizon) }
        return core.forecast(horizon: horizon)
    }

    /// Point forecasts with intervals at `levels` (each in (0, 1)).
    public func predict(horizon: Int, levels: [Double] = [0.8, 0.95]) throws(ForecastError) -> Forecast {
        try Validation.check([], horizon: horizon, levels: levels)
        let (mean, origins) = core.forecastAndOrigins(horizon: horizon)
        let spread = calibration.spread(series: series, origins: origins, horizon: horizon, seasonLength: seasonLength)
        let intervals = levels.map { spread.interval(level: $0, mean: mean) }
        return Forecast(mean: mean, intervals: intervals)
    }

    /// The model's forecasts from every usable past origin with the fitted parameters
    /// (row `t - first` holds the forecasts of `series[t]...series[t+h-1]` made after `t` values).
    public func historicalForecasts(horizon: Int) -> OriginForecasts {
        core.originForecasts(horizon: max(1, horizon))
    }
}

/// Forecasts made from past origins: `values[(t - first) * horizon + (k - 1)]` is the k-step
/// forecast made after seeing `t` observations. Rows run for `t` in `first..<count`.
public struct OriginForecasts: Sendable, Equatable {
    public var first: Int
    public var count: Int
    public var horizon: Int
    public var values: [Double]
    /// The effective number of parameters fitted to the series by the model that made these
    /// forecasts: smoothing parameters and initial states for ETS, α, the initial level (and θ) for
    /// Theta, the ARMA coefficients and constant for ARIMA, the seasonal indices of a seasonal
    /// adjustment; a combination's is its members' weighted by its weights (issue #16, sixth round:
    /// it decides how optimistic the history's errors are, see `IntervalCalibration.Optimism`).
    public var parameters: Double

    public init(first: Int, count: Int, horizon: Int, values: [Double], parameters: Double = 0) {
        self.first = first
        self.count = count
        self.horizon = horizon
        self.values = values
        self.parameters = parameters
    }

    static func empty(count: Int, horizon: Int) -> OriginForecasts {
        OriginForecasts(first: count, count: count, horizon: horizon, values: [])
    }

    @inline(__always) func value(origin t: Int, step k: Int) -> Double { values[(t - first) * horizon + (k - 1)] }
}

/// What every model implements internally: point forecasts from the end and from past origins.
protocol PointPath: Sendable {
    func forecast(horizon: Int) -> [Double]
    func originForecasts(horizon: Int) -> OriginForecasts
    /// Both at once; a combination overrides it to walk its members' past forecasts only once.
    func forecastAndOrigins(horizon: Int) -> (mean: [Double], origins: OriginForecasts)
}

extension PointPath {
    func forecastAndOrigins(horizon: Int) -> (mean: [Double], origins: OriginForecasts) {
        (forecast(horizon: horizon), originForecasts(horizon: horizon))
    }
}
