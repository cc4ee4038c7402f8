import Foundation
import Testing
import SaldoCore
import SaldoStore
import SaldoCLI
import SaldoTestSupport

/// Reports on a ledger that never ran `saldo rates import`: the ECB history bundled with Saldo.
@Suite struct BundledRatesCLITests {
    static let header = "\"Date\",\"Time\",\"TimeZone\",\"Name\",\"Type\",\"Status\",\"Currency\",\"Gross\",\"Fee\",\"Net\",\"From Email Address\",\"To Email Address\",\"Transaction ID\",\"Item Title\",\"Reference Txn ID\",\"Balance\",\"Subject\",\"Note\",\"Balance Impact\""

    /// A new ledger holding one file's import and no rates.
    func ledger(importing file: String) throws -> String {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("ledger.sqlite").path
        let r = SaldoCLI.capture(["import", file, "--ledger", path])
        #expect(r.status == 0, "import: \(r.err)")
        #expect(try SQLiteLedgerStore(path: path).rateCount() == 0)
        return path
    }

    /// A PayPal download with a USD payment of 100.00 on each day (dd/mm/yyyy, newest first).
    func paypalFile(_ days: String...) throws -> String {
        var lines = [Self.header]
        for (i, day) in days.enumerated() {
            let balance = "\((days.count - i) * 100).00"
            lines.append("\"\(day)\",\"09:00:00\",\"Europe/Berlin\",\"Prolific Academic Ltd\",\"General Payment\",\"Completed\",\"USD\",\"100.00\",\"0.00\",\"100.00\",\"\",\"\",\"7XB000000000000\(i)\",\"\",\"\",\"\(balance)\",\"\",\"\",\"Credit\"")
        }
        let url = Fixtures.temporaryDirectory().appendingPathComponent("paypal.csv")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: url)
        return url.path
    }

    /// Every error line's hint is said once, and the message does not carry it too.
    func expectHintOnce(_ err: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let parts = err.components(separatedBy: "hint:")
        #expect(parts.count == 2, "expected one hint in: \(err)", sourceLocation: sourceLocation)
        if parts.count == 2 {
            let hint = parts[1].trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(!parts[0].contains(hint), "the message repeats its hint: \(err)", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: [["report", "monthly"], ["report", "currencies"], ["report", "balances"]])
    func reportsOnAFreshLedgerWithUSDAndEUR(_ args: [String]) throws {
        let path = try ledger(importing: Fixtures.url("statements/paypal/saldo-paypal-conversions-linked.csv").path)
        let r = SaldoCLI.capture(args + ["--currency", "EUR", "--format", "json", "--ledger", path])
        #expect(r.status == 0, "\(args): \(r.err)")
        #expect(r.err.isEmpty, "\(args): \(r.err)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        let conversion = try #require(json["conversion"] as? [String: Any])
        #expect((conversion["amounts_converted"] as? Int ?? 0) > 0)
    }

    @Test func monthlyFiguresUseTheBundledRatesOfEachDay() throws {
        let path = try ledger(importing: try paypalFile("02/02/2026"))
        let r = SaldoCLI.capture(["report", "monthly", "--currency", "EUR", "--format", "csv", "--ledger", path])
        #expect(r.status == 0, "\(r.err)")
        // ECB 2026-02-02: USD 1.184 per EUR (Monday) → 100 / 1.184 = 84.459… → 84.46
        let rate = try #require(try RateTableCheck.usdOn("2026-02-02"))
        let expected = Money(minorUnits: 10_000, currency: .USD).converted(dividingBy: rate, to: .EUR)
        #expect(r.out.contains("month,2026-02,total,EUR,\(expected.decimalString),0.00,\(expected.decimalString)"), "\(r.out)")
    }

    @Test func ledgerRatesOverrideBundledOnes() throws {
        let path = try ledger(importing: try paypalFile("02/02/2026"))
        let rates = Fixtures.temporaryDirectory().appendingPathComponent("mine.csv")
        try Data("date,base,quote,rate\n2026-02-02,EUR,USD,1.25\n".utf8).write(to: rates)
        #expect(SaldoCLI.capture(["rates", "import", rates.path, "--ledger", path]).status == 0)
        let r = SaldoCLI.capture(["report", "monthly", "--currency", "EUR", "--format", "csv", "--ledger", path])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("month,2026-02,total,EUR,80.00,0.00,80.00"), "\(r.out)")   // 100 / 1.25
        let show = SaldoCLI.capture(["rates", "show", "USD", "--from", "2026-01-30", "--to", "2026-02-03", "--format", "csv", "--ledger", path])
        #expect(show.out == """
            date,base,quote,rate,source
            2026-01-30,EUR,USD,1.1919,ECB (bundled)
            2026-02-02,EUR,USD,1.25,\(rates.path)
            2026-02-03,EUR,USD,1.1801,ECB (bundled)

            """, "\(show.out)")
    }

    @Test func aDayAfterTheNewestRateIsNotedOnce() throws {
        // Tuesday 2026-11-03: the bundle ends on Friday 2026-10-30, within the 7-day fallback.
        // 30/10 tells the day-first date order, so 03/11 is 3 November.
        let path = try ledger(importing: try paypalFile("03/11/2026", "30/10/2026"))
        let r = SaldoCLI.capture(["report", "monthly", "--currency", "EUR", "--ledger", path])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.err.components(separatedBy: "\n").filter { !$0.isEmpty }.count == 1, "\(r.err)")
        #expect(r.err.contains("2026-10-30") && r.err.contains("`saldo rates import FILE`"))
        #expect(!r.out.contains("note: the newest exchange rate"))   // standard output stays the report
    }

    /// Beyond the 7-day window a report still reports: the amount is provisional (in every format),
    /// standard error says once which rates to add, and the exit status is 3, not 1.
    @Test func beyondTheFallbackLimitItReportsProvisionallyWithStatus3() throws {
        let path = try ledger(importing: try paypalFile("20/11/2026"))
        let r = SaldoCLI.capture(["report", "monthly", "--currency", "EUR", "--ledger", path])
        #expect(r.status == ExitStatus.problemsFound, "\(r.err)")
        #expect(r.out.contains("Provisional: 1 amount in USD on 2026-11-20 had no rate within 7 days (the last earlier is from 2026-10-30) and was converted at the nearest rate."), "\(r.out)")
        #expect(r.err.hasPrefix("note: 1 amount is provisional: no exchange rate within 7 days"), "\(r.err)")
        #expect(r.err.contains("add USD rates for 2026-11-20 (newer ECB reference rates"))
        #expect(r.err.contains("`saldo rates update`"))
        expectHintOnce(r.err)
        for format in ["json", "csv", "markdown", "html"] {
            let f = SaldoCLI.capture(["report", "monthly", "--currency", "EUR", "--format", format, "--ledger", path])
            #expect(f.status == ExitStatus.problemsFound, "\(format)")
            let mark = ["json": "\"amounts_provisional\": 1", "csv": "USD,2026-11-20,2026-11-20,1,0,2026-10-30"][format] ?? "Provisional: 1 amount in USD"
            #expect(f.out.contains(mark), "\(format): \(f.out)")
        }
    }

    /// No error repeats its own hint: the missing rate in every report (the forecast goes on too, with a
    /// note), and a
    /// currency the ECB does not publish (which reports provisionally and names the bank to add).
    @Test func noErrorMessageRepeatsItsHint() throws {
        let path = try ledger(importing: try paypalFile("20/11/2026"))
        for args in [["report", "monthly"], ["report", "currencies"], ["report", "balances"], ["forecast", "--today", "2027-02-01"]] {
            let r = SaldoCLI.capture(args + ["--currency", "EUR", "--ledger", path])
            // Every one goes on, provisionally, and ends with status 3; the forecast says so in its notes.
            #expect(r.status == 3, "\(args)")
            if args[0] == "forecast" {
                #expect(r.out.contains("of the history is provisional (no exchange rate within the window); add USD rates"), "\(r.out)")
            } else {
                expectHintOnce(r.err)
            }
        }
        let ars = SaldoCLI.capture(["report", "monthly", "--currency", "ARS", "--ledger", path])
        #expect(ars.status == 3)
        #expect(ars.err.contains("Banco Central de la República Argentina"), "\(ars.err)")
        expectHintOnce(ars.err)
    }

    /// Pinned: a tax problem for an amount with no rate carried the conversion error's hint and its
    /// own, one after the other.
    @Test func aTaxProblemCarriesOneHint() throws {
        let path = try ledger(importing: try paypalFile("20/11/2026"))
        let r = SaldoCLI.capture(["tax", "summary", "--jurisdiction", "es", "--year", "2026", "--today", "2026-12-01", "--no-forecast",
                                  "--format", "json", "--ledger", path])
        #expect(r.status == 0, "\(r.err)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        let problems = (json["problems"] as? [String]) ?? []
        #expect(!problems.isEmpty)
        for p in problems { #expect(p.components(separatedBy: "hint:").count == 2, "\(p)") }
    }

    @Test func ratesShowSaysWhereRatesComeFromAndHowOld() throws {
        let path = try ledger(importing: try paypalFile("02/02/2026"))
        let r = SaldoCLI.capture(["rates", "show", "--today", "2026-12-05", "--ledger", path])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("imported into the ledger: no rates"))
        #expect(r.out.contains("bundled with Saldo: the ECB reference rates 1999-01-04 to 2026-10-30"))
        #expect(r.out.contains("newest rate: 2026-10-30, 36 days old"))
        let usd = SaldoCLI.capture(["rates", "show", "USD", "--from", "2026-10-29", "--today", "2026-12-05", "--format", "json", "--ledger", path])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(usd.out.utf8)) as? [String: Any])
        let rates = try #require(json["rates"] as? [[String: Any]])
        #expect(rates.map { $0["rate"] as? String } == ["1.113", "1.1172"])
        #expect(json["newest_age_days"] as? Int == 36)
    }
}

/// The bundled USD rate of a day, straight from the shared CSV's twin in SaldoFX.
enum RateTableCheck {
    static func usdOn(_ day: String) throws -> ExactDecimal? {
        let text = try String(contentsOf: Fixtures.url("ecb/eurofxref-hist-slice.csv"), encoding: .utf8)
        let lines = text.split(separator: "\n")
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false)
        guard let col = header.firstIndex(of: "USD") else { return nil }
        for l in lines.dropFirst() where l.hasPrefix(day) {
            return try ExactDecimal(String(l.split(separator: ",", omittingEmptySubsequences: false)[col]))
        }
        return nil
    }
}
