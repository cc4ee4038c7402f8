import SaldoCore

/// An office's quarter-end: every client's returns and payments due in the three months after a
/// calendar quarter, with the clients whose books could not be computed and why. Its CSV is the
/// filings table alone (one row per return, for an office's filing software); the totals and the
/// clients not computed are in the human formats and the JSON.
public struct QuarterEndReport: Sendable, Hashable {
    public struct Filing: Sendable, Hashable {
        /// The client's workspace id (or ledger file).
        public var id: String
        public var client: String
        /// es, us, gb.
        public var jurisdiction: String
        /// As the tax authority names it: `Modelo 130`, `Modelo 303`, `Form 1040-ES`, `Self Assessment`, `MTD update`.
        public var form: String
        /// The period the form is for, as Saldo labels periods (`2026-Q3`; a UK tax year `2026-27`, …).
        public var period: String
        public var due: Day
        /// The estimated payment; nil for a filing that pays nothing (an MTD update).
        public var amount: Money?
        public var currency: CurrencyCode

        public init(id: String, client: String, jurisdiction: String, form: String, period: String, due: Day, amount: Money?, currency: CurrencyCode) {
            self.id = id; self.client = client; self.jurisdiction = jurisdiction; self.form = form; self.period = period
            self.due = due; self.amount = amount; self.currency = currency
        }
    }

    public struct Failure: Error, Sendable, Hashable {
        public var id: String
        public var client: String
        /// In English, as the application layer states it; shown through the catalog's `error.*` templates.
        public var message: String
        public var hint: String?
        public init(id: String, client: String, message: String, hint: String?) {
            self.id = id; self.client = client; self.message = message; self.hint = hint
        }
    }

    /// The office's name, when the clients are an office's workspaces.
    public var office: String?
    public var year: Int
    public var quarter: Int
    /// First and last day (included) on which the listed returns fall due.
    public var windowStart: Day
    public var windowEnd: Day
    public var today: Day
    /// How many clients were asked for.
    public var clients: Int
    public var filings: [Filing]
    public var failures: [Failure]

    public init(year: Int, quarter: Int, windowStart: Day, windowEnd: Day, today: Day, clients: Int, filings: [Filing], failures: [Failure]) {
        self.year = year; self.quarter = quarter; self.windowStart = windowStart; self.windowEnd = windowEnd; self.today = today
        self.clients = clients; self.filings = filings; self.failures = failures
    }

    /// Per form and currency: how many returns and what they add up to (payments only).
    public struct Total: Sendable, Hashable {
        public var form: String
        public var currency: CurrencyCode
        public var returns: Int
        public var toPay: Money
    }

    public var totals: [Total] {
        var order: [String] = []
        var byKey: [String: Total] = [:]
        for f in filings {
            let key = f.form + "\u{1}" + f.currency.code
            if byKey[key] == nil { order.append(key); byKey[key] = Total(form: f.form, currency: f.currency, returns: 0, toPay: Money(minorUnits: 0, currency: f.currency)) }
            byKey[key]!.returns += 1
            if let a = f.amount, a.isPositive, let sum = try? byKey[key]!.toPay.adding(a) { byKey[key]!.toPay = sum }
        }
        return order.sorted().compactMap { byKey[$0] }
    }

    /// The quarter has not ended on `today`: its figures are the books so far.
    public var quarterIsOpen: Bool { today < Day(year: year, month: quarter * 3 - 2, day: 1)!.adding(months: 3) }
}

extension QuarterEndReport: ReportConvertible {
    public func document() -> ReportDocument { document(in: .shipped(.en)) }

    public func document(in L: Catalog) -> ReportDocument {
        let en = L.language == .en
        func date(_ d: Day) -> String { en ? d.description : L.format.date(d) }
        let args = ["year": String(year), "quarter": String(quarter), "clients": String(clients), "office": office ?? "",
                    "from": date(windowStart), "to": date(windowEnd)]
        let filingsTable = ReportTable(id: "filings", title: L("quarter_end.table.filings"), columns: [
            ReportColumn("client", L("quarter_end.column.client")),
            ReportColumn("workspace", L("quarter_end.column.workspace")),
            ReportColumn("jurisdiction", L("quarter_end.column.jurisdiction")),
            ReportColumn("form", L("quarter_end.column.form")),
            ReportColumn("period", L("quarter_end.column.period")),
            ReportColumn("due", L("quarter_end.column.due"), .date),
            ReportColumn("amount", L("quarter_end.column.amount"), .money(nil)),
            ReportColumn("currency", L("quarter_end.column.currency")),
        ], rows: filings.map { f in
            ReportRow([.text(f.client), .text(f.id), .text(f.jurisdiction), .text(f.form), .text(L.format.periodLabel(f.period)), .date(f.due),
                       f.amount.map { .money($0) } ?? .empty, .text(f.currency.code)])
        })
        let totalsTable = ReportTable(id: "totals", title: L("quarter_end.table.totals"), columns: [
            ReportColumn("form", L("quarter_end.column.form")),
            ReportColumn("returns", L("quarter_end.column.returns"), .number),
            ReportColumn("to_pay", L("quarter_end.column.to_pay"), .money(nil)),
            ReportColumn("currency", L("quarter_end.column.currency")),
        ], rows: totals.map { ReportRow([.text($0.form), .integer($0.returns), .money($0.toPay), .text($0.currency.code)]) }, audience: .people)
        var blocks: [ReportBlock] = [.table(filingsTable)]
        if !filings.isEmpty { blocks.append(.table(totalsTable)) }
        if !failures.isEmpty {
            blocks.append(.table(ReportTable(id: "failures", title: L("quarter_end.table.failures", ["count": String(failures.count)]), columns: [
                ReportColumn("client", L("quarter_end.column.client")),
                ReportColumn("workspace", L("quarter_end.column.workspace")),
                ReportColumn("problem", L("quarter_end.column.problem")),
                ReportColumn("what_to_do", L("quarter_end.column.what_to_do")),
            ], rows: failures.map { f in
                ReportRow([.text(f.client), .text(f.id), .text(L.translating(f.message, keyPrefix: "error.")),
                           .text(f.hint.map { L.translating($0, keyPrefix: "error.") } ?? "")])
            }, audience: .people)))
        }
        var notes: [String] = []
        if quarterIsOpen { notes.append(L("quarter_end.note.open", args)) }
        if filings.isEmpty && failures.count < clients { notes.append(L("quarter_end.note.nothing_due", args)) }
        notes.append(L("quarter_end.note.ledger_only"))
        notes.append(L("tax.note.disclaimer"))
        let json: JSONValue = .obj([
            ("report", .string("quarter_end")), ("schema", .int(1)), ("office", office.map { .string($0) } ?? .null), ("year", .int(year)), ("quarter", .int(quarter)),
            ("due_from", .string(windowStart.description)), ("due_to", .string(windowEnd.description)),
            ("today", .string(today.description)), ("clients", .int(clients)),
            ("filings", .array(filings.map { f in .obj([
                ("workspace", .string(f.id)), ("client", .string(f.client)), ("jurisdiction", .string(f.jurisdiction)),
                ("form", .string(f.form)), ("period", .string(f.period)), ("due", .string(f.due.description)),
                ("amount", f.amount.map { .money($0) } ?? .null), ("currency", .string(f.currency.code)),
            ]) })),
            ("totals", .array(totals.map { t in .obj([
                ("form", .string(t.form)), ("currency", .string(t.currency.code)), ("returns", .int(t.returns)), ("to_pay", .money(t.toPay)),
            ]) })),
            ("failures", .array(failures.map { f in .obj([
                ("workspace", .string(f.id)), ("client", .string(f.client)), ("message", .string(f.message)), ("hint", f.hint.map { .string($0) } ?? .null),
            ]) })),
        ])
        return ReportDocument(title: L.plural(office == nil ? "quarter_end.title" : "quarter_end.title_office", count: clients, args), subtitle: L("quarter_end.subtitle", args), notes: notes, blocks: blocks, json: json)
    }
}
