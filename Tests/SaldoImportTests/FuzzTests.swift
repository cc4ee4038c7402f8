import Foundation
import Testing
import PropertyBased
import SaldoCore
import SaldoTestSupport
@testable import SaldoImport

/// Damaged input never traps: random byte edits of real fixtures are read to a result, and every
/// transaction of a non-fatal result still balances.
@Suite struct FuzzTests {
    static let seeds: [[UInt8]] = StatementFixtures.files.compactMap { try? [UInt8](Fixtures.data("statements/" + $0)) }

    @Test func randomEditsNeverTrap() async {
        let edits = zip(Gen.int(in: 0...1_000_000), Gen.int(in: 0...255), Gen.int(in: 0...2)).array(of: 1...12)
        await propertyCheck(count: 300, input: Gen.int(in: 0..<Self.seeds.count), edits) { which, changes in
            let bytes = Fuzz.mutate(Self.seeds[which], changes)
            let r = StatementImporter.read(data: Data(bytes), fileName: "fuzz.csv")
            if !r.isFatal {
                for t in r.transactions { #expect(throws: Never.self) { try t.validate() } }
            }
            for d in r.problems { #expect(!d.message.isEmpty) }
        }
    }

    @Test func randomTextNeverTraps() async {
        let alphabet: [UInt8] = Array("0123456789,.;\"-/ \n\r\tabcEURUSD()€".utf8)
        await propertyCheck(count: 300, input: Gen.int(in: 0..<alphabet.count).array(of: 0...400)) { idx in
            let body = idx.map { alphabet[$0] }
            let header = Array("\"Date\",\"Time\",\"Time Zone\",\"Description\",\"Currency\",\"Gross\",\"Fee\",\"Net\",\"Balance\",\"Transaction ID\"\n".utf8)
            _ = StatementImporter.read(data: Data(header + body), fileName: "random.csv")
            _ = ProfileRegistry.check(data: Data(body), fileName: "random.csv")
        }
    }
}
