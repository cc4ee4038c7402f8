import Foundation

/// A what-if applied beside the baseline: drop streams, scale them, add a new monthly contract.
public struct IncomeScenario: Sendable, Codable, Equatable {
    public var name: String
    /// Streams left out entirely (`--without PLATFORM`).
    public var without: [String]
    /// Relative change per stream, e.g. `["Upwork": -0.3]` for −30% (`--change Upwork=-30%`).
    public var change: [String: Double]
    /// A fixed amount added every month (`--add 800/month`).
    public var addPerMonth: Double

    public init(name: String? = nil, without: [String] = [], change: [String: Double] = [:], addPerMonth: Double = 0) {
        self.without = without
        self.change = change
        self.addPerMonth = addPerMonth
        self.name = name ?? IncomeScenario.describe(without: without, change: change, addPerMonth: addPerMonth)
    }

    static func describe(without: [String], change: [String: Double], addPerMonth: Double) -> String {
        var parts: [String] = []
        for s in without.sorted() { parts.append("without \(s)") }
        for (s, c) in change.sorted(by: { $0.key < $1.key }) {
            let pct = (c * 100).rounded()
            parts.append("\(s) \(pct >= 0 ? "+" : "")\(Int(pct))%")
        }
        if addPerMonth != 0 { parts.append("\(addPerMonth >= 0 ? "+" : "")\(String(format: "%.0f", addPerMonth))/month") }
        return parts.isEmpty ? "scenario" : parts.joined(separator: ", ")
    }
}
