import Foundation
import SaldoCore
import Synchronization

/// What a column means, independent of its (localised) header name.
public enum ColumnRole: String, Sendable, Codable, CaseIterable {
    case date, time, timeZone, completedDate
    case name, type, status, description, note, reference, category, product, account
    case currency, gross, fee, net, amount, credit, debit, balance, totalFees, feeCurrency
    case id, referenceID, payoutID
    case balanceImpact, bankName
    case exchangeFrom, exchangeTo, exchangeRate, exchangeToAmount
    case direction, sourceFee, sourceFeeCurrency, targetFee, targetFeeCurrency
    case sourceName, sourceAmount, sourceCurrency, targetName, targetAmount, targetCurrency
}

extension ColumnRole {
    /// A dense number for array-indexed lookups in the hot loop (no hashing).
    var ordinal: Int {
        switch self {
        case .date: return 0
        case .time: return 1
        case .timeZone: return 2
        case .completedDate: return 3
        case .name: return 4
        case .type: return 5
        case .status: return 6
        case .description: return 7
        case .note: return 8
        case .reference: return 9
        case .category: return 10
        case .product: return 11
        case .account: return 12
        case .currency: return 13
        case .gross: return 14
        case .fee: return 15
        case .net: return 16
        case .amount: return 17
        case .credit: return 18
        case .debit: return 19
        case .balance: return 20
        case .totalFees: return 21
        case .feeCurrency: return 22
        case .id: return 23
        case .referenceID: return 24
        case .payoutID: return 25
        case .balanceImpact: return 26
        case .bankName: return 27
        case .exchangeFrom: return 28
        case .exchangeTo: return 29
        case .exchangeRate: return 30
        case .exchangeToAmount: return 31
        case .direction: return 32
        case .sourceFee: return 33
        case .sourceFeeCurrency: return 34
        case .targetFee: return 35
        case .targetFeeCurrency: return 36
        case .sourceName: return 37
        case .sourceAmount: return 38
        case .sourceCurrency: return 39
        case .targetName: return 40
        case .targetAmount: return 41
        case .targetCurrency: return 42
        }
    }
    static let count = 43
}

/// How a layout states the money of a row.
public enum AmountModel: String, Sendable, Codable {
    /// `Gross`, `Fee`, `Net` columns (PayPal, Stripe). `Net` may be absent and is then computed.
    case grossFeeNet
    /// One signed `Amount` that is the balance change, plus an optional fee that is *included*
    /// in it and shown separately as metadata (Wise "Total fees").
    case amountIncludingFee
    /// One signed `Amount` plus a `Fee` charged on top of it (Revolut).
    case amountPlusFee
    /// Two unsigned or signed columns, `Credit` and `Debit` (Payoneer, many banks).
    case creditDebit
    /// Positive amounts whose sign comes from a `Direction` column (Wise transfer history).
    case transferDirection
}

/// How the fee column is signed.
public enum FeeSign: String, Sendable, Codable {
    /// The fee is negative when charged; `net = gross + fee` (PayPal, Revolut Business).
    case negative
    /// The fee is positive when charged; `net = gross - fee` (Stripe, Revolut personal).
    case positive
}

/// What a statement row is, before it becomes a transaction.
public enum RowClass: String, Sendable, Codable, CaseIterable {
    /// Money earned: a payment received, a sale, an hourly or fixed-price contract.
    case earning
    /// Money spent on a purchase or a payment sent.
    case expense
    /// A fee charged by the institution as its own row.
    case fee
    /// A refund: negative when the user refunded a customer, positive when the user was refunded.
    case refund
    case chargeback
    /// One leg (or both) of a currency conversion between the user's own balances.
    case conversion
    /// Money sent to the user's own bank (withdrawal).
    case payout
    /// Money added from the user's own bank or card (top-up).
    case deposit
    /// A deposit from a bank or card that funds one payment (PayPal "Bank Deposit to PP Account").
    case fundingDeposit
    /// Money moved between the user's own sub-balances (reserves, jars, savings).
    case transfer
    case adjustment
    /// Filtered: a hold or its release; they net to zero.
    case hold
    /// Filtered: an authorisation or its void.
    case authorization
    /// Filtered: a memo row that never touched the balance (money requests…).
    case memo
    /// Filtered: money moved on a card, not in this balance.
    case cardFunded
    /// Filtered: an internal line that moved no money (Upwork "Journal").
    case skip
}

/// Why a row was filtered, in English made from the catalog's `filter.*` templates (front ends
/// show them in their language); made once, not per row.
enum FilterReason {
    static let hold = LocalizedText("filter.hold").english
    static let authorization = LocalizedText("filter.authorization").english
    static let memo = LocalizedText("filter.memo").english
    static let cardFunded = LocalizedText("filter.card_funded").english
    static let skip = LocalizedText("filter.skip").english
}

extension RowClass {
    var isFiltered: Bool { [.hold, .authorization, .memo, .cardFunded, .skip].contains(self) }
    var filterReason: String {
        switch self {
        case .hold: return FilterReason.hold
        case .authorization: return FilterReason.authorization
        case .memo: return FilterReason.memo
        case .cardFunded: return FilterReason.cardFunded
        case .skip: return FilterReason.skip
        default: return ""
        }
    }
    /// Filtered rows that still change the stated running balance (holds do).
    var filteredButAffectsBalance: Bool { self == .hold || self == .authorization }
}

/// A rule that classifies a row from one of its fields. Texts are compared after normalising
/// (trimmed, lower case, accents kept).
public struct ClassRule: Sendable, Codable, Equatable {
    public enum Match: String, Sendable, Codable { case equals, prefix, contains }
    public var field: ColumnRole
    public var match: Match
    public var values: [String]
    public var kind: RowClass
    /// Only rows whose amount has this sign: `positive` or `negative`; nil for any.
    public var sign: String?
    public init(_ field: ColumnRole, _ match: Match, _ values: [String], _ kind: RowClass, sign: String? = nil) {
        self.field = field; self.match = match; self.values = values.map(HeaderText.normalizeValue); self.kind = kind; self.sign = sign
    }
    enum CodingKeys: String, CodingKey { case field, match, values, kind, sign }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(try c.decode(ColumnRole.self, forKey: .field), try c.decodeIfPresent(Match.self, forKey: .match) ?? .equals,
                  try c.decode([String].self, forKey: .values), try c.decode(RowClass.self, forKey: .kind),
                  sign: try c.decodeIfPresent(String.self, forKey: .sign))
    }

    func matches(_ normalizedValue: String) -> Bool {
        switch match {
        case .equals: return values.contains(normalizedValue)
        case .prefix: return values.contains { normalizedValue.utf8.starts(with: $0.utf8) }
        case .contains: return values.contains { HeaderText.contains(normalizedValue, $0) }
        }
    }
}

/// Categorisation: a payee or description pattern says which platform or client paid, or which
/// account the other side of the transaction goes to.
public struct CategoryRule: Sendable, Codable, Equatable {
    /// Case-insensitive substring looked for in the payee (name) or the description.
    public var pattern: String
    /// Where to look: `payee`, `description` or `any` (default).
    public var field: String?
    public var platform: String?
    public var client: String?
    /// The account for the other side (income or expense), e.g. `income:prolific`.
    public var account: String?
    public init(pattern: String, field: String? = nil, platform: String? = nil, client: String? = nil, account: String? = nil) {
        self.pattern = pattern; self.field = field; self.platform = platform; self.client = client; self.account = account
    }
}

/// One column of a layout: its role and every header name it is known by (in any language).
public struct ColumnSpec: Sendable, Codable, Equatable {
    public var role: ColumnRole
    public var names: [String]
    public var required: Bool
    public init(_ role: ColumnRole, _ names: [String], required: Bool = false) {
        self.role = role; self.names = names; self.required = required
    }
    enum CodingKeys: String, CodingKey { case role, names, required }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        role = try c.decode(ColumnRole.self, forKey: .role)
        if let many = try? c.decode([String].self, forKey: .names) { names = many } else { names = [try c.decode(String.self, forKey: .names)] }
        required = try c.decodeIfPresent(Bool.self, forKey: .required) ?? false
    }
}

/// A declarative description of one statement layout. Built-in profiles and user profiles
/// (JSON, see docs/profiles.md) are both values of this type.
public struct StatementProfile: Sendable, Codable, Equatable {
    /// Short identifier, `paypal-activity`.
    public var name: String
    /// Human title, `PayPal activity download`.
    public var title: String
    /// The institution holding the money, `PayPal`. Accounts: `assets:<institution>`, `expenses:fees:<institution>`.
    public var institution: String
    /// Columns. A file is claimed when every required column is found in one header row.
    public var columns: [ColumnSpec]
    /// Header names whose presence rules this layout out (to tell sibling layouts apart).
    public var forbiddenHeaders: [String]
    public var amountModel: AmountModel
    public var feeSign: FeeSign
    /// `.` or `,` when the layout always uses it; nil to infer once per file.
    public var decimalMark: String?
    /// The date order when the layout always uses it; nil to infer once per file.
    public var dateOrder: DateOrder?
    /// The currency when the file has no currency column (Upwork `Amount $`).
    public var currency: String?
    /// Status values that mean the row is final. Empty: no status filtering.
    public var completedStatuses: [String]
    /// Classification rules, first match wins; rows no rule matches are earnings when positive
    /// and expenses when negative.
    public var classRules: [ClassRule]
    /// Whether the `id` column is unique per row (PayPal, Stripe, Upwork) or reused (Wise).
    public var uniqueIDs: Bool
    /// Whether income is attributed to the counterparty who paid (PayPal, Wise) or to the
    /// institution itself (Upwork, Stripe).
    public var incomeFromCounterparty: Bool
    /// Rows with an empty running balance are not yet booked (Upwork pending earnings).
    public var emptyBalanceMeansPending: Bool
    /// User categorisation rules.
    public var categoryRules: [CategoryRule]
    /// Where the evidence for this layout comes from.
    public var evidence: String
    /// Amounts are written from the bank's point of view (debits positive): negate them.
    public var invertSign: Bool = false
    /// For a spreadsheet: the worksheet holding the statement (by name); nil for the first visible
    /// sheet this profile claims.
    public var sheet: String?
    /// The statement is a credit card's: its balance is money owed, so the account is
    /// `liabilities:<issuer>` (its balance negative while something is owed, as card statements
    /// state it), not an asset.
    public var card: Bool = false

    public init(name: String, title: String, institution: String, columns: [ColumnSpec], forbiddenHeaders: [String] = [],
                amountModel: AmountModel, feeSign: FeeSign = .negative, decimalMark: String? = nil, dateOrder: DateOrder? = nil,
                currency: String? = nil, completedStatuses: [String] = [], classRules: [ClassRule] = [], uniqueIDs: Bool = true,
                incomeFromCounterparty: Bool = true, emptyBalanceMeansPending: Bool = false, categoryRules: [CategoryRule] = [],
                evidence: String = "", card: Bool = false) {
        self.name = name; self.title = title; self.institution = institution; self.columns = columns
        self.forbiddenHeaders = forbiddenHeaders; self.amountModel = amountModel; self.feeSign = feeSign
        self.decimalMark = decimalMark; self.dateOrder = dateOrder; self.currency = currency
        self.completedStatuses = completedStatuses.map(HeaderText.normalizeValue); self.classRules = classRules
        self.uniqueIDs = uniqueIDs; self.incomeFromCounterparty = incomeFromCounterparty
        self.emptyBalanceMeansPending = emptyBalanceMeansPending; self.categoryRules = categoryRules; self.evidence = evidence
        self.card = card
    }

    func spec(_ role: ColumnRole) -> ColumnSpec? { columns.first { $0.role == role } }
}

/// Header and value normalisation used for matching.
public enum HeaderText {
    /// Trims spaces, quotes and a BOM, lower-cases, folds accents and collapses inner whitespace:
    /// `"\u{FEFF}Bruto "` → `bruto`, `Währung` → `wahrung`.
    public static func normalize(_ s: String) -> String {
        // ASCII fast path, byte by byte (most headers and every profile's English names): the same
        // result as below, where lower-casing and folding leave ASCII as ASCII. Header detection
        // compares every profile's names with every candidate row, so this runs thousands of
        // times per file; the folding below costs microseconds each.
        if let ascii = asciiNormalized(s) { return ascii }
        if let known = foldedNames.withLock({ $0[s] }) { return known }
        let folded = folded(s)
        foldedNames.withLock { cache in if cache.count < 4096 { cache[s] = folded } }
        return folded
    }

    /// Non-ASCII names already folded (profiles' Spanish, German… names recur in every detection).
    private static let foldedNames = Mutex<[String: String]>([:])

    private static func asciiNormalized(_ s: String) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(s.utf8.count)
        var space = false
        for b in s.utf8 {
            if b >= 0x80 { return nil }
            if b == 0x22 { continue }
            if b == 0x20 || (b >= 0x09 && b <= 0x0D) { space = !bytes.isEmpty; continue }
            if space { bytes.append(0x20); space = false }
            bytes.append(b >= 0x41 && b <= 0x5A ? b + 32 : b)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func folded(_ s: String) -> String {
        var out = ""
        var space = false
        for ch in s.lowercased().folding(options: [.diacriticInsensitive], locale: nil) {
            if ch == "\u{FEFF}" || ch == "\"" { continue }
            if ch.isWhitespace { space = !out.isEmpty; continue }
            if space { out.append(" "); space = false }
            out.append(ch)
        }
        return out
    }
    /// Values (types, statuses) are compared trimmed and lower-cased, with inner spaces collapsed.
    public static func normalizeValue(_ s: String) -> String {
        // ASCII fast path, byte by byte.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(s.utf8.count)
        var space = false
        var ascii = true
        for b in s.utf8 {
            if b >= 0x80 { ascii = false; break }
            if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { space = !bytes.isEmpty; continue }
            if space { bytes.append(0x20); space = false }
            bytes.append(b >= 0x41 && b <= 0x5A ? b + 32 : b)
        }
        if ascii { return String(decoding: bytes, as: UTF8.self) }
        var out = ""
        space = false
        for ch in s.lowercased() {
            if ch.isWhitespace { space = !out.isEmpty; continue }
            if space { out.append(" "); space = false }
            out.append(ch)
        }
        return out
    }

    /// Substring search on UTF-8 bytes (both sides already normalised).
    static func contains(_ hay: String, _ needle: String) -> Bool {
        let h = Array(hay.utf8), n = Array(needle.utf8)
        if n.isEmpty { return true }
        if n.count > h.count { return false }
        let first = n[0]
        var i = 0
        let last = h.count - n.count
        while i <= last {
            if h[i] == first {
                var k = 1
                while k < n.count && h[i + k] == n[k] { k += 1 }
                if k == n.count { return true }
            }
            i += 1
        }
        return false
    }
}

