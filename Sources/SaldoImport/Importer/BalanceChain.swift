import SaldoCore

/// What the balance check of one statement found: how many stated balances it compared, the
/// gaps no order of the rows explains, and whether the ledger agrees with the statement.
public struct BalanceSummary: Sendable, Equatable {
    /// Stated balances compared with the ledger.
    public var checked = 0
    /// Places where the stated balances jump by an amount no row of the file shows.
    public var gaps = 0
    /// Rows that move the stated balance by an amount the ledger does not hold for them.
    public var unbooked = 0
    /// Statements (camt, MT940, Norma 43) whose stated closing balance is not their opening balance
    /// plus what the ledger holds for their entries: not a gap between two rows, so said apart.
    public var closingBreaks = 0
    /// Per currency with stated balances: the balance before the first row, the last balance
    /// stated, and what the ledger holds for the rows in between.
    public var currencies: [Currency] = []

    public struct Currency: Sendable, Equatable {
        public var opening: Money
        public var closing: Money
        public var ledgerChange: Money
        /// The closing balance the statement states equals the opening plus the ledger's change.
        public var agrees: Bool { opening.minorUnits &+ ledgerChange.minorUnits == closing.minorUnits }
    }

    public init() {}

    /// Breaks to report: gaps, rows the ledger does not hold as stated, closing balances not reached.
    public var broken: Int { gaps + unbooked + closingBreaks }
    /// True when every stated balance is reproduced by the ledger and every closing balance equals
    /// the opening balance plus the ledger's change (and there was something to check).
    public var ledgerAgrees: Bool { checked > 0 && broken == 0 && currencies.allSatisfy(\.agrees) }
}

/// Finds the order in which a statement's stated running balances chain, then compares the
/// ledger with them, per currency.
///
/// The order comes from the balances themselves: file order or reversed file order (whichever
/// links more neighbouring rows; the dates decide a tie), and within one day the rows in any
/// order (a fee listed after its payment but stamped hours earlier; balances that follow the
/// completion date rather than the start date). What no such order explains is a gap: reported
/// once, with the amount missing and the stated balances on either side, and the check goes on
/// from the balance after it. The ledger side is the movement booked for each row (read off the
/// legs handed to the ledger, not off the file): every row must be booked as it moved the balance,
/// and the closing balance must equal the opening balance plus the ledger's change.
struct BalanceChain {
    let file: String
    let account: Account
    let field: String?
    let profile: String
    var diagnostics: [Diagnostic] = []
    /// Same-day groups up to this size are reordered when their listed order breaks; larger ones
    /// are checked as listed (a reordering search would grow with the square of the group).
    static let reorderLimit = 512

    init(file: String, account: Account, field: String?, profile: String) {
        self.file = file; self.account = account; self.field = field; self.profile = profile
    }

    /// `chronological`: the rows in date and time order (the booking order); `newestFirst`: the
    /// file's direction (``Booker/listedNewestFirst(_:)``).
    mutating func run(_ ms: [Movement], booked: [Int64], chronological: [Int], newestFirst: Bool) -> ([BalanceCheck], BalanceSummary) {
        var checks: [BalanceCheck] = []
        var summary = BalanceSummary()
        var currencies: [CurrencyCode] = []
        var lists: [[Int]] = []
        for i in ms.indices where ms[i].affectsBalance && (ms[i].filtered == nil || ms[i].cls.filteredButAffectsBalance) {
            // A file holds a handful of currencies: a linear search beats hashing here.
            let c = ms[i].currency
            if let k = currencies.firstIndex(of: c) { lists[k].append(i) } else { currencies.append(c); lists.append([i]) }
        }
        var chrono: [[Int]] = Array(repeating: [], count: currencies.count)
        if currencies.count > 0 {
            var included = [Bool](repeating: false, count: ms.count)
            for l in lists { for i in l { included[i] = true } }
            for i in chronological where included[i] {
                let c = ms[i].currency
                chrono[currencies.firstIndex(of: c)!].append(i)
            }
        }
        for (k, cur) in currencies.enumerated() {
            let rows = lists[k]
            lists[k] = []
            guard rows.contains(where: { ms[$0].balance != nil }) else { continue }
            // Candidate orders: by date and time (rows of one instant as listed), as listed (oldest
            // first), reversed.
            let listed = newestFirst ? Array(rows.reversed()) : rows
            // An order that explains every balance wins (fewest dates running backwards among such);
            // when none does, each gap and each step back in time count alike (a fee stamped the
            // evening before the transfer it follows is one step back; reversing whole days to save
            // a gap is many), and a tie goes to the order whose dates run forward.
            var best: (chain: BalanceChain, checks: [BalanceCheck], summary: BalanceSummary, rank: (Int, Int, Int))?
            for candidate in [chrono[k], listed, Array(listed.reversed())] {
                var w = Walk(currency: cur), c = self, ch: [BalanceCheck] = [], su = summary
                w.run(candidate, ms, booked, &c, &ch, &su)
                var backwards = 0
                for x in candidate.indices.dropFirst() where ms[candidate[x]].day < ms[candidate[x - 1]].day { backwards += 1 }
                let gaps = su.gaps - summary.gaps
                let rank = gaps == 0 ? (0, backwards, 0) : (1, gaps + backwards, backwards)
                if best == nil || rank < best!.rank { best = (c, ch, su, rank) }
                if rank == (0, 0, 0) { break }   // chains forward in time: no order can do better
            }
            chrono[k] = []
            self = best!.chain
            checks += best!.checks
            summary = best!.summary
        }
        return (checks, summary)
    }

    /// One currency's chain.
    struct Walk {
        let currency: CurrencyCode
        var running: Int64 = 0
        var started = false
        var opening: Int64 = 0
        var ledger: Int64 = 0
        var ledgerAtLastStated: Int64 = 0
        var lastStated = -1

        init(currency: CurrencyCode) { self.currency = currency }

        func money(_ v: Int64) -> Money { Money(minorUnits: v, currency: currency) }
        func text(_ v: Int64) -> String { money(v).formatted() }

        /// Walks the rows in the order `seq`, reordering the rows of a day where that removes gaps.
        mutating func run(_ seq: [Int], _ ms: [Movement], _ booked: [Int64], _ chain: inout BalanceChain,
                          _ checks: inout [BalanceCheck], _ summary: inout BalanceSummary) {
            func before(_ j: Int) -> Int64 { ms[j].balance! &- ms[j].net }

            /// Gaps met walking `order` from `start` (stated balances that do not follow).
            func gaps(_ order: [Int], from start: Int64) -> Int { walked(order, from: start).gaps }
            /// Gaps met walking `order` from `start`, and the running balance the walk ends on (rows
            /// of one instant that pass together end on the balance after all of them, which need
            /// not be the last listed row's).
            func walked(_ order: [Int], from start: Int64) -> (gaps: Int, end: Int64) {
                var w = self
                w.running = start
                var scratchChecks: [BalanceCheck] = [], scratchSummary = BalanceSummary(), scratchChain = chain
                w.walk(order, ms, booked, &scratchChain, &scratchChecks, &scratchSummary)
                return (scratchSummary.gaps, w.running)
            }
            /// The rows of a day in the order their balances follow each other from `start`: each
            /// next stated row is one whose balance before it is the running balance; rows without a
            /// balance go in when no stated row follows; where none follows, the chain resumes at
            /// the first row that no other row of the day leads to.
            func reorder(_ group: [Int], from start: Int64?, next: Set<Int64>, nextStart: Int64?) -> [Int] {
                if !group.contains(where: { ms[$0].balance == nil }) {
                    let reachable = nextStart.flatMap { t in group.contains { ms[$0].balance == t } ? t : nil }
                    return trails(group, from: start, to: reachable)
                }
                let start = start ?? before(group[0])
                var byBefore: [Int64: [Int]] = [:]
                var stated: [Int] = [], unstated: [Int] = []
                for j in group { if ms[j].balance != nil { stated.append(j) } else { unstated.append(j) } }
                for j in stated.reversed() { byBefore[before(j), default: []].append(j) }
                var used = Set<Int>()
                var order: [Int] = []
                var r = start
                while used.count < stated.count {
                    if var list = byBefore[r] {
                        while let j = list.last, used.contains(j) { list.removeLast() }
                        if let j = list.popLast() {
                            byBefore[r] = list
                            used.insert(j); order.append(j); r = ms[j].balance!
                            continue
                        }
                        byBefore[r] = nil
                    }
                    if !unstated.isEmpty {
                        for j in unstated { order.append(j); r = r &+ ms[j].net }
                        unstated = []
                        continue
                    }
                    let left = stated.filter { !used.contains($0) }
                    let afters = Set(left.map { ms[$0].balance! })
                    let head = left.first { !afters.contains(before($0)) } ?? left[0]
                    r = before(head)
                }
                return order + unstated
            }
            /// The rows of a day (all with a stated balance) in the order with the fewest gaps.
            ///
            /// Each row is an edge from the balance before it to the balance after it; an order
            /// without gaps is a trail through all edges (Hierholzer's algorithm finds one in linear
            /// time, whatever the balances that repeat). A virtual node joins the ends of the fewest
            /// trails that cover every row (the nodes' surplus of outgoing over incoming edges), each
            /// trail after the first being a gap. `start`: the first trail starts at the running
            /// balance; `end`: the last one ends where the next day's rows start.
            func trails(_ group: [Int], from start: Int64?, to end: Int64?) -> [Int] {
                let virtual = Int64.min
                var start = start
                if start == nil, let t = end {
                    // The opening is unknown and the day's rows close on themselves (every balance
                    // reached as often as left): the walk must start where it has to end, or the
                    // day would end away from the next day's start and a gap be invented.
                    var balance: [Int64: Int] = [:]
                    for j in group { balance[before(j), default: 0] += 1; balance[ms[j].balance!, default: 0] -= 1 }
                    if balance.values.allSatisfy({ $0 == 0 }) { start = t }
                }
                var from: [Int64] = [], to: [Int64] = [], row: [Int] = []
                var adjacency: [Int64: [Int]] = [:]
                var surplus: [Int64: Int] = [:]
                func edge(_ a: Int64, _ b: Int64, _ j: Int) {
                    adjacency[a, default: []].append(from.count)
                    from.append(a); to.append(b); row.append(j)
                }
                // Listed order kept where it is free to: edges are taken from the end of each list.
                for j in group.reversed() {
                    edge(before(j), ms[j].balance!, j)
                    surplus[before(j), default: 0] += 1
                    surplus[ms[j].balance!, default: 0] -= 1
                }
                if let s = start { surplus[s, default: 0] -= 1 }
                if let t = end { surplus[t, default: 0] += 1 }
                var endEdge = -1
                if let t = end { endEdge = from.count; edge(t, virtual, -2); surplus[t, default: 0] -= 1 }
                for (node, d) in surplus.sorted(by: { $0.key < $1.key }) where d != 0 {
                    for _ in 0..<abs(d) { if d > 0 { edge(virtual, node, -1) } else { edge(node, virtual, -1) } }
                }
                var startEdge = -1
                if let s = start { startEdge = from.count; edge(virtual, s, -2) }   // the last in its list: taken first
                var used = [Bool](repeating: false, count: from.count)
                var pieces: [(rows: [Int], first: Bool, last: Bool)] = []
                func circuit(from node: Int64) {
                    var stack: [(node: Int64, edge: Int)] = [(node, -1)]
                    var edges: [Int] = []
                    while let top = stack.last {
                        if var list = adjacency[top.node], let e = list.popLast() {
                            adjacency[top.node] = list
                            used[e] = true
                            stack.append((to[e], e))
                        } else {
                            stack.removeLast()
                            if top.edge >= 0 { edges.append(top.edge) }
                        }
                    }
                    var piece: (rows: [Int], first: Bool, last: Bool) = ([], false, false)
                    for e in edges.reversed() {
                        if row[e] >= 0 { piece.rows.append(row[e]); continue }
                        if e == endEdge { piece.last = true }
                        if !piece.rows.isEmpty || piece.first || piece.last { pieces.append(piece) }
                        piece = ([], e == startEdge, false)
                    }
                    if !piece.rows.isEmpty { pieces.append(piece) }
                }
                if adjacency[virtual] != nil { circuit(from: virtual) }
                // Rows on closed loops the trails never reached: each loop is one more trail.
                for e in from.indices where !used[e] && row[e] >= 0 { circuit(from: from[e]) }
                let firsts = pieces.filter { $0.first }, lasts = pieces.filter { $0.last && !$0.first }
                let middle = pieces.filter { !$0.first && !$0.last }
                return (firsts + middle + lasts).flatMap(\.rows)
            }
            /// The rows in listed order, each instant's rows (same date and time, all with a stated
            /// balance) in the order their balances follow from the running balance.
            func byInstant(_ group: [Int], from start: Int64) -> [Int] {
                var out: [Int] = []
                var r = start
                var i = 0
                while i < group.count {
                    var e = i + 1
                    while e < group.count && ms[group[e]].sortKey == ms[group[i]].sortKey && ms[group[i]].seconds >= 0 { e += 1 }
                    var run = Array(group[i..<e])
                    if run.count > 1 && !run.contains(where: { ms[$0].balance == nil }) {
                        if run.count <= 6 {
                            // A few rows: every order, the fewest gaps and then the least money missing
                            // (a payment and the conversion it caused, listed either way round).
                            var best = (missing(run, from: r), run)
                            permutations(run) { p in let m = missing(p, from: r); if m < best.0 { best = (m, p) } }
                            run = best.1
                        } else {
                            let other = trails(run, from: r, to: nil)
                            if gaps(other, from: r) < gaps(run, from: r) { run = other }
                        }
                    }
                    for j in run { r = ms[j].balance ?? r &+ ms[j].net }
                    out += run
                    i = e
                }
                return out
            }
            /// Gaps walking `order` from `start` (all rows stated), and the money they leave out.
            func missing(_ order: [Int], from start: Int64) -> (Int, Int64) {
                var r = start, n = 0, amount: Int64 = 0
                for j in order {
                    let b = before(j)
                    if b != r { n += 1; amount = amount &+ (b > r ? b &- r : r &- b) }
                    r = ms[j].balance!
                }
                return (n, amount)
            }
            func permutations(_ a: [Int], _ body: ([Int]) -> Void) {
                var a = a
                func go(_ k: Int) {
                    if k == a.count { body(a); return }
                    for i in k..<a.count { a.swapAt(k, i); go(k + 1); a.swapAt(k, i) }
                }
                go(0)
            }
            /// Where a day's chain most likely starts: a balance more of its rows leave than reach; on
            /// a closed loop, the balance before the first listed row.
            func chainStart(_ group: ArraySlice<Int>) -> Int64? {
                var surplus: [Int64: Int] = [:]
                var first: Int64?
                for j in group where ms[j].balance != nil {
                    if first == nil { first = before(j) }
                    surplus[before(j), default: 0] += 1; surplus[ms[j].balance!, default: 0] -= 1
                }
                return group.first { ms[$0].balance != nil && surplus[before($0)]! > 0 }.map(before) ?? first
            }
            /// How well an order from `start` fits: its gaps, then whether it fails to lead into the next day.
            func fit(_ order: [Int], from start: Int64, next: Set<Int64>) -> (Int, Int) {
                let (gaps, end) = walked(order, from: start)
                return (gaps, next.isEmpty || next.contains(end) ? 0 : 1)
            }

            var k = 0
            while k < seq.count {
                var e = k + 1
                while e < seq.count && ms[seq[e]].day == ms[seq[k]].day { e += 1 }
                var group = Array(seq[k..<e])
                k = e
                // Where the next day's rows may start: the balances before them.
                var next = Set<Int64>()
                var n = e
                while n < seq.count && ms[seq[n]].day == ms[seq[e]].day { if ms[seq[n]].balance != nil { next.insert(before(seq[n])) }; n += 1 }
                let nextStart = e < seq.count ? chainStart(seq[e..<n]) : nil
                if !started {
                    // Rows before the first stated balance lie before the opening balance.
                    guard let first = group.firstIndex(where: { ms[$0].balance != nil }) else { continue }
                    group.removeFirst(first)
                    // Where the day's chain starts: a balance more rows leave than reach (each row an
                    // edge from the balance before it to the balance after it); on a closed loop, the first listed.
                    let stated = group.filter { ms[$0].balance != nil }
                    var surplus: [Int64: Int] = [:]
                    for j in stated { surplus[before(j), default: 0] += 1; surplus[ms[j].balance!, default: 0] -= 1 }
                    let head = stated.first { surplus[before($0)]! > 0 } ?? stated[0]
                    let listedStart = before(group[0])
                    var order = group, start = listedStart
                    let listedFit = fit(group, from: listedStart, next: next)
                    if group.count <= BalanceChain.reorderLimit && listedFit != (0, 0) {
                        let other = reorder(group, from: stated.count == group.count ? nil : before(head), next: next, nextStart: nextStart)
                        if let f = other.first, fit(other, from: before(f), next: next) < listedFit { order = other; start = before(f) }
                    }
                    started = true
                    opening = start
                    running = start
                    walk(order, ms, booked, &chain, &checks, &summary)
                    continue
                }
                // A day's rows as listed; in another order only when that one breaks and the other does not break more.
                if group.count > 1 && group.count <= BalanceChain.reorderLimit {
                    let listedFit = fit(group, from: running, next: next)
                    if listedFit != (0, 0) {
                        // First only the rows of one instant among themselves (the times still hold),
                        // then the whole day (they do not).
                        let instants = byInstant(group, from: running)
                        let instantsFit = fit(instants, from: running, next: next)
                        var bestFit = listedFit
                        if instantsFit < bestFit { group = instants; bestFit = instantsFit }
                        if bestFit != (0, 0) {
                            let other = reorder(group, from: running, next: next, nextStart: nextStart)
                            if fit(other, from: running, next: next) < bestFit { group = other }
                        }
                    }
                }
                walk(group, ms, booked, &chain, &checks, &summary)
            }
            guard lastStated >= 0 else { return }
            let change = money(ledgerAtLastStated)
            let closing = ms[lastStated].balance!
            summary.currencies.append(BalanceSummary.Currency(opening: money(opening), closing: money(closing), ledgerChange: change))
            checks.append(BalanceCheck(account: chain.account, date: ms[lastStated].day, stated: money(closing), computed: money(opening &+ ledgerAtLastStated),
                                       location: SourceLocation(file: chain.file, line: ms[lastStated].line, record: ms[lastStated].index + 1, field: chain.field)))
        }

        /// Walks rows in `order` from the running balance: each stated balance must follow from the
        /// one before. Rows of one instant (same date and time) pass together when one of their
        /// stated balances is the balance after all of them: platforms state the balances within
        /// an instant in no fixed order (a payment and the bank deposit that funds it).
        mutating func walk(_ order: [Int], _ ms: [Movement], _ booked: [Int64], _ chain: inout BalanceChain,
                           _ checks: inout [BalanceCheck], _ summary: inout BalanceSummary) {
            var p = 0
            while p < order.count {
                let j = order[p]
                if let b = ms[j].balance, b &- ms[j].net != running, ms[j].seconds >= 0 {
                    // Does an instant run around here explain it?
                    var q = p
                    while q > 0 && ms[order[q - 1]].sortKey == ms[j].sortKey && ms[order[q - 1]].seconds >= 0 { q -= 1 }
                    var e = p + 1
                    while e < order.count && ms[order[e]].sortKey == ms[j].sortKey { e += 1 }
                    if e - q > 1 {
                        // The balance before the run: undo what its earlier members moved.
                        var start = running
                        for x in order[q..<p] { start = start &- ms[x].net }
                        var end = start
                        for x in order[q..<e] { end = end &+ ms[x].net }
                        if order[q..<e].contains(where: { ms[$0].balance == end }) {
                            for x in order[p..<e] { take(x, ms, booked, &chain, &checks, &summary, stated: nil) }
                            running = end
                            lastStated = order[q..<e].first { ms[$0].balance == end }!
                            ledgerAtLastStated = ledger
                            p = e
                            continue
                        }
                    }
                }
                take(j, ms, booked, &chain, &checks, &summary, stated: ms[j].balance)
                p += 1
            }
        }

        /// Books row `j` into the walk: checks its stated balance (when given), adds what the ledger holds for it.
        mutating func take(_ j: Int, _ ms: [Movement], _ booked: [Int64], _ chain: inout BalanceChain,
                           _ checks: inout [BalanceCheck], _ summary: inout BalanceSummary, stated: Int64?) {
            if let b = stated {
                let before = b &- ms[j].net
                if before != running {
                    summary.gaps += 1
                    let missing = before &- running
                    // Which way the balance moves without a row, and by how much: "falls by 5.99 EUR"
                    // reads plainly where "-5.99 EUR is missing" left the reader to work out the sign.
                    let by = money(missing < 0 ? 0 &- missing : missing).formatted(withCode: true)
                    let from = text(running), to = text(before), line = ms[j].line
                    let message: String
                    switch (missing < 0, lastStated >= 0 ? ms[lastStated].line : nil) {
                    case (true, let a?): message = "the balance falls by \(by) between \(from) (after line \(a)) and \(to) (before line \(line)), but no row of the file moves it by that amount"
                    case (false, let a?): message = "the balance rises by \(by) between \(from) (after line \(a)) and \(to) (before line \(line)), but no row of the file moves it by that amount"
                    case (true, nil): message = "the balance falls by \(by) between \(from) and \(to) (before line \(line)), but no row of the file moves it by that amount"
                    case (false, nil): message = "the balance rises by \(by) between \(from) and \(to) (before line \(line)), but no row of the file moves it by that amount"
                    }
                    let at = SourceLocation(file: chain.file, line: ms[j].line, record: ms[j].index + 1, field: chain.field)
                    checks.append(BalanceCheck(account: chain.account, date: ms[j].day, stated: money(b), computed: money(running &+ ms[j].net), location: at))
                    chain.diagnostics.append(.warning("import.balance", message,
                                                      at: at, hint: "the export leaves out a movement here, or a row was altered; export the whole period again and import it (nothing is added twice)"))
                }
                running = b
            } else {
                running = running &+ ms[j].net
            }
            if ms[j].balance != nil {
                summary.checked += 1
                lastStated = j
            }
            ledger = ledger &+ booked[j]
            if ms[j].balance != nil { ledgerAtLastStated = ledger }
            if booked[j] != ms[j].net {
                summary.unbooked += 1
                chain.diagnostics.append(.warning("import.unbooked", "this row moves the \(currency.code) balance by \(text(ms[j].net)), but the ledger holds \(text(booked[j])) for it",
                                                  at: SourceLocation(file: chain.file, line: ms[j].line, record: ms[j].index + 1),
                                                  hint: "this is a bug in the \(chain.profile) profile; please report it with this row"))
            }
        }
    }
}
