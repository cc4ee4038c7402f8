import SaldoCore
import SaldoBatch

/// The `txn.postings` column: a JSON array of `[account id, currency, amount, cost currency, cost]`
/// with amounts in minor units and the account as its id in the `account` table (short rows: an
/// import of a million transactions writes a third less). Written and read by hand because it is on
/// the import hot path; the format is plain JSON so that SQLite's json functions (the `posting`
/// view, which joins the account names back) read it too.
package enum PostingsColumn {
    /// The integer at `i` in a postings column (an optional minus and digits), `i` moved past it;
    /// nil when there is none or it is out of range. Any Int64 reads back (Int64.min included): a
    /// number out of range is malformed, not a trap. Shared by ``decode(_:interner:)`` and ``scan(_:_:)``.
    static func integer<C: Collection>(_ b: C, at i: inout C.Index) -> Int64? where C.Element == UInt8 {
        var neg = false
        if i < b.endIndex, b[i] == UInt8(ascii: "-") { neg = true; b.formIndex(after: &i) }
        var v: UInt64 = 0, digits = 0
        while i < b.endIndex, b[i] >= 48, b[i] <= 57 {
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(b[i] - 48))
            guard !o1 && !o2 else { return nil }
            v = a; b.formIndex(after: &i); digits += 1
        }
        guard digits > 0 else { return nil }
        if neg {
            guard v <= UInt64(Int64.max) + 1 else { return nil }
            return v == UInt64(Int64.max) + 1 ? .min : -Int64(v)
        }
        guard v <= UInt64(Int64.max) else { return nil }
        return Int64(v)
    }

    /// The column's text for `postings`, with their accounts' ids in order (written by ``PostingsEncoder``,
    /// as the import writes it).
    package static func encode(_ postings: [Posting], accountIDs: [Int64]) -> String {
        var e = PostingsEncoder()
        e.accountIDs = accountIDs
        func currency(_ c: CurrencyCode) -> Int32 {
            let code = Array(c.code.utf8)
            if let i = e.currencyText.firstIndex(of: code) { return Int32(i) }
            e.currencyText.append(code)
            return Int32(e.currencyText.count - 1)
        }
        var legs: [TransactionBatch.Leg] = []
        for (k, p) in postings.enumerated() {
            let c = currency(p.amount.currency)
            legs.append(TransactionBatch.Leg(account: Int32(k), currency: c, amount: p.amount.minorUnits,
                                             costCurrency: p.cost.map { currency($0.currency) } ?? -1, cost: p.cost?.minorUnits ?? 0))
        }
        e.encode(legs[...])
        return String(decoding: e.text, as: UTF8.self)
    }

    /// Appends `v` in decimal (`-1234`), digit by digit without building a string.
    package static func appendDecimal(_ v: Int64, to out: inout [UInt8]) {
        if v < 0 { out.append(UInt8(ascii: "-")) }
        var m = v.magnitude
        if m < 10 { out.append(0x30 + UInt8(m)); return }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var i = 20
            while m > 0 { i -= 1; digits[i] = 0x30 + UInt8(m % 10); m /= 10 }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[i..<20]))
        }
    }

    enum DecodeError: Error { case malformed(String) }

    /// Parses what `encode` wrote. Accounts and currencies are interned through the caches.
    package static func decode(_ text: String, interner: inout Interner) throws -> [Posting] {
        var postings: [Posting] = []
        var u = Array(text.utf8)[...]
        func fail() -> DecodeError { .malformed(text) }
        func skip(_ c: UInt8) throws { guard u.first == c else { throw fail() }; u = u.dropFirst() }
        func string() throws -> String {
            try skip(UInt8(ascii: "\""))
            var bytes: [UInt8] = []
            while let c = u.first, c != UInt8(ascii: "\"") {
                u = u.dropFirst()
                if c == UInt8(ascii: "\\") {
                    guard let e = u.first else { throw fail() }
                    u = u.dropFirst()
                    if e == UInt8(ascii: "u") {
                        guard u.count >= 4, let v = UInt32(String(decoding: u.prefix(4), as: UTF8.self), radix: 16), let sc = Unicode.Scalar(v) else { throw fail() }
                        bytes += Array(String(Character(sc)).utf8); u = u.dropFirst(4)
                    } else { bytes.append(e) }
                } else { bytes.append(c) }
            }
            try skip(UInt8(ascii: "\""))
            return String(decoding: bytes, as: UTF8.self)
        }
        func int() throws -> Int64 {
            var i = u.startIndex
            guard let v = PostingsColumn.integer(u, at: &i) else { throw fail() }
            u = u[i...]
            return v
        }
        func currency(_ s: String) throws -> CurrencyCode { try interner.currency(s) }
        try skip(UInt8(ascii: "["))
        while u.first == UInt8(ascii: "[") {
            u = u.dropFirst()
            let accountID = try int()
            guard let account = interner.accountsByID[accountID] else { throw fail() }
            try skip(UInt8(ascii: ","))
            let cur = try currency(try string())
            try skip(UInt8(ascii: ","))
            let amount = try int()
            var cost: Money?
            if u.first == UInt8(ascii: ",") {
                u = u.dropFirst()
                let cc = try currency(try string())
                try skip(UInt8(ascii: ","))
                cost = Money(minorUnits: try int(), currency: cc)
            }
            try skip(UInt8(ascii: "]"))
            postings.append(Posting(account, Money(minorUnits: amount, currency: cur), cost: cost))
            if u.first == UInt8(ascii: ",") { u = u.dropFirst() }
        }
        try skip(UInt8(ascii: "]"))
        return postings
    }
}

import Foundation

/// Writes the `txn.postings` text of a batch's legs (see ``PostingsColumn``) into `text`, with
/// each account's ledger id and each currency's code looked up by the batches' indices. The
/// `[account id,"CUR",` that starts a leg is kept per account and currency, so that most legs
/// cost one copy and one number. (`package`: the PostgreSQL writer writes the same column.)
package struct PostingsEncoder {
    package var text: [UInt8] = []
    /// Ledger account id per batch account index (0: not yet created).
    package var accountIDs: [Int64] = []
    /// Currency code bytes per batch currency index.
    package var currencyText: [[UInt8]] = []
    private var prefixes: [UInt8] = []
    /// Per `account * currencySlots + currency`: where the leg prefix lies in `prefixes` (count 0: not yet made).
    private var prefixSpans: [(start: Int32, count: Int32)] = []
    private static let currencySlots = 64

    package init() { text.reserveCapacity(8192) }

    package mutating func encode(_ legs: ArraySlice<TransactionBatch.Leg>) {
        text.append(UInt8(ascii: "["))
        var first = true
        for l in legs {
            if !first { text.append(UInt8(ascii: ",")) }
            first = false
            if Int(l.currency) < Self.currencySlots {
                let slot = Int(l.account) * Self.currencySlots + Int(l.currency)
                if slot >= prefixSpans.count { prefixSpans.append(contentsOf: repeatElement((start: Int32(0), count: Int32(0)), count: slot + 1 - prefixSpans.count)) }
                if prefixSpans[slot].count == 0 {
                    let start = prefixes.count
                    appendPrefix(l, to: &prefixes)
                    prefixSpans[slot] = (Int32(start), Int32(prefixes.count - start))
                }
                let span = prefixSpans[slot]
                prefixes.withUnsafeBufferPointer { text.append(contentsOf: UnsafeBufferPointer(rebasing: $0[Int(span.start)..<Int(span.start + span.count)])) }
            } else {
                appendPrefix(l, to: &text)
            }
            PostingsColumn.appendDecimal(l.amount, to: &text)
            if l.costCurrency >= 0 {
                text.append(contentsOf: ",\"".utf8)
                text.append(contentsOf: currencyText[Int(l.costCurrency)])
                text.append(contentsOf: "\",".utf8)
                PostingsColumn.appendDecimal(l.cost, to: &text)
            }
            text.append(UInt8(ascii: "]"))
        }
        text.append(UInt8(ascii: "]"))
    }

    private func appendPrefix(_ l: TransactionBatch.Leg, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        PostingsColumn.appendDecimal(accountIDs[Int(l.account)], to: &out)
        out.append(contentsOf: ",\"".utf8)
        out.append(contentsOf: currencyText[Int(l.currency)])
        out.append(contentsOf: "\",".utf8)
    }
}
