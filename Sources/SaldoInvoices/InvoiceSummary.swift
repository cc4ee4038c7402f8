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

    /// The buckets past due added up (1–30 … over 90).
    public var overdue: Money {
        Money(minorUnits: days1to30.minorUnits &+ days31to60.minorUnits &+ days61to90.minorUnits &+ over90.minorUnits, currency: current.currency)
    }

    /// Adds another set of buckets, bucket by bucket.
    public mutating func add(_ o: AgingBuckets) {
        func plus(_ a: Money, _ b: Money) -> Money { Money(minorUnits: a.minorUnits &+ b.minorUnits, currency: a.currency) }
        current = plus(current, o.current); days1to30 = plus(days1to30, o.days1to30); days31to60 = plus(days31to60, o.days31to60)
        days61to90 = plus(days61to90, o.days61to90); over90 = plus(over90, o.over90)
    }

    /// Sets a credit (a negative amount: open credit notes) against the oldest amounts first, as an
    /// unapplied credit is usually applied; what is left when nothing is owed stays in `current`, negative.
    public mutating func applyCredit(_ credit: Money) {
        var left = -credit.minorUnits
        guard left > 0 else { return }
        func take(_ bucket: inout Money) {
            guard bucket.minorUnits > 0, left > 0 else { return }
            let used = min(bucket.minorUnits, left)
            bucket = Money(minorUnits: bucket.minorUnits - used, currency: bucket.currency)
            left -= used
        }
        take(&over90); take(&days61to90); take(&days31to60); take(&days1to30); take(&current)
        if left > 0 { current = Money(minorUnits: current.minorUnits &- left, currency: current.currency) }
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
    /// Whether there is anything to pay at all: a payment receipt (CFDI type P) records money
    /// received against other invoices and has no due date, outstanding amount or overdue status.
    public var isPayable: Bool { invoice.kind != .paymentReceipt }
}

/// Receivables by client and currency: issued, paid, outstanding, overdue, aging, DSO, next due dates.
public struct ClientSummary: Hashable, Sendable {
    /// The name most of the client's invoices use (the latest invoice's among equals).
    public var client: String
    public var clientKey: String
    /// The client's tax id as the invoices write it, when they state one.
    public var clientTaxID: String? = nil
    public var currency: CurrencyCode
    public var invoiceCount: Int
    /// Σ owed (credit notes count negative).
    public var issued: Money
    public var paid: Money
    public var outstanding: Money
    /// The outstanding amounts past due: the sum of the aging buckets after "current" (open credit
    /// notes set against the oldest amounts first), so never more than what is outstanding.
    public var overdue: Money
    public var aging: AgingBuckets
    /// Σ prepaid amounts the invoices state (counted in `paid`).
    public var prepaid: Money? = nil
    /// Σ what open credit notes (and negative invoices) still owe the client, set against the aging.
    public var openCredit: Money? = nil
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
        // One client is one tax id; a buyer written without one belongs to the client with a tax id
        // whose invoices use the same name, when exactly one does (else the name is the client).
        var taxKeysByName: [String: Set<String>] = [:]
        for p in positions where p.invoice.buyer.taxID?.isEmpty == false {
            taxKeysByName[p.invoice.buyer.name.lowercased(), default: []].insert(p.invoice.buyer.key)
        }
        func clientKey(_ b: Party) -> String {
            if b.taxID?.isEmpty == false { return b.key }
            if let keys = taxKeysByName[b.name.lowercased()], keys.count == 1 { return keys.first! }
            return b.key
        }
        struct Key: Hashable { var client: String; var currency: CurrencyCode }
        var groups: [Key: [InvoicePosition]] = [:]
        for p in positions { groups[Key(client: clientKey(p.invoice.buyer), currency: p.invoice.currency), default: []].append(p) }

        let clients = groups.map { k, ps in
            var s = summarize(ps, client: displayName(ps) ?? k.client, key: k.client, currency: k.currency, today: today, window: dsoWindowDays)
            s.clientTaxID = ps.compactMap { $0.invoice.buyer.taxID }.first { !$0.isEmpty }
            return s
        }.sorted { ($0.client.lowercased(), $0.currency, $0.clientKey) < ($1.client.lowercased(), $1.currency, $1.clientKey) }
        // The totals' buckets are the clients' added up; what clients in credit are owed (their
        // negative "current") is then set against the oldest amounts of all, so that here too the
        // buckets add up to what is outstanding and Overdue is never more than it.
        var byCurrency: [CurrencyCode: [InvoicePosition]] = [:]
        for p in positions { byCurrency[p.invoice.currency, default: []].append(p) }
        let totals = byCurrency.map { c, ps -> ClientSummary in
            var t = summarize(ps, client: "*", key: "*", currency: c, today: today, window: dsoWindowDays)
            var aging = AgingBuckets(currency: c)
            var credit = Money.zero(c)
            for row in clients where row.currency == c {
                var a = row.aging
                if a.current.isNegative { credit = Money(minorUnits: credit.minorUnits &+ a.current.minorUnits, currency: c); a.current = .zero(c) }
                aging.add(a)
            }
            aging.applyCredit(credit)
            t.aging = aging
            t.overdue = aging.overdue
            return t
        }.sorted { $0.currency < $1.currency }
        return InvoiceSummary(today: today, clients: clients, totals: totals)
    }

    /// The name most of these invoices give the buyer; among names used as often, the latest invoice's.
    static func displayName(_ ps: [InvoicePosition]) -> String? {
        var uses: [String: (count: Int, latest: Day)] = [:]
        for p in ps where !p.invoice.buyer.name.isEmpty {
            let n = p.invoice.buyer.name
            let u = uses[n]
            uses[n] = ((u?.count ?? 0) + 1, max(u?.latest ?? p.invoice.issueDate, p.invoice.issueDate))
        }
        return uses.max { a, b in (a.value.count, a.value.latest, b.key) < (b.value.count, b.value.latest, a.key) }?.key
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
        if invoice.kind == .paymentReceipt {
            // Money received against other invoices: nothing to pay, so nothing outstanding or overdue.
            let zero = Money.zero(cur)
            return InvoicePosition(invoice: invoice, owed: zero, paid: zero, outstanding: zero, effectiveDueDate: due,
                                   daysPastDue: due.distance(to: today), status: invoice.status)
        }
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
        var issued: Int64 = 0, paid: Int64 = 0, outstanding: Int64 = 0, windowSales: Int64 = 0, prepaid: Int64 = 0, credit: Int64 = 0
        var aging = AgingBuckets(currency: currency)
        var next: Set<Day> = []
        let windowStart = today.adding(days: -window)
        for p in ps {
            issued &+= p.owed.minorUnits
            paid &+= p.paid.minorUnits
            prepaid &+= p.invoice.prepaid.minorUnits
            outstanding &+= p.outstanding.minorUnits
            // What the client owes goes by how late it is; what the user owes the client (an open
            // credit note, a negative invoice) is set against it below.
            if p.outstanding.isPositive { aging.add(p.outstanding, daysPastDue: p.daysPastDue) }
            else if p.outstanding.isNegative { credit &+= p.outstanding.minorUnits }
            if p.outstanding.isPositive && p.effectiveDueDate >= today { next.insert(p.effectiveDueDate) }
            if p.invoice.issueDate > windowStart && p.invoice.issueDate <= today { windowSales &+= p.owed.minorUnits }
        }
        aging.applyCredit(Money(minorUnits: credit, currency: currency))
        var dso: Int?
        if windowSales > 0 {
            dso = Int(clamping: RoundingRule.halfEven.divide(Int128(max(0, outstanding)) * Int128(window), by: Int128(windowSales)))
        }
        return ClientSummary(client: client, clientKey: key, currency: currency, invoiceCount: ps.count,
                             issued: Money(minorUnits: issued, currency: currency), paid: Money(minorUnits: paid, currency: currency),
                             outstanding: Money(minorUnits: outstanding, currency: currency), overdue: aging.overdue,
                             aging: aging, prepaid: Money(minorUnits: prepaid, currency: currency), openCredit: Money(minorUnits: credit, currency: currency),
                             daysSalesOutstanding: dso, nextDueDates: Array(next.sorted().prefix(3)))
    }
}
