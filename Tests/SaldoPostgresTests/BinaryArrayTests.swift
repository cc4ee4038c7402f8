import Foundation
@testable import SaldoPostgres
import Testing

/// PostgreSQL's binary array format as the posting sums read it (one row per day, each column an
/// array): well-formed arrays are read element by element, NULLs kept in place; anything else is
/// refused (nil), and the row is reported as unreadable instead of misread.
@Suite struct BinaryArrayTests {
    static func int32(_ v: Int32) -> [UInt8] { withUnsafeBytes(of: v.bigEndian, Array.init) }
    static func int64(_ v: Int64) -> [UInt8] { withUnsafeBytes(of: v.bigEndian, Array.init) }
    /// A one-dimensional array of `type` (oid) with the elements given (nil: NULL).
    static func array(type: Int32, _ elements: [[UInt8]?], lowerBound: Int32 = 1) -> [UInt8] {
        var b = int32(1) + int32(elements.contains { $0 == nil } ? 1 : 0) + int32(type) + int32(Int32(elements.count)) + int32(lowerBound)
        for e in elements { b += e.map { int32(Int32($0.count)) + $0 } ?? int32(-1) }
        return b
    }

    @Test func textsAreReadInOrderWithTheirNulls() {
        let bytes = Self.array(type: 25, [Array("Upwork".utf8), nil, Array("Café, \"Ñ\"\n[x]".utf8), []])
        #expect(BinaryArray.texts(bytes) == ["Upwork", nil, "Café, \"Ñ\"\n[x]", ""])
    }

    @Test func integersAreRead() {
        let bytes = Self.array(type: 20, [Self.int64(7), nil, Self.int64(-1), Self.int64(Int64.max)])
        #expect(BinaryArray.integers(bytes) == [7, nil, -1, Int64.max])
    }

    @Test func anEmptyArrayHasNoDimensions() {
        #expect(BinaryArray.texts(Self.int32(0) + Self.int32(0) + Self.int32(25)) == [])
    }

    @Test func whatIsNotSuchAnArrayIsRefused() {
        let good = Self.array(type: 25, [Array("a".utf8), Array("bc".utf8)])
        #expect(BinaryArray.texts(good) == ["a", "bc"])
        #expect(BinaryArray.texts(Self.array(type: 1043, [Array("a".utf8)])) == nil, "another element type (varchar)")
        #expect(BinaryArray.integers(Self.array(type: 20, [Self.int32(5)])) == nil, "an int8 element of 4 bytes")
        #expect(BinaryArray.texts(Array(good.dropLast())) == nil, "cut short")
        #expect(BinaryArray.texts(good + [0]) == nil, "bytes left over")
        var twoDimensions = good
        twoDimensions.replaceSubrange(0..<4, with: Self.int32(2))
        #expect(BinaryArray.texts(twoDimensions) == nil, "two dimensions")
        #expect(BinaryArray.texts(Self.array(type: 25, [Array("a".utf8)]).prefix(20) + Self.int32(-2)) == nil, "a negative length")
        #expect(BinaryArray.texts([]) == nil)
        let claimsTooMany = Self.int32(1) + Self.int32(0) + Self.int32(25) + Self.int32(Int32.max) + Self.int32(1) + Self.int32(1) + [97]
        #expect(BinaryArray.texts(claimsTooMany) == nil, "a count the bytes cannot hold")
    }
}

/// A day of the posting sums comes by id: when the server hands the transactions in another order,
/// every column is put back in id order together.
@Suite struct SumsDayOrderTests {
    typealias Day = PostgresLedgerStore.SumsDay

    @Test func aDayOutOfOrderIsPutInIDOrderColumnByColumn() {
        var d = Day(day: 20454, payees: ["c", nil, "a"], platforms: ["P3", "P2", "P1"], clients: [nil, "K2", "K1"],
                    postings: ["[3]", "[2]", "[1]"], ids: [nil, 20, 10])
        d.arrange(byID: [30, 20, 10])
        #expect(d.payees == ["a", nil, "c"] && d.platforms == ["P1", "P2", "P3"] && d.clients == ["K1", "K2", nil])
        #expect(d.postings == ["[1]", "[2]", "[3]"] && d.ids! == [10, 20, nil])
    }

    @Test func aDayInOrderIsLeftAsItIs() {
        var d = Day(day: 1, payees: ["a", "b"], platforms: [nil, nil], clients: [nil, nil], postings: ["[1]", "[2]"], ids: nil)
        d.arrange(byID: [5, 9])
        #expect(d.payees == ["a", "b"] && d.postings == ["[1]", "[2]"] && d.ids == nil)
        var e = Day(day: 1, payees: ["b", "a"], platforms: [nil, nil], clients: [nil, nil], postings: ["[2]", "[1]"], ids: nil)
        e.arrange(byID: [9, 5])
        #expect(e.payees == ["a", "b"] && e.postings == ["[1]", "[2]"] && e.ids == nil)
    }
}
