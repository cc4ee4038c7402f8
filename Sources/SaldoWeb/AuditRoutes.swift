import Foundation
import Hummingbird
import SaldoApp
import SaldoCore

/// The office's audit log for staff: the `/audit` page and `GET /api/v1/audit`, filtered by
/// workspace, person, action and days, newest first, a page at a time (older pages by event id).
/// Read in the organisation's context (row-level security shows no other office's events); a
/// client gets the unknown page's 404, as for any page that is not theirs.
struct AuditRoutes {
    let server: WebServer
    let office: OfficeSessions

    static let defaultLimit = 50

    static let parameters: [APIOperation.Parameter] = [
        .init(name: "workspace", kind: .integer, description: "Only events about this workspace (its book id)."),
        .init(name: "person", kind: .integer, description: "Only events by this person (their number in the office)."),
        .init(name: "action", description: "Only this action, or the actions under it (import takes import.commit and import.post)."),
        .init(name: "from", kind: .date, description: "Only events on or after this day (UTC, yyyy-mm-dd)."),
        .init(name: "to", kind: .date, description: "Only events on or before this day (UTC, yyyy-mm-dd)."),
        .init(name: "before", kind: .integer, description: "Only events older than this event id: the next page (the answer's next link)."),
        .init(name: "limit", kind: .integer, description: "Events per page, 1 to \(AuditLogPage.maximumLimit) (default \(defaultLimit))."),
    ]

    /// Actions offered in the page's filter (any other is accepted in the query).
    static let actions = ["login", "logout", "import", "import.commit", "invoice", "settings.change", "rates.change", "export", "office"]

    /// The filter a request asks for; a value that cannot be one is a 400 naming the parameter.
    static func filter(_ query: Query) throws -> OfficeAuditFilter {
        func id(_ name: String) throws -> Int64? {
            guard query.string(name) != nil else { return nil }
            return Int64(try query.int(name, default: 1, in: 1...Int.max))
        }
        var filter = OfficeAuditFilter(limit: try query.int("limit", default: defaultLimit, in: 1...AuditLogPage.maximumLimit))
        filter.workspace = try id("workspace")
        filter.person = try id("person")
        filter.before = try id("before")
        if let action = query.string("action") {
            guard action.count <= 40, action.range(of: "^[a-z0-9][a-z0-9._-]*$", options: .regularExpression) != nil else {
                throw Problem.badRequest("bad-parameter", "action: expected an action such as import, import.commit, settings.change or login, found \"\(action.prefix(40))\"")
            }
            filter.action = action
        }
        let from = try query.day("from"), to = try query.day("to")
        if let from, let to, from > to {
            throw Problem.badRequest("bad-parameter", "from: the first day \(from) comes after the last day \(to)", hint: "give from on or before to")
        }
        filter.from = from?.description
        filter.to = to?.description
        return filter
    }

    /// The query string of `filter` (without `before` and `limit` unless given), for links.
    static func query(_ filter: OfficeAuditFilter, before: Int64?) -> String {
        var items: [(String, String)] = []
        if let w = filter.workspace { items.append(("workspace", String(w))) }
        if let p = filter.person { items.append(("person", String(p))) }
        if let a = filter.action { items.append(("action", a)) }
        if let f = filter.from { items.append(("from", f)) }
        if let t = filter.to { items.append(("to", t)) }
        if filter.limit != defaultLimit { items.append(("limit", String(filter.limit))) }
        if let before { items.append(("before", String(before))) }
        return RestSupport.query(items)
    }

    /// The page for staff, or the unknown page's 404 (clients, and anyone else).
    static func page(_ office: OfficeSessions, _ context: WebContext, _ filter: OfficeAuditFilter) async throws -> AuditLogPage {
        guard let person = context.person, let page = try await offPool({ try office.auditLog(for: person, filter: filter) }) else {
            throw Problem.notFound("there is no page here")
        }
        return page
    }

    func register(_ router: Router<WebContext>, _ api: APIRoutes) {
        let office = self.office, pages = server.pages
        api.add(APIOperation(method: .get, path: "/audit", id: "listAuditEvents",
                             summary: "Office mode, staff only: the office's audit log (who imported, linked, changed settings or exported what, and when), newest first.",
                             parameters: Self.parameters)) { request, context in
            let filter = try Self.filter(Query(request))
            let page = try await Self.page(office, context, filter)
            let names = Dictionary(page.workspaces.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
            let events: [JSONValue] = page.events.map { e in
                .obj([("id", .number(String(e.id))), ("at", .string(e.at)), ("person", e.personID.map { .number(String($0)) } ?? .null),
                      ("actor", .string(e.actor)), ("workspace", e.workspace.map { .number(String($0)) } ?? .null),
                      ("workspaceName", e.workspace.flatMap { names[$0] }.map(JSONValue.string) ?? .null),
                      ("action", .string(e.action)), ("object", .string(e.object)), ("address", e.clientAddress.map(JSONValue.string) ?? .null)])
            }
            let next: JSONValue = page.olderBefore.map { .string("/api/v1/audit?" + Self.query(filter, before: $0)) } ?? .null
            return jsonResponse(.obj([("events", .array(events)), ("next", next)]))
        }
        router.get("/audit") { request, context in
            // A client (or anyone not staff) meets the unknown page before the filter is read.
            guard let person = context.person, Office.mayChange(person) else { throw Problem.notFound("there is no page here") }
            let filter = try Self.filter(Query(request))
            let page = try await Self.page(office, context, filter)
            let t = Catalog.shipped(context.language)
            let names = Dictionary(page.workspaces.map { ($0.id, $0.name.isEmpty ? "#\($0.id)" : $0.name) }, uniquingKeysWith: { a, _ in a })
            let people = Dictionary(page.people.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            let rows: [[String: Any]] = page.events.map { e in
                let name = e.personID.flatMap { people[$0]?.displayName } ?? e.actor
                var row: [String: Any] = [
                    "id": String(e.id), "at": String(e.at.prefix(19)).replacingOccurrences(of: "T", with: " "),
                    "atISO": e.at, "actor": name, "email": name == e.actor ? "" : e.actor,
                    "action": e.action, "object": e.object, "address": e.clientAddress ?? "",
                ]
                if let w = e.workspace { row["book"] = names[w] ?? "#\(w)"; row["bookHref"] = "/books/\(w)/overview" }
                return row
            }
            // Each action named in words in the filter (the log's rows keep the action's code).
            var actions: [[String: Any]] = Self.actions.map { a in
                ["value": a, "label": "\(t.text("web.audit.action.\(a)")) (\(a))", "selected": filter.action == a]
            }
            if let a = filter.action, !Self.actions.contains(a) { actions.append(["value": a, "label": a, "selected": true]) }
            let data: [String: Any] = [
                "workspaces": page.workspaces.map { w -> [String: Any] in
                    ["value": String(w.id), "label": names[w.id] ?? "#\(w.id)", "selected": filter.workspace == w.id]
                },
                "people": page.people.map { p -> [String: Any] in
                    ["value": String(p.id), "label": p.displayName == p.email ? p.email : "\(p.displayName) (\(p.email))", "selected": filter.person == p.id]
                },
                "actions": actions,
                "from": filter.from ?? "", "to": filter.to ?? "",
                "rows": rows, "empty": rows.isEmpty,
                "newest": filter.before == nil ? false as Any : "/audit?" + Self.query(filter, before: nil) as Any,
                "older": page.olderBefore.map { "/audit?" + Self.query(filter, before: $0) as Any } ?? false as Any,
                "json": "/api/v1/audit?" + Self.query(filter, before: filter.before),
            ]
            return pages.page("audit", title: t.text("web.audit.title"), data: data, book: "", current: "", context: context, request: request)
        }
    }
}
