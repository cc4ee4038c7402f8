import Foundation
import SaldoCore
import SaldoTestSupport
import Testing
@testable import SaldoImport

/// The restricted worksheet scanner against the libxml2 path: the same cells, cell for cell, or the
/// scanner steps aside (and libxml2 decides); hostile parts are refused either way.
@Suite struct SheetScannerTests {
    static let workbooks = ["xlsx/features.xlsx", "xlsx/date1904.xlsx", "statements/xlsx/adyen-settlement-details.xlsx",
                            "statements/xlsx/santander-es-cuenta-online.xlsx", "statements/xlsx/dnb-mastercard.xlsx",
                            "statements/xlsx/bank-debit-credit-labels.xlsx"]

    static func text(_ rows: [XLSXSheet.Row]) -> String {
        rows.map { r in "\(r.number)\(r.hidden ? " hidden" : ""): " + r.cells.map { "\($0.column)=\($0.value)" }.joined(separator: " | ") }
            .joined(separator: "\n")
    }

    /// Every sheet part of every fixture workbook, with its workbook (shared strings, date styles).
    static func sheets() throws -> [(wb: XLSXWorkbook, name: String, path: String, xml: [UInt8])] {
        var out: [(XLSXWorkbook, String, String, [UInt8])] = []
        for f in workbooks {
            var wb = try XLSXWorkbook(data: try Fixtures.data(f), file: f)
            for s in wb.sheets { out.append((wb, s.name, s.path, [UInt8](try wb.part(s.path)))) }
        }
        return out
    }

    static func scanned(_ wb: XLSXWorkbook, _ xml: [UInt8]) -> String? { wb.scannedRows(Data(xml), sheet: "S").map(text) }
    static func parsed(_ wb: XLSXWorkbook, _ xml: [UInt8]) -> String? { (try? wb.parsedRows(Data(xml), part: "sheet.xml", sheet: "S")).map(text) }

    @Test func theScannerTakesEveryFixtureSheetAndGivesTheSameCells() throws {
        let all = try Self.sheets()
        #expect(all.count == 7)
        for s in all {
            let a = Self.scanned(s.wb, s.xml), b = Self.parsed(s.wb, s.xml)
            #expect(a != nil, "\(s.wb.file) \(s.path): the scanner stepped aside")
            #expect(b != nil && a == b, "\(s.wb.file) \(s.path)")
        }
    }

    /// Random byte changes (`Fuzz.mutate`) and inserted XML fragments: whenever the scanner gives
    /// rows, libxml2 gives the same rows; whenever libxml2 refuses, so does the scanner.
    @Test func fuzzedSheetsGiveTheSameCellsOrTheScannerStepsAside() throws {
        let fragments = ["<", ">", "&", "&amp;", "&#0;", "&#x1F600;", "&foo;", "]]>", "<!--", "-->", "<!-- c -->", "<![CDATA[x]]>", "<?pi x?>",
                         "<!DOCTYPE x>", "\r", "\r\n", "\u{0}", "\u{1}", "\u{FEFF}", "é", "\u{FFFE}", " ", "=", "\"", "'", ":", "x:", "xmlns:x=\"u\"",
                         " r=\"A1\"", " t=\"s\"", "</c>", "<c>", "<v>1</v>", "</row>", "<row>", "<is><t>a</t></is>", "/>", " xml:space=\"preserve\""]
        var state: UInt64 = 0xDEAD_BEEF_CAFE_F00D
        func next(_ n: Int) -> Int { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return Int(state % UInt64(max(1, n))) }
        var taken = 0, aside = 0, asideButRead = 0
        for s in try Self.sheets() {
            for round in 0..<400 {
                var b = s.xml
                if round % 4 == 0 {
                    b = Fuzz.mutate(b, (0..<(1 + next(4))).map { _ in (next(b.count), next(256), next(3)) })
                } else if round % 4 == 2 {
                    // Printable ASCII only: more of these stay well-formed, so the cells are compared.
                    b = Fuzz.mutate(b, [(next(b.count), 0x20 + next(95), next(3))])
                } else {
                    let f = Array(fragments[next(fragments.count)].utf8)
                    b.insert(contentsOf: f, at: next(b.count + 1))
                }
                let a = Self.scanned(s.wb, b), p = Self.parsed(s.wb, b)
                if let a {
                    taken += 1
                    #expect(p == a, "\(s.wb.file) \(s.path) round \(round): \(String(decoding: b, as: UTF8.self).prefix(600))")
                } else {
                    aside += 1
                    if p != nil { asideButRead += 1; if ProcessInfo.processInfo.environment["SCAN_DEBUG"] != nil { print("ASIDE \(round): \(String(decoding: b, as: UTF8.self).prefix(400))") } }
                }
            }
        }
        // Both outcomes happen: the comparison is not vacuous.
        #expect(taken > 300 && aside > 300, "taken \(taken), aside \(aside) (of which libxml2 read \(asideButRead))")
    }

    /// The rows read in two halves at once, split at `split`, or nil when the halves step aside.
    static func halves(_ wb: XLSXWorkbook, _ xml: [UInt8], split: Int) -> String? {
        let make = { SheetHandler(shared: wb.sharedStrings, dateStyles: wb.dateStyles, date1904: wb.date1904, sheet: "S", file: wb.file) }
        return xml.withUnsafeBufferPointer { SheetScanner.scanInHalves($0, limits: XLSXWorkbook.sheetLimits, split: split, handler: make) }.map(text)
    }

    /// Every `<row` of a part, by bytes (also one inside a comment or CDATA).
    static func rowTags(_ xml: [UInt8]) -> [Int] {
        xml.withUnsafeBufferPointer { b in
            var out: [Int] = [], k = 0
            while let t = SheetScanner.rowTag(in: b, from: k) { out.append(t); k = t + 1 }
            return out
        }
    }

    /// Two halves give exactly the rows of one scan, split at every row of every fixture sheet
    /// (the first row cannot be a split: the second half starts in the state at the first row).
    @Test func twoHalvesGiveTheRowsOfOneScanAtEverySplit() throws {
        var splits = 0
        for s in try Self.sheets() {
            let whole = Self.scanned(s.wb, s.xml)
            for t in Self.rowTags(s.xml).dropFirst() {
                let h = Self.halves(s.wb, s.xml, split: t)
                #expect(h != nil && h == whole, "\(s.wb.file) \(s.path) split at \(t)")
                splits += 1
            }
        }
        #expect(splits > 30)
    }

    /// Where the split is not a tag between two rows, or the halves disagree, they step aside (and
    /// the whole part is scanned once): a `<row` in a comment, in CDATA text, rows out of order
    /// across the split, a row without its number after the split.
    @Test(arguments: [
        ("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row><!-- <row r=\"9\"> --><row r=\"2\"><c r=\"A2\"><v>2</v></c></row>", 0),
        ("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t><![CDATA[a<row r=\"5\">b]]></t></is></c></row><row r=\"2\"><c r=\"A2\"><v>2</v></c></row>", 0),
        ("<row r=\"3\"><c r=\"A3\"><v>1</v></c></row><row r=\"2\"><c r=\"A2\"><v>2</v></c></row>", 0),
        ("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row><row><c><v>2</v></c></row>", 0),
        ("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row><row r=\"2\"><c r=\"A2\"><v>2</v></c></row>", 1),
    ])
    func halvesStepAsideWhenTheSplitIsNotBetweenRows(_ rows: String, _ readable: Int) throws {
        let xml = Array((Self.head + "<worksheet \(Self.ns)><sheetData>" + rows + "</sheetData></worksheet>").utf8)
        let wb = try Self.sheets()[0].wb
        let whole = Self.scanned(wb, xml)
        // The second `<row` by bytes: inside the comment or CDATA in the first two cases.
        let tags = Self.rowTags(xml)
        try #require(tags.count >= 2)
        let split = tags[1]
        let h = Self.halves(wb, xml, split: split)
        if readable == 1 {
            #expect(h != nil && h == whole)
        } else {
            #expect(h == nil, "the halves read \(h ?? "")")
        }
    }

    /// Fuzzed parts split at a random `<row`: the halves give rows only when one scan gives the
    /// same rows.
    @Test func fuzzedHalvesNeverReadWhatOneScanDoesNot() throws {
        var state: UInt64 = 0x0BAD_5EED_1234_5678
        func next(_ n: Int) -> Int { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return Int(state % UInt64(max(1, n))) }
        let fragments = ["<", ">", "&", "<!--", "-->", "<![CDATA[", "]]>", "<row r=\"1\">", "</row>", "<row>", "\"", "xmlns:x=\"u\"", "x:", "</sheetData>"]
        var read = 0, aside = 0
        for s in try Self.sheets() {
            for round in 0..<300 {
                var b = s.xml
                if round % 2 == 0 {
                    b = Fuzz.mutate(b, [(next(b.count), 0x20 + next(95), next(3))])
                } else {
                    b.insert(contentsOf: Array(fragments[next(fragments.count)].utf8), at: next(b.count + 1))
                }
                let tags = Self.rowTags(b)
                guard tags.count > 1 else { continue }
                let h = Self.halves(s.wb, b, split: tags[1 + next(tags.count - 1)])
                if let h { read += 1; #expect(h == Self.scanned(s.wb, b), "\(s.wb.file) round \(round)") } else { aside += 1 }
            }
        }
        #expect(read > 200 && aside > 50, "read \(read), aside \(aside)")
    }

    static let head = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
    static let ns = #"xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#

    /// What spreadsheet programs write, each read by the scanner with the libxml2 path's cells.
    @Test(arguments: [
        // namespace prefixes on elements and attributes, declared on the root
        #"<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData><x:row r="1"><x:c r="A1" t="s"><x:v>1</x:v></x:c><x:c r="B1" t="inlineStr"><x:is><x:t>in x</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>"#,
        // every cell type; missing r attributes on rows and cells; a hidden row
        #"<worksheet NS><sheetData><row><c t="s"><v>2</v></c><c t="str"><f>A1</f><v>formula text</v></c><c t="b"><v>0</v></c><c t="n"><v>-1.5E-3</v></c><c t="e"><v>#DIV/0!</v></c><c><v> 7 </v></c></row><row hidden="true"><c><v>3</v></c></row><row r="9" hidden="1" spans="1:3"><c r="C9" s="2"><v>45658.5</v></c></row></sheetData></worksheet>"#,
        // rich inline strings with a phonetic run, CDATA, references, xml:space, non-ASCII
        #"<worksheet NS><sheetData><row r="1"><c r="A1" t="inlineStr"><is><r><rPr><b/></rPr><t xml:space="preserve">Bold </t></r><r><t>&amp; plain &lt;&gt;&quot;&apos;</t></r><rPh sb="0" eb="1"><t>ふ</t></rPh></is></c><c r="B1" t="inlineStr"><is><t><![CDATA[a <b> & c]]></t></is></c><c r="C1" t="inlineStr"><is><t>Bel&#248;p &#x1F600; Café €</t></is></c></row></sheetData></worksheet>"#,
        // a byte order mark, CRLF line ends, comments, whitespace between elements, an extLst declaring its own prefix
        "\u{FEFF}<?xml version=\"1.0\"?>\r\n<!-- made by hand -->\r\n<worksheet NS>\r\n <sheetData>\r\n  <row r=\"2\">\r\n   <c r=\"A2\" t=\"inlineStr\"><is><t>two\r\nlines\rend</t></is></c>\r\n  </row>\r\n </sheetData>\r\n <extLst><ext uri=\"{78C0D931-6437-407d-A8EE-F0AAD7539E65}\" xmlns:x14=\"http://schemas.microsoft.com/office/spreadsheetml/2009/9/main\"><x14:conditionalFormattings/></ext></extLst>\r\n</worksheet>\r\n<!-- end -->\r\n",
        // a prefix declared on a row and a cell (`xmlns:r` there is no `r` attribute)
        #"<worksheet NS><sheetData><row xmlns:r="urn:a:b" xmlns:t="http://x.example/t"><c xmlns:s="urn:s" r:x="1"><v>5</v></c></row><row r="3" xmlns:hidden="urn:h"><c t="s" xmlns:r="urn:r"><v>1</v></c></row></sheetData></worksheet>"#,
        // empty cells and empty values
        #"<worksheet NS><sheetData><row r="1"><c r="A1"/><c r="B1" t="s"/><c r="C1"><v></v></c><c r="D1" t="inlineStr"><is/></c></row><row r="2"/></sheetData></worksheet>"#,
    ])
    func whatSpreadsheetProgramsWriteIsScannedAlike(_ body: String) throws {
        var wb = try XLSXWorkbook(data: try Fixtures.data("xlsx/features.xlsx"), file: "features.xlsx")
        _ = try wb.part(wb.sheets[1].path)
        let xml = Array((body.hasPrefix("\u{FEFF}") ? "" : Self.head).utf8) + Array(body.replacingOccurrences(of: "NS", with: Self.ns).utf8)
        let a = Self.scanned(wb, xml), p = Self.parsed(wb, xml)
        #expect(a != nil, "the scanner stepped aside")
        #expect(p != nil && a == p, "\(a ?? "-")\n\(p ?? "-")")
    }

    /// Hostile parts: the scanner takes none of them and the libxml2 path refuses them, so reading
    /// the sheet fails with the libxml2 path's diagnostic.
    @Test(arguments: [
        (#"<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><worksheet NS><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>"#, "DOCTYPE"),
        (#"<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><worksheet NS><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&c;&c;&c;&c;</t></is></c></row></sheetData></worksheet>"#, "DOCTYPE"),
        (#"<worksheet NS><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>"#, "xxe"),
        ("<worksheet NS>" + String(repeating: "<a>", count: 40) + String(repeating: "</a>", count: 40) + "</worksheet>", "deeper than 32"),
        (#"<worksheet NS><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>BIG</t></is></c></row></sheetData></worksheet>"#, "longer than 131072"),   // BIG: 140,000 bytes of text
        (#"<worksheet NS><sheetData><row r="1"><c r="A1" t="s"><v>1</v></c></row></sheetData>"#, "not well-formed"),
    ])
    func hostileSheetsAreRefused(_ body: String, _ words: String) throws {
        var wb = try XLSXWorkbook(data: try Fixtures.data("xlsx/features.xlsx"), file: "features.xlsx")
        _ = try wb.part(wb.sheets[1].path)
        let xml = Array((Self.head + body.replacingOccurrences(of: "NS", with: Self.ns)
            .replacingOccurrences(of: "BIG", with: String(repeating: "x", count: 140_000))).utf8)
        #expect(Self.scanned(wb, xml) == nil)
        #expect(throws: XLSXError.self) { try wb.parsedRows(Data(xml), part: "sheet.xml", sheet: "S") }
        do { _ = try wb.parsedRows(Data(xml), part: "sheet.xml", sheet: "S") } catch {
            #expect(error.diagnostic(file: "f.xlsx").message.contains(words), "\(error.diagnostic(file: "f.xlsx").message)")
        }
    }

    /// Valid XML the scanner does not take (it steps aside; libxml2 reads it).
    @Test(arguments: [
        #"<?pi data?><worksheet NS><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>"#,
        #"<worksheet NS><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a &#169; b</t></is></c><c r="B1"><v>1</v><?keep?></c></row></sheetData></worksheet>"#,
        #"<worksheet NS><sheetData><row r="1"><c r="A1" ra="1" r='A1'><v>1</v></c><c r="B1" title="a&amp;b"><v>1</v></c></row></sheetData></worksheet>"#,
        #"<worksheet NS><sheetData><row r="1"><c r="A1" t="s"><v>99</v></c></row></sheetData></worksheet>"#,
    ])
    func validPartsTheScannerLeavesToLibxml2(_ body: String) throws {
        var wb = try XLSXWorkbook(data: try Fixtures.data("xlsx/features.xlsx"), file: "features.xlsx")
        _ = try wb.part(wb.sheets[1].path)
        let xml = Array((Self.head + body.replacingOccurrences(of: "NS", with: Self.ns)).utf8)
        #expect(Self.scanned(wb, xml) == nil)
    }
}
