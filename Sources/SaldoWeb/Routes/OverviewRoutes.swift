import Foundation
import Hummingbird
import SaldoApp
import SaldoCore
import SaldoReports
import SaldoStore
import Synchronization

/// The overview page and its API: this month, quarter and year to date, net per month by platform,
/// the next tax payment, the forecast fan, overdue invoices and statement balances that disagree.
struct OverviewRoutes {
    let server: WebServer
    var cache: OverviewCache { server.overviews }

    static let parameters: [APIOperation.Parameter] = [
        .init(name: "floor", description: "A monthly amount you need (decimal, e.g. 1500); the forecast gives the chance of falling below it."),
        .init(name: "currency", description: "Currency of the figures (ISO 4217); default: the base-currency setting, else EUR."),
    ]

    func register(_ router: Router<WebContext>, _ api: APIRoutes) {
        api.add(APIOperation(method: .get, path: "/books/{book}/overview", id: "getOverview",
                             summary: "Earnings this month, quarter and year to date; net per month by platform; the next tax payment; the forecast; overdue invoices; balances that disagree.",
                             parameters: Self.parameters)) { request, context in
            let entry = try await self.overview(book: try context.parameters.require("book"), query: Query(request))
            return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                            body: .init(byteBuffer: entry.body))
        }
        router.get("/books/:book/overview") { request, context in
            try await self.page(request, context)
        }
    }

    static func request(_ query: Query, today: Day) throws -> OverviewRequest {
        var floor: ExactDecimal?
        if let f = query.string("floor") {
            guard let d = try? ExactDecimal(f), !d.isNegative else {
                throw Problem.badRequest("bad-parameter", "floor: expected an amount such as 1500 or 1500.50, found \"\(f.prefix(40))\"")
            }
            floor = d
        }
        return OverviewRequest(today: today, floor: floor, currency: try query.currency())
    }

    /// The overview, from the cache when the ledger has not changed since it was computed (SQLite's
    /// data_version on the reading connection moves with every commit by another connection).
    /// Requests that arrive while it is being computed wait for that one computation.
    func overview(book: String, query: Query) async throws -> OverviewCache.Entry {
        try await Self.overview(server: server, book: book, request: try Self.request(query, today: server.options.clock.today))
    }

    static func overview(server: WebServer, book: String, request: OverviewRequest) async throws -> OverviewCache.Entry {
        let version = try await server.books.read(book) { try $0.dataVersion() }
        let key = "\(book)|\(version)|\(request.today)|\(request.floor?.description ?? "")|\(request.currency?.code ?? "")"
        return try await server.overviews.value(key) {
            try await server.books.read(book) { store in
                let document = try Overview.build(request, store: store)
                return OverviewCache.Entry(document: document, body: ByteBuffer(string: document.json().serialized()))
            }
        }
    }

    /// Keeps the default overview of every book computed: checks each book's version every
    /// `interval` and computes the overview when the ledger changed (an import here or by the CLI),
    /// so that opening the page answers from the cache; not while this server's writes are queued
    /// or within two intervals of the last. Ends when the server is gone.
    static func keepComputed(_ server: WebServer, interval: Duration = .seconds(1)) -> Task<Void, Never> {
        Task.detached(priority: .utility) { [weak server] in
            while !Task.isCancelled {
                guard let s = server else { return }
                // Not while imports are committing (a page committing many files in a row would
                // otherwise wait behind each recomputation on the shared reading connection).
                for book in s.books.ids where s.books.ledgerExists(book) && s.books.isQuiet(for: interval * 2) {
                    _ = try? await overview(server: s, book: book, request: OverviewRequest(today: s.options.clock.today))
                }
                try? await Task.sleep(for: interval)
            }
        }
    }

    func page(_ request: Request, _ context: WebContext) async throws -> Response {
        let book = try context.parameters.require("book")
        let query = Query(request)
        let entry = try await overview(book: book, query: query)
        let t = Catalog.shipped(context.language)
        // The page's own part depends on the document, the language and the query only (the
        // session's token and links are the layout's): made once per overview and kept with it.
        let content = entry.pages.content("\(context.language.rawValue)|\(request.uri.query ?? "")") {
            self.content(entry.document, query: query, language: context.language, book: book)
        }
        return server.pages.page(content: content, title: t.text("web.nav.overview"), book: book, current: "overview",
                                 context: context, request: request, scripts: ["overview.js"], styles: ["overview.css"])
    }

    /// The overview page's own part (inside the layout).
    func content(_ document: OverviewDocument, query: Query, language: Language, book: String) -> String {
        let t = Catalog.shipped(language)
        // Amounts as the language writes them (1,234.50 EUR or 1.234,50 €, as reports write them).
        let human = HumanFormat(language)
        func money(_ m: Money) -> String { human.money(m) }
        // Days and periods as the language writes them (English keeps the ISO forms it shows).
        func day(_ d: Day) -> String { language == .en ? d.description : human.date(d) }
        func period(_ label: String) -> String { language == .en ? label : human.periodLabel(label) }
        func missing(_ u: OverviewDocument.Unavailable) -> [String: Any] {
            // In the page's language, as the command line says it (`error.*`).
            var m: [String: Any] = ["reason": t.translating(u.reason, keyPrefix: "error."), "hint": u.hint.map { t.translating($0, keyPrefix: "error.") } ?? ""]
            if u.fix == "see-reports", let p = u.fixPeriod {
                m["fixHref"] = "/books/\(book)/reports?period=\(p)"
                m["fixLabel"] = t.text("web.overview.fix.see_reports", ["period": p])
            } else if let fix = u.fix, let target = Self.fixTargets[fix] ?? (fix.hasPrefix("set-") ? ("settings", "web.overview.fix.settings") : nil) {
                m["fixHref"] = "/books/\(book)/\(target.page)"
                m["fixLabel"] = t.text(target.key)
            }
            return m
        }
        var data: [String: Any] = ["floor": query.string("floor") ?? "", "currency": document.currency.code]
        switch document.earnings {
        case .available(let e):
            data["cards"] = e.cards.map { c -> [String: Any] in
                ["title": t.text("web.overview.card.\(c.id)", ["period": period(c.label)]),
                 "net": money(c.figures.net), "gross": money(c.figures.gross), "fees": money(c.figures.fees),
                 "negative": c.figures.net.isNegative]
            }
            data["hasCards"] = !e.cards.isEmpty
            data["earningsChart"] = document.earningsChart(in: t).map { HTMLReport.fragment($0, language: language) } ?? ""
        case .unavailable(let u): data["earningsMissing"] = missing(u)
        }
        switch document.tax {
        case .available(let tax):
            if let d = tax.next {
                data["tax"] = ["form": d.form, "period": period(d.period), "what": d.what, "date": day(d.date),
                               "amount": d.amount.map { money($0.money) } ?? t.text("web.overview.tax.nothing"),
                               "unconfirmed": !tax.unconfirmed.isEmpty] as [String: Any]
            } else {
                data["taxNone"] = true
            }
        case .unavailable(let u): data["taxMissing"] = missing(u)
        }
        switch document.forecast {
        case .available:
            data["forecastChart"] = document.forecastChart(in: t).map { HTMLReport.fragment($0, language: language) } ?? ""
            if let f = document.forecastSummary {
                data["forecastQuarter"] = t.text("web.overview.forecast.quarter", [
                    "months": String(f.months), "p10": money(f.p10), "p50": money(f.p50), "p90": money(f.p90)])
                if let chance = f.chanceBelowFloor, let floor = f.floor {
                    data["belowFloor"] = t.text("web.overview.forecast.below_floor", ["chance": language == .es ? chance.description.replacingOccurrences(of: ".", with: ",") : chance.description, "floor": money(floor)])
                }
            }
        case .unavailable(let u): data["forecastMissing"] = missing(u)
        }
        switch document.overdueInvoices {
        case .available(let list):
            data["overdue"] = list.map { i -> [String: Any] in
                ["number": i.number, "client": i.client, "due": day(i.due), "outstanding": money(i.outstanding),
                 "late": t.plural("web.overview.overdue.days", count: i.daysPastDue)]
            }
            data["overdueNone"] = list.isEmpty
            data["hasOverdue"] = !list.isEmpty
        case .unavailable(let u): data["overdueMissing"] = missing(u)
        }
        switch document.balanceMismatches {
        case .available(let list):
            data["mismatches"] = list.map { c -> [String: Any] in
                ["account": c.account.path, "date": day(c.date), "stated": money(c.stated), "computed": money(c.computed),
                 "difference": money(c.difference), "source": c.location?.description ?? ""]
            }
            data["mismatchesNone"] = list.isEmpty && document.balanceChecks > 0
            data["noChecks"] = document.balanceChecks == 0
            data["hasMismatches"] = !list.isEmpty
        case .unavailable(let u): data["mismatchesMissing"] = missing(u)
        }
        data["today"] = t.text("web.overview.today", ["day": day(document.today), "currency": document.currency.code])
        return server.pages.content("overview", data: data, book: book, language: language)
    }

    /// Where a page offers each fix: (page under the book, label key).
    static let fixTargets: [String: (page: String, key: String)] = [
        "start-ledger": ("import", "web.start_import"),
        "import-statements": ("import", "web.start_import"),
        "import-rates": ("import", "web.overview.fix.rates"),
        "choose-jurisdiction": ("settings", "web.overview.fix.settings"),
        "choose-profile": ("settings", "web.overview.fix.settings"),
    ]
}

/// Overview documents by ledger version and request: a few entries, the newest kept; one
/// computation per key at a time (others wait for it).
final class OverviewCache: Sendable {
    struct Entry: Sendable {
        var document: OverviewDocument
        /// The API's answer, serialized once (a shared buffer: answering copies nothing).
        var body: ByteBuffer
        /// The page's own part, made on first use per language and query (``PageContents``).
        let pages = PageContents()

        init(document: OverviewDocument, body: ByteBuffer) { self.document = document; self.body = body }
    }

    /// An overview page's own part (the HTML inside the layout), by language and query string, made
    /// once per overview: it changes only with the document, which a new ledger version replaces
    /// whole. A few variants at most (the two languages, a floor typed in the form).
    final class PageContents: Sendable {
        static let capacity = 8
        private let made = Mutex<[String: String]>([:])

        func content(_ key: String, make: () -> String) -> String {
            if let hit = made.withLock({ $0[key] }) { return hit }
            let html = make()
            made.withLock { m in
                if m.count >= Self.capacity { m.removeAll() }
                m[key] = html
            }
            return html
        }

        /// How many variants are kept (for tests).
        var count: Int { made.withLock { $0.count } }
    }
    /// Overviews kept, the least recently used going first: one ledger's few variants (floor,
    /// currency, the version before) for a single ledger; one per client for an office, whose
    /// clients read their overviews at the same time (16 made 200 clients recompute theirs on
    /// nearly every request).
    let capacity: Int
    static let singleLedgerCapacity = 16
    static let officeCapacity = 4096
    private let entries = Mutex<(map: [String: (entry: Entry, used: UInt64)], clock: UInt64)>(([:], 0))
    private let computing = Mutex<[String: Task<Entry, any Error>]>([:])

    init(capacity: Int = OverviewCache.singleLedgerCapacity) { self.capacity = max(1, capacity) }

    func get(_ key: String) -> Entry? {
        entries.withLock { s in
            guard let e = s.map[key] else { return nil }
            s.clock += 1
            s.map[key] = (e.entry, s.clock)
            return e.entry
        }
    }

    func put(_ key: String, _ entry: Entry) {
        entries.withLock { s in
            s.clock += 1
            s.map[key] = (entry, s.clock)
            if s.map.count > capacity, let oldest = s.map.min(by: { $0.value.used < $1.value.used })?.key { s.map[oldest] = nil }
        }
    }

    /// The entry for `key`: cached, or being computed (waited for), or computed now.
    func value(_ key: String, compute: @escaping @Sendable () async throws -> Entry) async throws -> Entry {
        if let hit = get(key) { return hit }
        let task = computing.withLock { running in
            if let t = running[key] { return t }
            let t = Task { try await compute() }
            running[key] = t
            return t
        }
        defer { computing.withLock { running in if running[key] == task { running[key] = nil } } }
        let entry = try await task.value
        put(key, entry)
        return entry
    }

    /// How many computations are running (for tests).
    var running: Int { computing.withLock { $0.count } }
}
