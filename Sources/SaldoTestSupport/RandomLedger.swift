import SaldoCore

/// A small deterministic generator, so that a failing seed reproduces.
public struct SplitMix: RandomNumberGenerator {
    public var state: UInt64
    public init(state: UInt64) { self.state = state }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random transactions with every field exercised: nil and empty texts, several currencies,
/// conversion legs with costs, derived rows, sources with and without lines.
public func randomTransactions(seed: Int, count: Int, balanced: Bool = true) -> [Transaction] {
    var g = SplitMix(state: UInt64(truncatingIfNeeded: seed))
    let accounts = ["assets:paypal", "expenses:fees:paypal", "income:prolific", "income:acme-corp-international", "assets:transfers:pending"].map { try! Account($0) }
    let currencies: [CurrencyCode] = [.EUR, .USD, .JPY, .GBP]
    let texts: [String?] = [nil, "", "Invoice 12", "Zahlung — Café ☕", "PPB-0000000000000001", "a much longer description that does not fit inline"]
    func text() -> String? { texts.randomElement(using: &g)! }
    return (0..<count).map { _ in
        let c = currencies.randomElement(using: &g)!
        var postings: [Posting] = []
        if Bool.random(using: &g) {
            // A conversion; unbalanced ones get a received amount off by a little, or a cost in
            // the leg's own currency, now and then.
            let same = !balanced && Int.random(in: 0..<4, using: &g) == 0
            let other = same ? c : currencies.filter { $0 != c }.randomElement(using: &g)!
            let a = Int64.random(in: 1...1_000_000, using: &g), b = Int64.random(in: 1...1_000_000, using: &g)
            let off: Int64 = balanced ? 0 : Int64.random(in: -2...2, using: &g)
            postings = [Posting(accounts[0], Money(minorUnits: -a, currency: c), cost: Money(minorUnits: b, currency: other)),
                        Posting(accounts[0], Money(minorUnits: b + off, currency: other))]
        } else {
            let n = Int.random(in: 2...4, using: &g)
            var sum: Int64 = 0
            for k in 0..<n {
                let v = k == n - 1 && balanced ? -sum : Int64.random(in: -1_000_000_000...1_000_000_000, using: &g)
                sum += v
                postings.append(Posting(accounts.randomElement(using: &g)!, Money(minorUnits: v, currency: c)))
            }
        }
        var t = Transaction(date: Day(ordinal: Int.random(in: 10_000...25_000, using: &g)), description: text() ?? "",
                            kind: TransactionKind.allCases.randomElement(using: &g)!, postings: postings,
                            payee: text(), platform: text(), client: text(), timestamp: text(), timeZone: text(),
                            externalID: text(), dedupKey: text())
        t.isDerived = Bool.random(using: &g)
        if Bool.random(using: &g) {
            t.source = SourceLocation(file: "s.csv", line: Bool.random(using: &g) ? Int.random(in: 1...99_999, using: &g) : nil,
                                      record: Bool.random(using: &g) ? Int.random(in: 1...99_999, using: &g) : nil)
        }
        return t
    }
}

