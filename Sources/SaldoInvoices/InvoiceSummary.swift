import SaldoCore

/// Money received against one invoice (found by ``PaymentMatcher`` and accepted, or linked by hand).
/// `amount` is in the invoice's currency; positive reduces what is outstanding.
public struct InvoicePayment: Hashable, Sendable, Codable {
    /// The invoice's ``Invoice/dedupKey``.
    public var invoiceKey: String
    public var date: Day
    public var amount: Money
    /// The statement transaction it came from (dedup key or external id), if any.
    public var reference: String?
    public init(invoiceKey: String, date: Day, amount: Money, reference: String? = nil) {
        self.invoiceKey = invoiceKey; self.date = date; self.amount = amount; self.reference = reference
    }

    enum CodingKeys: String, CodingKey { case invoiceKey = "invoice_key", date, amount, currency, reference }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        invoiceKey = try c.decode(String.self, forKey: .invoiceKey)
        date = try c.decode(Day.self, forKey: .date)
        let cur = try c.decode(CurrencyCode.self, forKey: .currency)
        amount = try Money(ExactDecimal(try c.decode(String.self, forKey: .amount)), currency: cur)
        reference = try c.decodeIfPresent(String.self, forKey: .reference)
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(invoiceKey, forKey: .invoiceKey)
        try c.encode(date, forKey: .date)
        try c.encode(amount.decimalString, forKey: .amount)
        try c.encode(amount.currency, forKey: .currency)
        try c.encodeIfPresent(reference, forKey: .reference)
    }
}

/// Outstanding amounts by how long they are past due.
public struct AgingBuckets: Hashable, Sendable {
    public var current: Money
    public var days1to30: Money
    public var days31to60: Money
    public var days61to90: Money
    public var over90: Money
    public init(currency: CurrencyCode) {
        current = .zero(currency); days1to30 = .zero(currency); days31to60 = .zero(currency); days61to90 = .zero(currency); over90 = .zero(currency)
    }
    /// Adds `amount` to the bucket for `daysPastDue` (0 or less is current).
    public mutating func add(_ amount: Money, daysPastDue: Int) {
        func plus(_ a: Money) -> Money { Money(minorUnits: a.minorUnits &+ amount.minorUnits, currency: a.currency) }
        switch daysPastDue {
        case ...0: current = plus(current)
        case 1...30: days1to30 = plus(days1to30)
        case 31...60: days31to60 = plus(days31to60)
        case 61...90: days61to90 = plus(days61to90)
        default: over90 = plus(over90)
        }
    }
}

/// One invoice's state on a given day.
public struct InvoicePosition: Hashable, Sendable {
    public var invoice: Invoice
    /// What the client owes over the invoice's life: payable plus prepaid (after withholding).
    public var owed: Money
    /// Prepaid plus payments applied.
    public var paid: Money
    public var outstanding: Money
    /// The due date used: the stated one, else issue date plus the default terms.
    public var effectiveDueDate: Day
    /// Days past due on `today` (negative: not yet due).
    public var daysPastDue: Int
    public var status: InvoiceStatus
    public var isOverdue: Bool { outstanding.isPositive && daysPastDue > 0 }
}

/// Receivables by client and currency: issued, paid, outstanding, overdue, aging, DSO, next due dates.
public struct ClientSummary: Hashable, Sendable {
    public var client: String
    public var clientKey: String
    public var currency: CurrencyCode
    public var invoiceCount: Int
    /// Σ owed (credit notes count negative).
    public var issued: Money
    public var paid: Money
    public var outstanding: Money
    public var overdue: Money
    public var aging: AgingBuckets
    /// Days sales outstanding over the window: outstanding ÷ sales issued in the window × window days; `nil` without sales.
    public var daysSalesOutstanding: Int?
    /// The next due dates (today or later) of invoices still outstanding, earliest first, at most three.
    public var nextDueDates: [Day]
}

public struct InvoiceSummary: Hashable, Sendable {
    public var today: Day
    public var clients: [ClientSummary]
    /// The same figures over all clients, one row per currency (client "*").
    public var totals: [ClientSummary]

    /// Builds the summary of invoices the user issued (received ones, payment receipts and cancelled
    /// invoices are left out). `defaultTermsDays` is used when an invoice states no due date;
    /// DSO looks back `dsoWindowDays` from `today`.
    public static func compute(invoices: [Invoice], payments: [InvoicePayment], today: Day,
                               defaultTermsDays: Int = 30, dsoWindowDays: Int = 365) -> InvoiceSummary {
        let positions = invoices.filter { $0.direction == .issued && $0.kind != .paymentReceipt && $0.status != .cancelled }
            .map { position(of: $0, payments: payments, today: today, defaultTermsDays: defaultTermsDays) }
        struct Key: Hashable { var client: String; var currency: CurrencyCode }
        var groups: [Key: [InvoicePosition]] = [:]
        for p in positions { groups[Key(client: p.invoice.buyer.key, currency: p.invoice.currency), default: []].append(p) }
        var byCurrency: [CurrencyCode: [InvoicePosition]] = [:]
        for p in positions { byCurrency[p.invoice.currency, default: []].append(p) }

        let clients = groups.map { k, ps in
            summarize(ps, client: ps.map(\.invoice.buyer.name).first { !$0.isEmpty } ?? k.client, key: k.client, currency: k.currency,
                      today: today, window: dsoWindowDays)
        }.sorted { ($0.client.lowercased(), $0.currency) < ($1.client.lowercased(), $1.currency) }
        let totals = byCurrency.map { c, ps in summarize(ps, client: "*", key: "*", currency: c, today: today, window: dsoWindowDays) }
            .sorted { $0.currency < $1.currency }
        return InvoiceSummary(today: today, clients: clients, totals: totals)
    }

    /// One invoice's paid and outstanding amounts and status on `today`. Payments in another
    /// currency than the invoice's are ignored (convert them first).
    public static func position(of invoice: Invoice, payments: [InvoicePayment], today: Day, defaultTermsDays: Int = 30) -> InvoicePosition {
        let cur = invoice.currency
        let applied = payments.filter { $0.invoiceKey == invoice.dedupKey && $0.amount.currency == cur && $0.date <= today }
        let paidMinor = applied.reduce(Int64(0)) { $0 &+ $1.amount.minorUnits }
        let owed = Money(minorUnits: invoice.payable.minorUnits &+ invoice.prepaid.minorUnits, currency: cur)
        let paid = Money(minorUnits: invoice.prepaid.minorUnits &+ paidMinor, currency: cur)
        let outstanding = Money(minorUnits: invoice.payable.minorUnits &- paidMinor, currency: cur)
        let due = invoice.dueDate ?? invoice.issueDate.adding(days: defaultTermsDays)
        var status: InvoiceStatus
        if invoice.status == .cancelled { status = .cancelled }
        else if outstanding.isZero && !owed.isZero { status = .paid }
        else if outstanding.isPositive && paid.isPositive { status = .partiallyPaid }
        else { status = .open }
        if invoice.kind == .creditNote && !outstanding.isZero { status = .open }
        return InvoicePosition(invoice: invoice, owed: owed, paid: paid, outstanding: outstanding, effectiveDueDate: due,
                               daysPastDue: due.distance(to: today), status: status)
    }

    static func summarize(_ ps: [InvoicePosition], client: String, key: String, currency: CurrencyCode, today: Day, window: Int) -> ClientSummary {
        var issued: Int64 = 0, paid: Int64 = 0, outstanding: Int64 = 0, overdue: Int64 = 0, windowSales: Int64 = 0
        var aging = AgingBuckets(currency: currency)
        var next: Set<Day> = []
        let windowStart = today.adding(days: -window)
        for p in ps {
            issued &+= p.owed.minorUnits
            paid &+= p.paid.minorUnits
            outstanding &+= p.outstanding.minorUnits
            if p.isOverdue { overdue &+= p.outstanding.minorUnits }
            if !p.outstanding.isZero { aging.add(p.outstanding, daysPastDue: p.daysPastDue) }
            if p.outstanding.isPositive && p.effectiveDueDate >= today { next.insert(p.effectiveDueDate) }
            if p.invoice.issueDate > windowStart && p.invoice.issueDate <= today { windowSales &+= p.owed.minorUnits }
        }
        var dso: Int?
        if windowSales > 0 {
            dso = Int(clamping: RoundingRule.halfEven.divide(Int128(max(0, outstanding)) * Int128(window), by: Int128(windowSales)))
        }
        return ClientSummary(client: client, clientKey: key, currency: currency, invoiceCount: ps.count,
                             issued: Money(minorUnits: issued, currency: currency), paid: Money(minorUnits: paid, currency: currency),
                             outstanding: Money(minorUnits: outstanding, currency: currency), overdue: Money(minorUnits: overdue, currency: currency),
                             aging: aging, daysSalesOutstanding: dso, nextDueDates: Array(next.sorted().prefix(3)))
    }
}
