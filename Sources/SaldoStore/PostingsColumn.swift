import SaldoCore

/// The `txn.postings` column: a JSON array of `[account id, currency, amount, cost currency, cost]`
/// with amounts in minor units and the account as its id in the `account` table (short rows: an
/// import of a million transactions writes a third less). Written and read by hand because it is on
/// the import hot path; the format is plain JSON so that SQLite's json functions (the `posting`
/// view, which joins the account names back) read it too.
enum PostingsColumn {
    static func encode(_ postings: [Posting], accountID: (Account) throws -> Int64, into out: inout String) rethrows {
        out.removeAll(keepingCapacity: true)
        out.append("[")
        for (i, p) in postings.enumerated() {
            if i > 0 { out.append(",") }
            out.append("[")
            out.append(String(try accountID(p.account)))
            out.append(",\"")
            out.append(p.amount.currency.code)
            out.append("\",")
            out.append(String(p.amount.minorUnits))
            if let c = p.cost {
                out.append(",\"")
                out.append(c.currency.code)
                out.append("\",")
                out.append(String(c.minorUnits))
            }
            out.append("]")
        }
        out.append("]")
    }

    enum DecodeError: Error { case malformed(String) }

    /// Parses what `encode` wrote. Accounts and currencies are interned through the caches.
    static func decode(_ text: String, interner: inout Interner) throws -> [Posting] {
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
            var neg = false
            if u.first == UInt8(ascii: "-") { neg = true; u = u.dropFirst() }
            var v: Int64 = 0, n = 0
            while let c = u.first, c >= 48, c <= 57 { v = v * 10 + Int64(c - 48); u = u.dropFirst(); n += 1 }
            guard n > 0 else { throw fail() }
            return neg ? -v : v
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
