import Foundation

/// A forecast of `horizon` future values: the point forecast (`mean`) and one interval per
/// requested coverage level.
public struct Forecast: Sendable, Codable, Equatable {
    /// Point forecasts, one per step ahead (index 0 is one step ahead).
    public var mean: [Double]
    /// Prediction intervals, one per requested level, in the order requested.
    public var intervals: [PredictionInterval]

    public init(mean: [Double], intervals: [PredictionInterval]) {
        self.mean = mean
        self.intervals = intervals
    }

    public var horizon: Int { mean.count }

    /// The interval at `level` (for example 0.8), when it was requested.
    public func interval(at level: Double) -> PredictionInterval? {
        intervals.first { abs($0.level - level) < 1e-9 }
    }
}

/// A central prediction interval: the true value should fall in `lower[i]...upper[i]`
/// with probability `level`.
public struct PredictionInterval: Sendable, Codable, Equatable {
    /// Nominal coverage in (0, 1), e.g. 0.8 or 0.95.
    public var level: Double
    public var lower: [Double]
    public var upper: [Double]

    public init(level: Double, lower: [Double], upper: [Double]) {
        self.level = level
        self.lower = lower
        self.upper = upper
    }
}

/// Why a series could not be fitted or forecast. Messages say what was expected and what was found.
public enum ForecastError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The series has fewer values than the model needs.
    case tooShort(model: String, needed: Int, found: Int)
    /// A value is NaN or infinite.
    case nonFinite(index: Int)
    /// The horizon must be at least 1.
    case invalidHorizon(Int)
    /// A coverage level outside (0, 1).
    case invalidLevel(Double)
    /// A season length below 1.
    case invalidSeasonLength(Int)
    /// Benchmark or income input that cannot be used.
    case invalidInput(String)

    public var description: String {
        switch self {
        case let .tooShort(model, needed, found):
            return "\(model) needs at least \(needed) observations, found \(found); use a simpler model or a longer history"
        case let .nonFinite(index):
            return "value at index \(index) is not a finite number; expected finite values"
        case let .invalidHorizon(h):
            return "horizon must be at least 1, found \(h)"
        case let .invalidLevel(l):
            return "interval level must be strictly between 0 and 1 (e.g. 0.8), found \(l)"
        case let .invalidSeasonLength(m):
            return "season length must be at least 1, found \(m)"
        case let .invalidInput(message):
            return message
        }
    }
}

enum Validation {
    static func check(_ y: [Double], horizon: Int? = nil, levels: [Double] = [], seasonLength: Int = 1) throws(ForecastError) {
        for (i, v) in y.enumerated() where !v.isFinite { throw .nonFinite(index: i) }
        if let horizon, horizon < 1 { throw .invalidHorizon(horizon) }
        for l in levels where !(l > 0 && l < 1) { throw .invalidLevel(l) }
        if seasonLength < 1 { throw .invalidSeasonLength(seasonLength) }
    }
}
