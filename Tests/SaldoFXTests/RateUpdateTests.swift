import Foundation
import SaldoCore
import SaldoFX
import SaldoTestSupport
import Testing

/// `ECBUpdate` with Foundation's URLSession against a server on 127.0.0.1 serving real ECB files
/// (fixtures/ecb), and every way a download goes wrong. Nothing leaves loopback.
@Suite(.serialized) struct RateUpdateTests {
    static let daily = (try? Fixtures.data("ecb/eurofxref-daily-2025-05-09.xml")) ?? Data()
    static let ninety = (try? Fixtures.data("ecb/eurofxref-hist-90d-2018-06-29.xml")) ?? Data()
    static let etag = "\"ecb-90d-2018-06-29\""

    static func server() throws -> LoopbackHTTPServer {
        try LoopbackHTTPServer { req in
            switch req.path {
            case "/daily.xml":
                return .init(status: 200, headers: [("Content-Type", "text/xml"), ("ETag", "\"d1\""), ("Last-Modified", "Fri, 09 May 2025 14:00:00 GMT")], body: daily)
            case "/90d.xml":
                if req.headers["if-none-match"] == etag { return .init(status: 304, headers: [("ETag", etag)]) }
                return .init(status: 200, headers: [("Content-Type", "text/xml"), ("ETag", etag)], body: ninety)
            case "/truncated.xml":
                return .init(status: 200, headers: [("Content-Type", "text/xml")], body: ninety.prefix(ninety.count / 2))
            case "/html":
                return .init(status: 200, headers: [("Content-Type", "text/html; charset=utf-8")],
                             body: Data("<!DOCTYPE html><html><body><h1>Please sign in to the Wi-Fi</h1></body></html>".utf8))
            case "/500":
                return .init(status: 500, body: Data("oops".utf8))
            case "/slow.xml":
                return .init(status: 200, body: daily, delay: 3)
            default:
                return .init(status: 404)
            }
        }
    }

    let fetcher = URLSessionRateFetcher()

    func run(_ s: LoopbackHTTPServer, _ path: String, validators: RateValidators? = nil, timeout: TimeInterval = 10, today: String = "2025-05-10") -> ECBUpdate.Outcome {
        ECBUpdate.run(url: URL(string: s.base + path)!, validators: validators, fetcher: fetcher, timeout: timeout, today: Day(iso: today)!)
    }

    @Test func downloadsAndChecksTheDailyFile() throws {
        let s = try Self.server(); defer { s.stop() }
        guard case .downloaded(let rates, let v, _) = run(s, "/daily.xml") else { Issue.record("expected a download"); return }
        #expect(rates.count == 30)
        #expect(Set(rates.map(\.date)) == [Day(iso: "2025-05-09")!])
        #expect(rates.first { $0.quote == .USD }?.rate == (try ExactDecimal("1.1252")))
        #expect(rates.allSatisfy { $0.base == .EUR && $0.source == "ECB" })
        #expect(v.etag == "\"d1\"" && v.lastModified == "Fri, 09 May 2025 14:00:00 GMT")
        #expect(v.url == s.base + "/daily.xml")
    }

    @Test func conditionalRequestGetsNotModified() throws {
        let s = try Self.server(); defer { s.stop() }
        guard case .downloaded(let rates, let v, _) = run(s, "/90d.xml", today: "2018-06-30") else { Issue.record("expected a download"); return }
        #expect(Set(rates.map(\.date)).count == 63)
        // The validators come back as If-None-Match; the server answers 304.
        #expect(run(s, "/90d.xml", validators: RateValidators(stored: v.stored), today: "2018-06-30") == .upToDate)
        #expect(s.requests.last?.headers["if-none-match"] == Self.etag)
        // Validators of another address are not sent.
        _ = run(s, "/90d.xml", validators: RateValidators(url: s.base + "/daily.xml", etag: Self.etag, lastModified: nil), today: "2018-06-30")
        #expect(s.requests.last?.headers["if-none-match"] == nil)
    }

    @Test func aTruncatedFileIsRefused() throws {
        let s = try Self.server(); defer { s.stop() }
        guard case .refused(let d) = run(s, "/truncated.xml", today: "2018-06-30") else { Issue.record("expected a refusal"); return }
        #expect(d.first?.code == "fx.update.incomplete")
        #expect(d.count > 1)   // the XML reader's own diagnostic, with its line
    }

    @Test func anHTMLPageIsRefused() throws {
        let s = try Self.server(); defer { s.stop() }
        guard case .refused(let d) = run(s, "/html") else { Issue.record("expected a refusal"); return }
        #expect(d.map(\.code) == ["fx.update.not-rates"])
        #expect(d[0].message.contains("web page"))
    }

    @Test func aServerErrorIsRefused() throws {
        let s = try Self.server(); defer { s.stop() }
        guard case .refused(let d) = run(s, "/500") else { Issue.record("expected a refusal"); return }
        #expect(d.map(\.code) == ["fx.update.status"])
        #expect(d[0].message.contains("HTTP status 500"))
    }

    @Test func aSlowServerTimesOut() throws {
        let s = try Self.server(); defer { s.stop() }
        let start = Date()
        let o = run(s, "/slow.xml", timeout: 1)
        let took = Date().timeIntervalSince(start)
        guard case .offline(let why) = o else { Issue.record("expected offline, got \(o)"); return }
        #expect(why.contains("within 1 seconds"))
        #expect(took < 2.9, "took \(took) s")
        #expect(ECBUpdate.summary(o, newestKnown: Day(iso: "2026-10-30")).hasPrefix("no connection (no answer from 127.0.0.1 within 1 seconds): reports keep using the rates Saldo has, newest 2026-10-30"))
    }

    @Test func noServerMeansOffline() throws {
        // A port that was just free: nothing listens there.
        let s = try Self.server()
        let base = s.base
        s.stop()
        let o = ECBUpdate.run(url: URL(string: base + "/daily.xml")!, validators: nil, fetcher: fetcher, timeout: 5, today: Day(iso: "2025-05-10")!)
        guard case .offline = o else { Issue.record("expected offline, got \(o)"); return }
    }

    @Test func contentChecksBeforeStoring() throws {
        let today = Day(iso: "2025-05-10")!
        // Dates the clock cannot have seen.
        let future = String(decoding: Self.daily, as: UTF8.self).replacingOccurrences(of: "2025-05-09", with: "2031-01-02")
        guard case .failure(let e) = ECBUpdate.check(Data(future.utf8), contentType: nil, file: "f.xml", today: today) else { Issue.record("expected a refusal"); return }
        #expect(e.diagnostics.map(\.code) == ["fx.update.date"])
        // A zero rate (the reader refuses it: not a positive decimal).
        let zero = String(decoding: Self.daily, as: UTF8.self).replacingOccurrences(of: "rate='1.1252'", with: "rate='0'")
        guard case .failure(let z) = ECBUpdate.check(Data(zero.utf8), contentType: nil, file: "f.xml", today: today) else { Issue.record("expected a refusal"); return }
        #expect(z.diagnostics.contains { $0.code == "ecb.rate" })
        // Empty, and not XML at all.
        guard case .failure(let em) = ECBUpdate.check(Data(), contentType: nil, file: "f.xml", today: today) else { Issue.record("expected a refusal"); return }
        #expect(em.diagnostics.map(\.code) == ["fx.update.empty"])
        guard case .failure(let j) = ECBUpdate.check(Data("{\"a\":1}".utf8), contentType: "application/json", file: "f", today: today) else { Issue.record("expected a refusal"); return }
        #expect(j.diagnostics.map(\.code) == ["fx.update.not-rates"])
    }

    @Test func onlyHTTPSOrLoopback() {
        #expect(ECBUpdate.checkURL(URL(string: "http://www.ecb.europa.eu/x.xml")!)?.code == "fx.update.url")
        #expect(ECBUpdate.checkURL(URL(string: "ftp://127.0.0.1/x.xml")!)?.code == "fx.update.url")
        #expect(ECBUpdate.checkURL(URL(string: "https://www.ecb.europa.eu/x.xml")!) == nil)
        #expect(ECBUpdate.checkURL(URL(string: "http://127.0.0.1:8080/x.xml")!) == nil)
        // An http address is refused before any request.
        struct Never: RateFetcher { func fetch(_ r: RateDownloadRequest) -> RateDownloadResponse { Issue.record("fetched \(r.url)"); return .notModified } }
        guard case .refused = ECBUpdate.run(url: URL(string: "http://example.org/x.xml")!, validators: nil, fetcher: Never(), today: Day(iso: "2026-01-01")!) else {
            Issue.record("expected a refusal"); return
        }
    }

    @Test func whichFileByAgeOfTheNewestRate() {
        let today = Day(iso: "2026-12-05")!
        #expect(ECBUpdate.defaultURL(newestKnown: Day(iso: "2026-10-30"), today: today) == ECBUpdate.recentURL)
        #expect(ECBUpdate.defaultURL(newestKnown: Day(iso: "2026-08-01"), today: today) == ECBUpdate.historyURL)
        #expect(ECBUpdate.defaultURL(newestKnown: nil, today: today) == ECBUpdate.historyURL)
    }
}
