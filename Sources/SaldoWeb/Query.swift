import Foundation
import Hummingbird
import SaldoApp
import SaldoCore

/// The query string, decoded (`%XX` and `+`), with typed getters whose errors name the parameter,
/// what was expected and what was found.
struct Query {
    var items: [(name: String, value: String)] = []

    init(_ request: Request) { self.init(request.uri.query ?? "") }

    init(_ text: String) {
        for part in text.split(separator: "&", omittingEmptySubsequences: true) {
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                let spaced = s.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            items.append((decode(kv[0]), kv.count > 1 ? decode(kv[1]) : ""))
        }
    }

    /// The last non-empty value of `name`.
    func string(_ name: String) -> String? {
        items.last { $0.name == name && !$0.value.isEmpty }?.value
    }

    /// Every non-empty value of `name` (`?platform=a&platform=b`).
    func strings(_ name: String) -> [String] { items.filter { $0.name == name && !$0.value.isEmpty }.map(\.value) }

    func bool(_ name: String) throws -> Bool {
        guard let v = string(name) else { return false }
        switch v.lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default: throw Problem.badRequest("bad-parameter", "\(name): expected true or false, found \"\(v)\"")
        }
    }

    func int(_ name: String, default value: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let v = string(name) else { return value }
        guard let n = Int(v), range.contains(n) else {
            throw Problem.badRequest("bad-parameter", "\(name): expected a whole number from \(range.lowerBound) to \(range.upperBound), found \"\(v)\"")
        }
        return n
    }

    func day(_ name: String) throws -> Day? {
        guard let v = string(name) else { return nil }
        guard v.count == 10, let d = Day(iso: v) else {
            throw Problem.badRequest("bad-parameter", "\(name): expected a date as yyyy-mm-dd, found \"\(v)\"")
        }
        return d
    }

    func choice<T: RawRepresentable & CaseIterable>(_ name: String, default value: T) throws -> T where T.RawValue == String {
        guard let v = string(name) else { return value }
        guard let c = T(rawValue: v) else {
            throw Problem.badRequest("bad-parameter", "\(name): expected one of \(T.allCases.map(\.rawValue).joined(separator: ", ")), found \"\(v)\"")
        }
        return c
    }

    func currency(_ name: String = "currency") throws -> CurrencyCode? {
        guard let v = string(name) else { return nil }
        do { return try CurrencyCode(v.uppercased()) } catch {
            throw Problem.badRequest("bad-parameter", "\(name): expected an ISO 4217 code such as EUR or USD, found \"\(v)\"")
        }
    }

    /// `period`, `from`, `to` as the command line takes them.
    func period() throws -> Period? {
        do { return try PeriodChoice.resolve(period: string("period"), from: string("from"), to: string("to")) }
        catch let e as UserError { throw Problem.badRequest("bad-parameter", e.message, hint: e.hint) }
        catch let e as PeriodError { throw Problem.badRequest("bad-parameter", "period: \(e)") }
    }

    /// `period`/`from`/`to`, `platform`, `client`, `account` and `currency`, as a report request.
    func reportRequest() throws -> ReportRequest {
        let accounts = try strings("account").map { a -> Account in
            do { return try Account(a) } catch { throw Problem.badRequest("bad-parameter", "account: \(error)") }
        }
        return ReportRequest(period: try period(), platforms: Set(strings("platform")), clients: Set(strings("client")),
                             accounts: accounts, currency: try currency())
    }
}
