import GRDB
import SaldoCore

extension SQLiteLedgerStore {
    /// The conversion legs the ledger holds on their own (see ``ConversionLeg``), those still
    /// waiting for their other leg and those already paired (`pairedBy`): an import hands them to
    /// the reader so that a leg of the new file can pair with them, and a leg seen again is known.
    public func conversionLegs() throws(StoreError) -> [ConversionLeg] {
        do {
            return try db.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT txn_key, institution, leg_id, reference, day, seconds, currency, gross, net, source_file, source_line, paired_key
                    FROM conversion_leg ORDER BY day, txn_key
                    """).compactMap { r -> ConversionLeg? in
                    guard let cur = try? CurrencyCode(r[6] as String) else { return nil }
                    let file: String? = r[9]
                    return ConversionLeg(institution: r[1], key: r[0], id: r[2], reference: r[3], day: Day(ordinal: r[4]), seconds: r[5],
                                         gross: Money(minorUnits: r[7], currency: cur), net: Money(minorUnits: r[8], currency: cur),
                                         source: file.map { SourceLocation(file: $0, line: r[10]) }, pairedBy: r[11])
                }
            }
        } catch {
            throw .database(Self.describe(error, waited: lockTimeout))
        }
    }
}

extension BatchWriter {
    /// Records the conversion legs an import booked on their own, and the pairings it made.
    ///
    /// A lone leg that the ledger already holds inside a whole conversion (an earlier export held
    /// both legs) is the same money twice: its new transaction is taken out again and counted as a
    /// duplicate. Returns the keys of those taken out.
    func recordConversionLegs(_ legs: [ConversionLeg]) throws -> [String] {
        guard !legs.isEmpty else { return [] }
        var removed: [String] = []
        var whole = ConversionKeys.WholeConversions()
        for leg in legs {
            let inserted = try Int64.fetchOne(db, sql: "SELECT id FROM txn WHERE dedup_key = ? AND batch_id = ?", arguments: [leg.key, batch])
            if let id = inserted, leg.pairedBy == nil {
                // Keys of earlier imports in a range of the dedup key index.
                let held = try whole.hold(leg) { from, below in
                    try String.fetchAll(db, sql: "SELECT dedup_key FROM txn WHERE dedup_key >= ? AND dedup_key < ? AND batch_id != ?",
                                        arguments: [from, below, batch])
                }
                if held {
                    try removeTransaction(id)
                    removed.append(leg.key)
                    continue
                }
            }
            try db.execute(sql: """
                INSERT INTO conversion_leg (txn_key, institution, leg_id, reference, day, seconds, currency, gross, net, source_file, source_line, paired_key)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(txn_key) DO UPDATE SET paired_key = coalesce(conversion_leg.paired_key, excluded.paired_key)
                """, arguments: [leg.key, leg.institution, leg.id, leg.reference, leg.day.ordinal, leg.seconds, leg.gross.currency.code,
                                 leg.gross.minorUnits, leg.net.minorUnits, leg.source?.file, leg.source?.line, leg.pairedBy])
        }
        return removed
    }
}

/// How whole conversions name their legs in their dedup keys, read the same way by every engine:
/// `inst:conversion:A+B` (by the legs' ids) and `inst:fp:DAY|conversion|NET CUR+NET CUR` (by
/// fingerprint), each with an optional `#n` occurrence number.
package enum ConversionKeys {
    /// Whether a lone leg a file booked is already inside a whole conversion an earlier import
    /// wrote (then it is the same money twice). The leg ids of each institution are read once.
    package struct WholeConversions {
        private var ids: [String: Set<String>] = [:]
        package init() {}

        /// `keys(from, below)`: the ledger's dedup keys in that range written by earlier imports.
        package mutating func hold(_ leg: ConversionLeg, keys: (String, String) throws -> [String]) throws -> Bool {
            if let id = leg.id {
                if ids[leg.institution] == nil {
                    let r = wholeConversions(leg.institution)
                    ids[leg.institution] = legIDs(try keys(r.from, r.below), institution: leg.institution)
                }
                return ids[leg.institution]!.contains(id)
            }
            let r = fingerprints(leg)
            return fingerprint(try keys(r.from, r.below), holds: leg)
        }
    }

    /// The key range holding an institution's whole conversions by id.
    package static func wholeConversions(_ institution: String) -> (from: String, below: String) {
        (institution + ":conversion:", institution + ":conversion;")
    }

    /// The leg ids inside those keys.
    package static func legIDs(_ keys: [String], institution: String) -> Set<String> {
        let prefix = wholeConversions(institution).from
        var ids = Set<String>()
        for k in keys where k.hasPrefix(prefix) {
            for part in body(k, prefix).split(separator: "+") { ids.insert(String(part)) }
        }
        return ids
    }

    /// The key range of whole conversions booked by fingerprint on the leg's day.
    package static func fingerprints(_ leg: ConversionLeg) -> (from: String, below: String) {
        let prefix = "\(leg.institution):fp:\(leg.day)|conversion|"
        return (prefix, String(prefix.dropLast()) + "}")
    }

    /// Whether one of those keys holds this leg (its net amount and currency).
    package static func fingerprint(_ keys: [String], holds leg: ConversionLeg) -> Bool {
        let prefix = fingerprints(leg).from
        let me = "\(leg.net.decimalString) \(leg.net.currency.code)"
        return keys.contains { k in k.hasPrefix(prefix) && body(k, prefix).split(separator: "+").contains { $0 == me } }
    }

    private static func body(_ key: String, _ prefix: String) -> Substring {
        var body = key.dropFirst(prefix.count)
        if let h = body.lastIndex(of: "#") { body = body[..<h] }
        return body
    }
}
