import Foundation
import SaldoCore
import SaldoFX
import SaldoTestSupport

/// The demo freelancer: lives in Spain (base EUR), January–October 2026.
///
/// - Prolific pays study rewards in USD into PayPal twice a month; PayPal converts the USD
///   balance to EUR once a month at its own rate (about 4 % worse than the ECB), then the EUR
///   go to the bank.
/// - Upwork: a US client (Northwind Inc) pays in USD, Upwork keeps a 10 % service fee; the
///   money is withdrawn to Wise (USD 0.99 fee) and Wise converts it to EUR (about 0.45 % spread
///   plus a stated fee). A June refund gives back part of May's job, fee included.
/// - A UK client (Acme Ltd) pays GBP 2,000 a month into Wise; Wise converts GBP to EUR each
///   quarter.
/// - A Spanish client (Estudio García SL) pays EUR by bank transfer, nothing in August; the
///   bank charges EUR 3.50 a month.
enum ReportFixtures {
    static func account(_ s: String) -> Account {
        // The demo's account names are fixed and valid.
        (try? Account(s)) ?? Account(.equity, "invalid")
    }

    static func usd(_ s: String) -> Money { money(s, .USD) }
    static func eur(_ s: String) -> Money { money(s, .EUR) }
    static func gbp(_ s: String) -> Money { money(s, .GBP) }
    static func money(_ s: String, _ c: CurrencyCode) -> Money {
        (try? Money(ExactDecimal(s), currency: c)) ?? Money.zero(c)
    }
    static func day(_ m: Int, _ d: Int) -> Day { Day(year: 2026, month: m, day: d) ?? Day(ordinal: 0) }

    /// The ECB slice shipped in fixtures.
    static func rates() throws -> RateTable {
        let r = ECBCSVReader.read(try Fixtures.data("ecb/eurofxref-hist-slice.csv"), file: "eurofxref-hist-slice.csv")
        return RateTable(r.rates)
    }

    /// The platform's rate: the ECB cross rate of the day made worse by `spread` (0.04 = 4 %), to 4 decimals.
    static func platformRate(_ table: RateTable, _ from: CurrencyCode, _ to: CurrencyCode, _ d: Day, spread: ExactDecimal) -> ExactDecimal {
        guard let q = try? table.quote(from: from, to: to, on: d) else { return ExactDecimal(1) }
        return (q.value(places: 8) * (ExactDecimal(1) - spread)).rounded(to: 4)
    }

    static func transactions() throws -> [Transaction] {
        let table = try rates()
        var tx: [Transaction] = []
        func add(_ d: Day, _ desc: String, _ kind: TransactionKind, _ p: [Posting], platform: String, client: String? = nil) {
            tx.append(Transaction(date: d, description: desc, kind: kind, postings: p, platform: platform, client: client))
        }
        let prolificA = ["212.40", "187.25", "240.10", "198.60", "265.35", "223.80", "176.45", "251.20", "208.90", "233.15"]
        let prolificB = ["96.10", "134.75", "88.20", "152.40", "118.05", "101.30", "143.60", "92.85", "127.50", "110.95"]
        // Prolific pays on the 3rd and the 18th (several are weekends; 2026-04-03 is Good Friday).
        let upwork = ["1250.00", "980.00", "1410.00", "1120.00", "1560.00", "870.00", "1330.00", "1045.00", "1290.00", "1180.00"]
        let garcia = ["1500.00", "1500.00", "1750.00", "1500.00", "1500.00", "1820.00", "1500.00", nil, "1650.00", "1500.00"]
        let usdA = CurrencyCode.USD, eurC = CurrencyCode.EUR
        for m in 1...10 {
            // Prolific via PayPal.
            for (d, amt) in [(3, prolificA[m - 1]), (18, prolificB[m - 1])] {
                add(day(m, d), "Prolific study rewards", .earning,
                    [Posting(account("assets:paypal:usd"), usd(amt)), Posting(account("income:prolific"), -usd(amt))],
                    platform: "Prolific", client: "Prolific")
            }
            // PayPal converts the whole USD balance on the 25th.
            let usdTotal = usd(prolificA[m - 1]) + usd(prolificB[m - 1])
            let ppRate = platformRate(table, usdA, eurC, day(m, 25), spread: try ExactDecimal("0.04"))
            let ppEUR = usdTotal.converted(by: ppRate, to: .EUR)
            add(day(m, 25), "PayPal currency conversion", .conversion,
                [Posting(account("assets:paypal:usd"), -usdTotal, cost: ppEUR), Posting(account("assets:paypal:eur"), ppEUR)],
                platform: "PayPal")
            // PayPal EUR to the bank on the 27th.
            add(day(m, 27), "PayPal withdrawal to bank", .payout,
                [Posting(account("assets:paypal:eur"), -ppEUR), Posting(account("assets:bank:santander"), ppEUR)], platform: "PayPal")

            // Upwork job paid on the 10th, 10 % service fee.
            let gross = usd(upwork[m - 1])
            let fee = gross.converted(by: try ExactDecimal("0.10"), to: .USD)
            add(day(m, 10), "Upwork: Northwind Inc milestone", .earning,
                [Posting(account("assets:upwork"), gross - fee), Posting(account("expenses:fees:upwork"), fee), Posting(account("income:upwork"), -gross)],
                platform: "Upwork", client: "Northwind Inc")
            var upworkBalance = gross - fee
            if m == 6 {
                // Refund of part of May's job; Upwork returns its fee on it.
                let back = usd("150.00"), backFee = usd("15.00")
                add(day(6, 12), "Upwork refund to Northwind Inc", .refund,
                    [Posting(account("income:upwork"), back), Posting(account("expenses:fees:upwork"), -backFee), Posting(account("assets:upwork"), -(back - backFee))],
                    platform: "Upwork", client: "Northwind Inc")
                upworkBalance = upworkBalance - (back - backFee)
            }
            // Withdraw to Wise on the 14th (USD 0.99 fee), Wise converts on the 15th.
            let wfee = usd("0.99")
            add(day(m, 14), "Upwork withdrawal to Wise", .payout,
                [Posting(account("assets:upwork"), -upworkBalance), Posting(account("expenses:fees:upwork"), wfee), Posting(account("assets:wise:usd"), upworkBalance - wfee)],
                platform: "Upwork")
            let toConvert = upworkBalance - wfee
            let wiseFee = toConvert.converted(by: try ExactDecimal("0.0057"), to: .USD)
            let wiseRate = platformRate(table, usdA, eurC, day(m, 15), spread: try ExactDecimal("0.0045"))
            let wiseEUR = (toConvert - wiseFee).converted(by: wiseRate, to: .EUR)
            add(day(m, 15), "Wise: convert USD to EUR", .conversion,
                [Posting(account("assets:wise:usd"), -(toConvert - wiseFee), cost: wiseEUR), Posting(account("assets:wise:usd"), -wiseFee),
                 Posting(account("expenses:fees:wise"), wiseFee), Posting(account("assets:wise:eur"), wiseEUR)],
                platform: "Wise")

            // Acme Ltd pays GBP into Wise on the 20th.
            add(day(m, 20), "Acme Ltd invoice", .earning,
                [Posting(account("assets:wise:gbp"), gbp("2000.00")), Posting(account("income:acme-ltd"), -gbp("2000.00"))],
                platform: "Wise", client: "Acme Ltd")
            if m % 3 == 0 {
                // Quarterly GBP → EUR at Wise, on the 28th.
                let amount = gbp("6000.00")
                let f = amount.converted(by: try ExactDecimal("0.0041"), to: .GBP)
                let r = platformRate(table, .GBP, eurC, day(m, 28), spread: try ExactDecimal("0.0040"))
                let e = (amount - f).converted(by: r, to: .EUR)
                add(day(m, 28), "Wise: convert GBP to EUR", .conversion,
                    [Posting(account("assets:wise:gbp"), -(amount - f), cost: e), Posting(account("assets:wise:gbp"), -f),
                     Posting(account("expenses:fees:wise"), f), Posting(account("assets:wise:eur"), e)],
                    platform: "Wise")
            }

            // Estudio García by bank transfer on the 6th.
            if let g = garcia[m - 1] {
                add(day(m, 6), "Estudio García SL invoice", .earning,
                    [Posting(account("assets:bank:santander"), eur(g)), Posting(account("income:estudio-garcia"), -eur(g))],
                    platform: "Bank", client: "Estudio García SL")
            }
            // Bank fee on the last day of the month.
            add(YearMonth(year: 2026, month: m).last, "Santander account fee", .fee,
                [Posting(account("expenses:fees:santander"), eur("3.50")), Posting(account("assets:bank:santander"), -eur("3.50"))],
                platform: "Bank")
        }
        for t in tx { try t.validate() }
        return tx.sorted { $0.date < $1.date }
    }

    static func facts(of txs: [Transaction]) -> [PostingFact] {
        var out: [PostingFact] = []
        for (i, t) in txs.enumerated() {
            for p in t.postings {
                out.append(PostingFact(transactionID: Int64(i + 1), date: t.date, account: p.account, amount: p.amount, cost: p.cost,
                                       kind: t.kind, platform: t.platform, client: t.client, description: t.description))
            }
        }
        return out
    }

    static func demoFacts() throws -> [PostingFact] { facts(of: try transactions()) }

    /// Checks as a statement import would give them: PayPal USD holds, the bank one is off by a missing fee.
    static func balanceChecks() -> [BalanceCheck] {
        [
            BalanceCheck(account: account("assets:paypal:usd"), date: day(10, 26), stated: usd("0.00"), computed: usd("0.00"),
                         location: SourceLocation(file: "paypal-2026.csv", line: 412, field: "Balance")),
            BalanceCheck(account: account("assets:bank:santander"), date: day(10, 31), stated: eur("16978.57"), computed: eur("16982.07"),
                         location: SourceLocation(file: "santander-2026.n43", line: 88)),
        ]
    }
}
