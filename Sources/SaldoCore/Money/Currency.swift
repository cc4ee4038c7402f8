import Foundation

/// An ISO 4217 currency code such as `EUR`, validated against ``CurrencyTable``.
public struct CurrencyCode: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let code: String
    /// Digits after the decimal point in the currency's minor unit (EUR 2, JPY 0, KWD 3).
    public let exponent: Int

    /// Looks the code up in the ISO 4217 table (active codes and the retired ones Saldo reads, see
    /// ``CurrencyTable/retired``); unknown codes are refused.
    public init(_ code: String) throws(MoneyError) {
        let upper = code.trimmingCharacters(in: .whitespaces).uppercased()
        guard let exponent = CurrencyTable.exponents[upper] else {
            throw .unknownCurrency(code)
        }
        self.code = upper
        self.exponent = exponent
    }

    /// When and by what the currency was replaced, for a code no longer in use (HRK); nil for a
    /// currency in use.
    public var retirement: RetiredCurrency? { CurrencyTable.retired[code] }

    public static func < (a: CurrencyCode, b: CurrencyCode) -> Bool { a.code < b.code }
    public var description: String { code }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        try self.init(text)
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(code)
    }

    // Frequent codes, for tests and built-in profiles. Each is in the table below.
    public static let EUR = try! CurrencyCode("EUR")
    public static let USD = try! CurrencyCode("USD")
    public static let GBP = try! CurrencyCode("GBP")
    public static let JPY = try! CurrencyCode("JPY")
    public static let MXN = try! CurrencyCode("MXN")
    public static let CHF = try! CurrencyCode("CHF")
}

/// A currency code no longer in use (ISO 4217's list of historic denominations): HRK, replaced by
/// the euro on 1 January 2023.
public struct RetiredCurrency: Hashable, Sendable {
    public var code: String
    /// Digits after the decimal point of its minor unit.
    public var exponent: Int
    /// The code of the currency that replaced it.
    public var replacedBy: String
    /// The first day it was no longer in use (its successor's first day).
    public var since: Day
    /// The last day it was in use.
    public var lastDay: Day { since.adding(days: -1) }
}

/// ISO 4217 active codes with their minor-unit exponents (list of 2025), and the retired codes of
/// ``retired``.
/// Codes with no minor unit defined by ISO (precious metals, `XXX`) are left out on purpose:
/// money in Saldo always has a known number of decimals.
public enum CurrencyTable {
    public static let exponents: [String: Int] = {
        var t: [String: Int] = [:]
        let two = """
        AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD \
        CAD CDF CHE CHF CHW CNY COP COU CRC CUC CUP CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP \
        GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL \
        MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN \
        QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY \
        TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG ZWL
        """
        let zero = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
        let three = "BHD IQD JOD KWD LYD OMR TND"
        let four = "CLF UYW"
        for c in two.split(separator: " ") { t[String(c)] = 2 }
        for c in zero.split(separator: " ") { t[String(c)] = 0 }
        for c in three.split(separator: " ") { t[String(c)] = 3 }
        for c in four.split(separator: " ") { t[String(c)] = 4 }
        for (c, r) in retired where t[c] == nil { t[c] = r.exponent }
        return t
    }()

    /// Codes no longer in use that Saldo still reads, with their ISO 4217 minor units, the currency
    /// that replaced them and the day it did: every retired code of the ECB's reference-rate history
    /// (bundled with Saldo, so its rates convert old amounts), since an old statement, invoice or
    /// rate file may be in one of them. Other withdrawn codes are refused as unknown.
    ///
    /// BGN is in ISO's 2025 list (``exponents``) but was replaced by the euro on 1 January 2026:
    /// the ECB's last BGN rate is of 31 December 2025.
    public static let retired: [String: RetiredCurrency] = {
        let list: [(String, Int, String, Day)] = [
            ("BGN", 2, "EUR", Day(year: 2026, month: 1, day: 1)!),
            ("CYP", 2, "EUR", Day(year: 2008, month: 1, day: 1)!),
            ("EEK", 2, "EUR", Day(year: 2011, month: 1, day: 1)!),
            ("HRK", 2, "EUR", Day(year: 2023, month: 1, day: 1)!),
            ("LTL", 2, "EUR", Day(year: 2015, month: 1, day: 1)!),
            ("LVL", 2, "EUR", Day(year: 2014, month: 1, day: 1)!),
            ("MTL", 2, "EUR", Day(year: 2008, month: 1, day: 1)!),
            ("ROL", 2, "RON", Day(year: 2005, month: 7, day: 1)!),   // 10,000 ROL = 1 RON
            ("SIT", 2, "EUR", Day(year: 2007, month: 1, day: 1)!),
            ("SKK", 2, "EUR", Day(year: 2009, month: 1, day: 1)!),
            ("TRL", 0, "TRY", Day(year: 2005, month: 1, day: 1)!),   // 1,000,000 TRL = 1 TRY
        ]
        return Dictionary(uniqueKeysWithValues: list.map { ($0.0, RetiredCurrency(code: $0.0, exponent: $0.1, replacedBy: $0.2, since: $0.3)) })
    }()

    /// Symbols seen in statements, mapped to the code they stand for when unambiguous.
    public static let symbols: [String: String] = [
        "€": "EUR", "£": "GBP", "¥": "JPY", "US$": "USD", "CHF": "CHF", "kr": "SEK", "zł": "PLN", "R$": "BRL",
        "MX$": "MXN", "₹": "INR", "₩": "KRW", "₺": "TRY",
    ]
}
