import SaldoCore

/// The period a user asks for: a named period (`2026`, `2026-Q3`, `2026-07`, `2026-01..2026-06`),
/// narrowed or widened by a first and a last day (both included). Every front end asks the same way.
public enum PeriodChoice {
    public static func resolve(period: String?, from: String?, to: String?) throws -> Period? {
        var p: Period? = try period.map { try Period.parse($0) }
        if from != nil || to != nil {
            let start = try from.map { s -> Day in
                guard let d = Day(iso: s), s.count == 10 else { throw UserError("the first day \(s) is not a date", hint: "write it as yyyy-mm-dd, e.g. 2026-01-01") }
                return d
            } ?? p?.start ?? Day(year: 1900, month: 1, day: 1)!
            let end = try to.map { s -> Day in
                guard let d = Day(iso: s), s.count == 10 else { throw UserError("the last day \(s) is not a date", hint: "write it as yyyy-mm-dd, e.g. 2026-12-31") }
                return d.adding(days: 1)
            } ?? p?.end ?? Day(year: 9999, month: 12, day: 31)!
            guard start < end else { throw UserError("the first day is after the last day", hint: "swap them, or leave one out") }
            p = Period(start: start, end: end)
        }
        return p
    }
}
