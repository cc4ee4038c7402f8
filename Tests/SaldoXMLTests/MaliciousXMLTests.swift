import Foundation
import Testing
import SaldoCore
import SaldoTestSupport
import SaldoXML
import SaldoInvoices
#if canImport(Glibc)
import Glibc
#endif

/// A TCP listener on 127.0.0.1 (ephemeral port) that records whether anything connected.
/// Connections complete in the kernel backlog even if never accepted, so after a synchronous
/// parse a bounded `poll` tells whether a fetch was attempted.
final class LoopbackProbe {
    let fd: Int32
    let port: UInt16

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ProbeError.socket }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let b = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard b == 0, listen(fd, 16) == 0 else { close(fd); throw ProbeError.bind }
        var bound = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &bound) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        self.fd = fd
        self.port = UInt16(bigEndian: bound.sin_port)
    }

    /// Whether a connection is waiting, after at most `milliseconds`.
    func sawConnection(milliseconds: Int32 = 300) -> Bool {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&p, 1, milliseconds) > 0 && (p.revents & Int16(POLLIN)) != 0
    }

    deinit { close(fd) }
    enum ProbeError: Error { case socket, bind }
}

/// A file with unique content that must never show up in any result.
struct Sentinel {
    let url: URL
    let content: String
    init() throws {
        content = "SALDO-SENTINEL-\(UUID().uuidString)"
        url = Fixtures.temporaryDirectory().appendingPathComponent("sentinel.txt")
        try content.write(to: url, atomically: true, encoding: .utf8)
    }
}

/// Loads a hostile fixture, pointing its loopback URLs at the probe and its `/etc/passwd` at the sentinel.
func hostile(_ name: String, probe: LoopbackProbe? = nil, sentinel: Sentinel? = nil) throws -> [UInt8] {
    var text = try String(decoding: Fixtures.data("malicious-xml/\(name)"), as: UTF8.self)
    if let probe { text = text.replacingOccurrences(of: "127.0.0.1:9/", with: "127.0.0.1:\(probe.port)/") }
    if let sentinel { text = text.replacingOccurrences(of: "file:///etc/passwd", with: "file://\(sentinel.url.path)") }
    return Array(text.utf8)
}

func refusal(_ bytes: [UInt8], _ file: String) -> XMLParseError? {
    do { _ = try SafeXML.parse(bytes, file: file); return nil } catch { return error }
}

@Suite("Hostile XML (fixtures/malicious-xml)")
struct MaliciousXMLTests {
    /// Every XXE-style file: refused for its DOCTYPE, no connection to the probe, sentinel never read.
    func expectXXERefused(_ name: String) throws {
        let probe = try LoopbackProbe()
        let sentinel = try Sentinel()
        let bytes = try hostile(name, probe: probe, sentinel: sentinel)
        #expect(String(decoding: bytes, as: UTF8.self).contains("127.0.0.1:\(probe.port)") || String(decoding: bytes, as: UTF8.self).contains(sentinel.url.path))
        let err = refusal(bytes, name)
        #expect(err?.code == "xml.doctype")
        #expect(err?.diagnostics.first?.hint?.contains("DOCTYPE") == true)
        let result = InvoiceReader.read(bytes, file: name)
        #expect(result.invoices.isEmpty)
        #expect(result.diagnostics.first?.code == "xml.doctype")
        #expect(!String(describing: result).contains(sentinel.content))
        #expect(!String(describing: err as Any).contains(sentinel.content))
        #expect(!probe.sawConnection(), "the parser connected to the loopback listener")
    }

    @Test func xxeExternalFileEntity() throws { try expectXXERefused("xxe-external-file-entity.xml") }
    @Test func xxeExternalURLEntity() throws { try expectXXERefused("xxe-external-url-entity.xml") }
    @Test func xxeParameterEntityOutOfBand() throws { try expectXXERefused("xxe-parameter-entity-oob.xml") }
    @Test func externalDTDSubsetOverHTTP() throws { try expectXXERefused("external-dtd-subset.xml") }
    @Test func externalDTDSubsetFromFile() throws { try expectXXERefused("external-dtd-subset-file.xml") }

    func expectQuickDoctypeRefusal(_ name: String) throws {
        let bytes = try hostile(name)
        let start = ContinuousClock.now
        let err = refusal(bytes, name)
        #expect(err?.code == "xml.doctype")
        #expect(ContinuousClock.now - start < .seconds(2), "refusal must not expand anything")
    }
    @Test func billionLaughs() throws { try expectQuickDoctypeRefusal("billion-laughs.xml") }
    @Test func billionLaughsInAttribute() throws { try expectQuickDoctypeRefusal("billion-laughs-in-attribute.xml") }
    @Test func quadraticBlowup() throws { try expectQuickDoctypeRefusal("quadratic-blowup.xml") }
    @Test func internalEntityInAmount() throws { try expectQuickDoctypeRefusal("internal-entity-in-amount.xml") }

    @Test func attlistDefaultNamespaceIsRefusedBeforeItApplies() throws {
        let bytes = try hostile("dtd-attlist-default-namespace.xml")
        #expect(refusal(bytes, "x")?.code == "xml.doctype")
        let r = InvoiceReader.read(bytes, file: "dtd-attlist-default-namespace.xml")
        #expect(r.format == nil && r.invoices.isEmpty)
    }

    @Test func deepNestingStopsAtDepthCap() throws {
        let bytes = try hostile("deep-nesting-100k.xml")
        let err = refusal(bytes, "deep-nesting-100k.xml")
        #expect(err?.code == "xml.depth")
        #expect(err?.diagnostics.first?.message.contains("64") == true)
        #expect(err?.diagnostics.first?.location?.line != nil)
    }

    @Test func xincludeIsNeverProcessed() throws {
        let probe = try LoopbackProbe()
        let sentinel = try Sentinel()
        let bytes = try hostile("xinclude-file.xml", probe: probe, sentinel: sentinel)
        let r = InvoiceReader.read(bytes, file: "xinclude-file.xml")
        #expect(r.invoices.count == 1)
        #expect(r.invoices.first?.invoice.number == "XINCLUDE-1")
        #expect(r.invoices.first?.invoice.payable.decimalString == "100.00")
        #expect(r.diagnostics.contains { $0.code == "xml.xinclude" })
        #expect(r.invoices.first?.invoice.problems.contains { $0.code == "xml.xinclude" } == true)
        #expect(!String(describing: r).contains(sentinel.content))
        #expect(!probe.sawConnection())
    }

    @Test func hugeAttributeIsRefused() throws {
        let err = refusal(try hostile("huge-attribute-1MiB.xml"), "huge-attribute-1MiB.xml")
        #expect(err?.code == "xml.attribute")
        #expect(err?.diagnostics.first?.location?.field == "Sello")
    }

    @Test func latin1BytesDeclaredUTF8AreRefused() throws {
        let err = refusal(try Array(Fixtures.data("malicious-xml/invalid-utf8-latin1-bytes.xml")), "invalid-utf8-latin1-bytes.xml")
        #expect(err?.code == "xml.encoding")
        #expect(err?.diagnostics.first?.location?.line != nil)
        #expect(err?.diagnostics.first?.hint?.contains("UTF-8") == true)
    }

    @Test func overlongAndSurrogateUTF8AreRefused() throws {
        let err = refusal(try Array(Fixtures.data("malicious-xml/invalid-utf8-overlong-and-surrogate.xml")), "invalid-utf8-overlong-and-surrogate.xml")
        #expect(err?.code == "xml.encoding")
    }

    func validVariant(_ name: String) throws -> ImportedInvoice? {
        let r = InvoiceReader.read(try Array(Fixtures.data("malicious-xml/\(name)")), file: name)
        #expect(!r.hasErrors, "\(r.diagnostics)")
        return r.invoices.first
    }
    func expectPeppolBaseExample(_ inv: ImportedInvoice?) {
        #expect(inv?.invoice.number == "Snippet1")
        #expect(inv?.invoice.payable.description == "1656.25 EUR")
        #expect(inv?.invoice.net.description == "1325.00 EUR")
        #expect(inv?.invoice.tax.description == "331.25 EUR")
        #expect(inv?.invoice.dueDate?.description == "2017-12-01")
    }
    @Test func utf8WithBOMReadsNormally() throws { expectPeppolBaseExample(try validVariant("utf8-bom-valid-invoice.xml")) }
    @Test func utf16LEWithBOMReadsNormally() throws {
        let a = try validVariant("utf16le-bom-valid-invoice.xml")
        expectPeppolBaseExample(a)
        let b = try validVariant("utf8-bom-valid-invoice.xml")
        #expect(a.map(CanonicalText.render) == b.map(CanonicalText.render))
    }
    @Test func utf16BEWithBOMReadsNormally() throws {
        let a = try validVariant("utf16be-bom-valid-invoice.xml")
        expectPeppolBaseExample(a)
        #expect(a?.invoice.buyer.name == (try validVariant("utf8-bom-valid-invoice.xml"))?.invoice.buyer.name)
    }
    @Test func utf16BOMDeclaringUTF8IsReadByTheBOM() throws {
        let a = try validVariant("utf16le-bom-declares-utf8.xml")
        expectPeppolBaseExample(a)
        #expect(a.map(CanonicalText.render) == (try validVariant("utf8-bom-valid-invoice.xml")).map(CanonicalText.render))
    }

    @Test func textSplitByCommentCDATAAndPIIsJoined() throws {
        let r = InvoiceReader.read(try Array(Fixtures.data("malicious-xml/split-text-comment-cdata-pi.xml")), file: "split.xml")
        let inv = try #require(r.invoices.first)
        #expect(inv.invoice.number == "SPLIT-1")
        #expect(inv.invoice.currency == .EUR)
        #expect(inv.stated.net?.description == "100.00")
        #expect(inv.stated.payable?.description == "121.00")
        #expect(inv.invoice.payable.description == "121.00 EUR")
    }

    @Test func duplicateAndMisplacedTotalsAreRefused() throws {
        let r = InvoiceReader.read(try Array(Fixtures.data("malicious-xml/duplicate-and-misplaced-totals.xml")), file: "dup.xml")
        #expect(r.invoices.isEmpty)
        #expect(r.diagnostics.contains { $0.code == "invoice.cardinality" || $0.code == "invoice.currency" })
        #expect(!String(describing: r.invoices).contains("1.00"))
    }

    @Test func lookalikeNamespacesAreNotUBL() throws {
        let r = InvoiceReader.read(try Array(Fixtures.data("malicious-xml/wrong-namespace-lookalike.xml")), file: "ns.xml")
        #expect(r.format == .ubl)
        #expect(r.invoices.isEmpty)
        #expect(r.diagnostics.contains { $0.code == "invoice.missing" && $0.message.contains("LegalMonetaryTotal") })
    }

    @Test func everyHostileFixtureHasATest() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Fixtures.url("malicious-xml").path).filter { $0.hasSuffix(".xml") }
        #expect(files.count == 22)
    }
}

@Suite("SafeXML basics")
struct SafeXMLTests {
    @Test func treeKeepsNamespacesLinesAndText() throws {
        let xml = "<?xml version=\"1.0\"?>\n<a:r xmlns:a=\"urn:a\" k=\"v&amp;w\">\n  <b>x &lt; y</b>\n  <a:c><![CDATA[z]]></a:c>\n</a:r>"
        let doc = try SafeXML.parse(Array(xml.utf8), file: "t.xml")
        #expect(doc.root.name == "r" && doc.root.namespace == "urn:a")
        #expect(doc.root.attribute("k") == "v&w")
        #expect(doc.root.child("", "b")?.text == "x < y")
        #expect(doc.root.child("urn:a", "c")?.text == "z")
        #expect(doc.root.child("", "b")?.line == 3)
    }

    @Test func malformedXMLReportsLineAndColumn() {
        let xml = "<a>\n<b>\n</a>"
        #expect(throws: XMLParseError.self) { try SafeXML.parse(Array(xml.utf8), file: "bad.xml") }
        do { _ = try SafeXML.parse(Array(xml.utf8), file: "bad.xml") } catch {
            #expect(error.code == "xml.malformed")
            #expect(error.diagnostics.first?.location?.line == 3)
            #expect(error.description.hasPrefix("bad.xml:3"))
        }
    }

    @Test func sizeCapIsEnforcedBeforeParsing() throws {
        let big = Array(repeating: UInt8(ascii: " "), count: 2048)
        do { _ = try SafeXML.parse(big, file: "big.xml", limits: XMLLimits(maxBytes: 1024)); Issue.record("accepted") } catch {
            #expect(error.code == "xml.size")
        }
        let dir = Fixtures.temporaryDirectory()
        let u = dir.appendingPathComponent("big.xml")
        try Data(("<a>" + String(repeating: "x", count: 5000) + "</a>").utf8).write(to: u)
        do { _ = try SafeXML.parse(contentsOf: u, limits: XMLLimits(maxBytes: 1000)); Issue.record("accepted") } catch {
            #expect(error.code == "xml.size")
        }
    }

    @Test func emptyInputAndUndeclaredEntityAreRefused() {
        #expect(throws: XMLParseError.self) { try SafeXML.parse([UInt8](), file: "e.xml") }
        do { _ = try SafeXML.parse(Array("<a>&nope;</a>".utf8), file: "e.xml") } catch { #expect(error.code == "xml.entity") }
    }

    /// libxml2 reports encoding-conversion errors without a parser context; they must not reach stderr.
    @Test func encodingConversionErrorsAreNotPrinted() throws {
        let bytes = Array("<?xml version=\"1.0\" encoding=\"EUC-JP\"?><a>".utf8) + [0x8E, 0xFF, 0xFF] + Array("</a>".utf8)
        let capture = Fixtures.temporaryDirectory().appendingPathComponent("stderr.txt")
        _ = FileManager.default.createFile(atPath: capture.path, contents: nil)
        let saved = dup(2)
        let fd = open(capture.path, O_WRONLY)
        dup2(fd, 2)
        let err = refusal(bytes, "euc.xml")
        fflush(nil)
        dup2(saved, 2)
        close(fd); close(saved)
        #expect(err != nil)
        #expect(err?.code == "xml.encoding" || err?.code == "xml.malformed")
        // Other tests running at the same time may write to the process's stderr too: only
        // libxml2's own wording counts ("encoding error : input conversion failed … bytes 0x8E").
        let printed = try String(contentsOf: capture, encoding: .utf8)
        #expect(!["encoding error", "conversion failed", "bytes 0x", "EUC-JP"].contains { printed.contains($0) }, "libxml2 printed to stderr: \(printed)")
    }

    @Test func parsesConcurrently() async throws {
        let bytes = try Array(Fixtures.data("invoices/ubl/en16931-ubl-tc434-example5-DKK-taxcur-EUR-prepaid.xml"))
        try await withThrowingTaskGroup(of: String.self) { g in
            for _ in 0..<8 { g.addTask { try SafeXML.parse(bytes, file: "x").root.name } }
            for try await n in g { #expect(n == "Invoice") }
        }
    }
}
