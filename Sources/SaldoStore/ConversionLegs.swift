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
        var pairedIDs: [String: Set<String>] = [:]   // per institution: leg ids inside whole conversions
        for leg in legs {
            let inserted = try Int64.fetchOne(db, sql: "SELECT id FROM txn WHERE dedup_key = ? AND batch_id = ?", arguments: [leg.key, batch])
            if let id = inserted, leg.pairedBy == nil {
                if pairedIDs[leg.institution] == nil { pairedIDs[leg.institution] = try idsInWholeConversions(leg.institution) }
                let inWhole = leg.id.map { pairedIDs[leg.institution]!.contains($0) } ?? false
                let inFingerprint = leg.id == nil ? try fingerprintHolds(leg) : false
                if inWhole || inFingerprint {
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

    /// The leg ids inside the whole conversions (`inst:conversion:A+B`, `inst:conversion:ID`)
    /// written before this import: a range of the dedup key index.
    private func idsInWholeConversions(_ institution: String) throws -> Set<String> {
        let prefix = institution + ":conversion:"
        var ids = Set<String>()
        let keys = try String.fetchAll(db, sql: "SELECT dedup_key FROM txn WHERE dedup_key >= ? AND dedup_key < ? AND batch_id != ?",
                                       arguments: [prefix, institution + ":conversion;", batch])
        for k in keys {
            var body = k.dropFirst(prefix.count)
            if let h = body.lastIndex(of: "#") { body = body[..<h] }
            for part in body.split(separator: "+") { ids.insert(String(part)) }
        }
        return ids
    }

    /// Whether a whole conversion booked by fingerprint (no ids) on the leg's day holds this leg.
    private func fingerprintHolds(_ leg: ConversionLeg) throws -> Bool {
        let prefix = "\(leg.institution):fp:\(leg.day)|conversion|"
        let keys = try String.fetchAll(db, sql: "SELECT dedup_key FROM txn WHERE dedup_key >= ? AND dedup_key < ? AND batch_id != ?",
                                       arguments: [prefix, prefix.dropLast() + "}", batch])
        let me = "\(leg.net.decimalString) \(leg.net.currency.code)"
        return keys.contains { k in
            var body = k.dropFirst(prefix.count)
            if let h = body.lastIndex(of: "#") { body = body[..<h] }
            return body.split(separator: "+").contains { $0 == me }
        }
    }
}
