import Foundation
import Testing
import SaldoCore
import SaldoStore
import SaldoCLI
import SaldoTestSupport

/// `saldo rates update` against a server on 127.0.0.1 (never the ECB), central bank files with
/// `rates import --source`, the `rate-source` setting, and `rates show`'s default window.
@Suite(.serialized) struct RatesUpdateCLITests {
    static let daily = (try? Fixtures.data("ecb/eurofxref-daily-2025-05-09.xml")) ?? Data()

    static func server() throws -> LoopbackHTTPServer {
        try LoopbackHTTPServer { req in
            switch req.path {
            case "/daily.xml":
                if req.headers["if-none-match"] == "\"d1\"" { return .init(status: 304) }
                return .init(status: 200, headers: [("Content-Type", "text/xml"), ("ETag", "\"d1\"")], body: daily)
            case "/html":
                return .init(status: 200, headers: [("Content-Type", "text/html")], body: Data("<!doctype html><p>login</p>".utf8))
            case "/truncated.xml":
                return .init(status: 200, body: daily.prefix(700))
            default:
                return .init(status: 404)
            }
        }
    }

    func ledger() throws -> String {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("ledger.sqlite").path
        #expect(SaldoCLI.capture(["config", "set", "base-currency", "EUR", "--ledger", path]).status == 0)
        return path
    }

    @Test func updateStoresOnceThenIsUpToDate() throws {
        let s = try Self.server(); defer { s.stop() }
        let path = try ledger()
        let r = SaldoCLI.capture(["rates", "update", "--url", s.base + "/daily.xml", "--today", "2025-05-10", "--ledger", path])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("downloaded 30 ECB rates on 1 days (2025-05-09 to 2025-05-09); 30 new"), "\(r.out)")
        #expect(try SQLiteLedgerStore(path: path).rateCount() == 30)
        #expect(try SQLiteLedgerStore(path: path).setting("rates.ecb.validators")?.contains("\\\"d1\\\"") == true)
        // The same address through $SALDO_ECB_URL: the ETag goes back and the server says 304.
        let again = SaldoCLI.capture(["rates", "update", "--today", "2025-05-10", "--ledger", path], environment: ["SALDO_ECB_URL": s.base + "/daily.xml"])
        #expect(again.status == 0, "\(again.err)")
        #expect(again.out.hasPrefix("already up to date"), "\(again.out)")
        #expect(s.requests.last?.headers["if-none-match"] == "\"d1\"")
        #expect(try SQLiteLedgerStore(path: path).rateCount() == 30)
    }

    @Test func badAnswersStoreNothing() throws {
        let s = try Self.server()
        let path = try ledger()
        for p in ["/html", "/truncated.xml", "/missing.xml"] {
            let r = SaldoCLI.capture(["rates", "update", "--url", s.base + p, "--today", "2025-05-10", "--ledger", path])
            #expect(r.status == 1, "\(p)")
            #expect(r.err.contains("nothing was stored: reports keep using the rates Saldo has, newest 2026-10-30"), "\(p): \(r.err)")
            #expect(try SQLiteLedgerStore(path: path).rateCount() == 0)
            #expect(try SQLiteLedgerStore(path: path).setting("rates.ecb.validators") == nil)
        }
        s.stop()
        let offline = SaldoCLI.capture(["rates", "update", "--url", s.base + "/daily.xml", "--timeout", "5", "--ledger", path])
        #expect(offline.status == 1)
        #expect(offline.err.contains("no connection ("), "\(offline.err)")
        #expect(offline.err.contains("reports keep using the rates Saldo has, newest 2026-10-30"))
        // Plain http to anywhere but this machine is refused before any request.
        let http = SaldoCLI.capture(["rates", "update", "--url", "http://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml", "--ledger", path])
        #expect(http.status == 1 && http.err.contains("expected an https:// address"), "\(http.err)")
    }

    @Test func bankRatesBySourceAndChoice() throws {
        let path = try ledger()
        let file = Fixtures.url("rates/bcra-cotizaciones-usd.json").path
        let r = SaldoCLI.capture(["rates", "import", file, "--ledger", path])   // recognised by content
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("5 rates for 1 currency on 5 days (2026-10-26 to 2026-10-30)"), "\(r.out)")
        #expect(try SQLiteLedgerStore(path: path).rates().allSatisfy { $0.source == "BCRA" && $0.base == .USD })
        let wrong = SaldoCLI.capture(["rates", "import", file, "--source", "nope", "--ledger", path])
        #expect(wrong.status == 1)

        #expect(SaldoCLI.capture(["config", "set", "rate-source", "ARS=bcra", "--ledger", path]).status == 0)
        #expect(SaldoCLI.capture(["config", "set", "rate-source", "mxn=banxico", "--ledger", path]).status == 0)
        let get = SaldoCLI.capture(["config", "get", "rate-source", "--ledger", path])
        #expect(get.out == "ARS=bcra,MXN=banxico\n", "\(get.out)")
        let bad = SaldoCLI.capture(["config", "set", "rate-source", "ARS=banxico", "--ledger", path])
        #expect(bad.status == 1 && bad.err.contains("publishes MXN"), "\(bad.err)")

        // A USD payment on 2026-10-28 reported in ARS: 100.00 × 1449.25.
        let csv = Fixtures.temporaryDirectory().appendingPathComponent("paypal.csv")
        try Data((BundledRatesCLITests.header + "\n\"28/10/2026\",\"09:00:00\",\"Europe/Berlin\",\"Prolific Academic Ltd\",\"General Payment\",\"Completed\",\"USD\",\"100.00\",\"0.00\",\"100.00\",\"\",\"\",\"7XB0000000000001\",\"\",\"\",\"100.00\",\"\",\"\",\"Credit\"\n").utf8).write(to: csv)
        #expect(SaldoCLI.capture(["import", csv.path, "--ledger", path]).status == 0)
        let ars = SaldoCLI.capture(["report", "monthly", "--currency", "ARS", "--format", "json", "--ledger", path])
        #expect(ars.status == 0, "\(ars.err)")
        #expect(ars.out.contains("\"gross\": \"144925.00\""), "\(ars.out)")
    }

    @Test func ratesShowDefaultsToTheLast30Days() throws {
        let path = try ledger()
        let r = SaldoCLI.capture(["rates", "show", "USD", "--today", "2026-12-05", "--format", "csv", "--ledger", path])
        #expect(r.status == 0, "\(r.err)")
        let rows = r.out.split(separator: "\n").dropFirst()
        #expect(rows.first?.hasPrefix("2026-10-01,EUR,USD,") == true, "\(r.out)")
        #expect(rows.last?.hasPrefix("2026-10-30,EUR,USD,1.1172,ECB (bundled)") == true)
        #expect(r.err.contains("showing USD rates from 2026-10-01 to 2026-10-30, the 30 days up to the newest"))
        #expect(r.err.contains("newest USD rate: 2026-10-30, 36 days old"), "\(r.err)")
    }
}
