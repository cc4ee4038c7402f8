import SaldoCore
@testable import SaldoTax

/// Tiny constructors for ledger data in tests (hledger's `usd 1` habit).
enum L {
    struct BadLiteral: Error { var text: String }

    static func money(_ text: String, _ c: CurrencyCode = .EUR) throws -> Money {
        try Money(ExactDecimal(text), currency: c)
    }
    static func day(_ text: String) throws -> Day {
        guard let d = Day(iso: text) else { throw BadLiteral(text: text) }
        return d
    }
    static func account(_ text: String) throws -> Account { try Account(text) }

    /// Income received on a bank or platform account.
    static func earning(_ date: String, _ amount: String, _ c: CurrencyCode = .EUR, client: String? = nil, platform: String? = nil,
                        income: String = "income:platform") throws -> Transaction {
        let m = try money(amount, c)
        return try Transaction(date: day(date), description: "earning", kind: .earning, postings: [
            Posting(account("assets:bank"), m),
            Posting(account(income), -m),
        ], platform: platform, client: client).validated()
    }

    /// A refund of income (reduces income).
    static func refund(_ date: String, _ amount: String, _ c: CurrencyCode = .EUR, client: String? = nil) throws -> Transaction {
        let m = try money(amount, c)
        return try Transaction(date: day(date), description: "refund", kind: .refund, postings: [
            Posting(account("income:platform"), m),
            Posting(account("assets:bank"), -m),
        ], client: client).validated()
    }

    /// An expense, with input VAT when `vat` is given.
    static func expense(_ date: String, _ amount: String, vat: String? = nil, _ c: CurrencyCode = .EUR,
                        account expenseAccount: String = "expenses:software") throws -> Transaction {
        let m = try money(amount, c)
        var postings = [Posting(try account(expenseAccount), m)]
        var total = m
        if let vat {
            let v = try money(vat, c)
            postings.append(Posting(try account("assets:tax:vat-input"), v))
            total += v
        }
        postings.append(Posting(try account("assets:bank"), -total))
        return try Transaction(date: day(date), description: "expense", kind: .expense, postings: postings).validated()
    }

    /// A Spanish invoice booked in the ledger: receivable, withholding, output IVA, income.
    static func invoiceTransaction(_ inv: Invoice, income: String = "income:clients") throws -> Transaction {
        var postings = [Posting(try account("assets:receivable:client"), inv.payable)]
        if !inv.withholding.isZero { postings.append(Posting(try account("assets:tax:withheld"), inv.withholding)) }
        if !inv.tax.isZero { postings.append(Posting(try account("liabilities:tax:vat-output"), -inv.tax)) }
        postings.append(Posting(try account(income), -inv.net))
        return try Transaction(date: inv.issueDate, description: "invoice \(inv.number)", kind: .invoice, postings: postings,
                               client: inv.buyer.name, externalID: inv.number, dedupKey: inv.dedupKey).validated()
    }

    /// An issued invoice: base, IVA at `vatRate`, withholding at `withholdingRate`.
    static func invoice(_ number: String, _ date: String, base: String, vatRate: String = "0", withholdingRate: String = "0",
                        buyer: Party, _ c: CurrencyCode = .EUR) throws -> Invoice {
        let net = try money(base, c)
        let tax = net.times(try ExactDecimal(vatRate), .halfUp)
        let wh = net.times(try ExactDecimal(withholdingRate), .halfUp)
        let total = net + tax
        return Invoice(number: number, typeCode: "380", kind: .invoice, direction: .issued, issueDate: try day(date),
                       seller: Party(name: "Freelancer", taxID: "ES12345678Z", country: "ES"), buyer: buyer, currency: c,
                       net: net, tax: tax, withholding: wh, total: total, prepaid: .zero(c), payable: total - wh, format: "ubl")
    }

    static let identity: @Sendable (Money, Day) throws -> Money = { m, _ in m }

    /// Converts at a fixed rate (units of the target per unit of the source).
    static func fixedRate(_ rate: String, to target: CurrencyCode) throws -> @Sendable (Money, Day) throws -> Money {
        let r = try ExactDecimal(rate)
        return { m, _ in m.currency == target ? m : m.converted(by: r, to: target, rule: .halfUp) }
    }

    static func ruleText(_ name: String) throws -> String {
        guard let d = TaxRules.builtInData(name) else { throw BadLiteral(text: name) }
        return String(decoding: d, as: UTF8.self)
    }

    static func rules(_ name: String) throws -> RuleFile {
        guard let d = TaxRules.builtInData(name) else { throw BadLiteral(text: name) }
        return try TaxRules.load(data: d, fileName: name)
    }
}

extension Amount {
    /// `"1520.00"`, for terse expectations.
    var s: String { money.decimalString }
}
