import Foundation
import SaldoCore

/// What "today" is for every use case: the system's date in the local time zone, or a fixed day
/// (tests, `--today`, a demo computed for a given day).
public struct Clock: Sendable {
    private let now: @Sendable () -> Day

    public init(_ now: @escaping @Sendable () -> Day) { self.now = now }

    /// Today's date in the local time zone.
    public static let system = Clock {
        let c = Calendar(identifier: .gregorian).dateComponents(in: TimeZone.current, from: Date())
        return Day(year: c.year!, month: c.month!, day: c.day!)!
    }

    /// Always the same day.
    public static func fixed(_ day: Day) -> Clock { Clock { day } }

    public var today: Day { now() }

    /// `day` when given, else this clock's today.
    public func today(or day: Day?) -> Day { day ?? today }
}
