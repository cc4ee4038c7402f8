import Foundation
import Testing
import SaldoCore
import SaldoTestSupport
import SaldoXML

/// The streaming reader: what it hands over, and that it refuses what SafeXML refuses.
@Suite struct StreamingXMLTests {
    func stream(_ bytes: [UInt8], capture: Set<String> = ["Ntry"], limits: XMLStreamLimits = .statements) -> (events: [String], error: XMLParseError?) {
        var events: [String] = []
        do {
            try StreamingXML.parse(Data(bytes), file: "t.xml", limits: limits, capture: { name, _ in capture.contains(name) }) { ev in
                switch ev {
                case .start(let n, _, let d, let line): events.append("start \(n) \(d) @\(line)")
                case .end(let n, _, let d): events.append("end \(n) \(d)")
                case .element(let e, let d): events.append("element \(e.name) \(d) @\(e.line) [\(e.children.map { "\($0.name)=\($0.trimmedText)" }.joined(separator: ","))]")
                }
                return true
            }
            return (events, nil)
        } catch { return (events, error) }
    }

    @Test func capturedSubtreesComeWholeWithLinesAndTheRestAsEvents() {
        let doc = "<?xml version=\"1.0\"?>\n<D xmlns=\"urn:x\">\n<S>\n<Ntry><Amt Ccy=\"EUR\">1.00</Amt>\n<Ref>A&amp;B</Ref></Ntry>\n<Ntry><Amt>2</Amt></Ntry>\n</S>\n</D>\n"
        let (events, error) = stream(Array(doc.utf8))
        #expect(error == nil)
        #expect(events == ["start D 0 @2", "start S 1 @3", "element Ntry 2 @4 [Amt=1.00,Ref=A&B]", "element Ntry 2 @6 [Amt=2]", "end S 1", "end D 0"])
    }

    @Test func theCallerCanStopEarly() throws {
        let doc = "<D>" + String(repeating: "<Ntry><A>1</A></Ntry>", count: 1000) + "</D>"
        var n = 0
        try StreamingXML.parse(Data(doc.utf8), file: "t.xml", capture: { name, _ in name == "Ntry" }) { ev in
            if case .element = ev { n += 1 }
            return n < 3
        }
        #expect(n == 3)
    }

    @Test func documentsLargerThanOneChunkStreamEveryEntry() throws {
        // Over 3 MiB, so the push parser is fed several chunks; an entry may straddle two.
        let entry = "<Ntry><Amt Ccy=\"EUR\">12.34</Amt><Txt>" + String(repeating: "x", count: 200) + "</Txt></Ntry>\n"
        let doc = "<D>" + String(repeating: entry, count: 15_000) + "</D>"
        var n = 0, lastLine = 0
        try StreamingXML.parse(Data(doc.utf8), file: "t.xml", capture: { name, _ in name == "Ntry" }) { ev in
            if case .element(let e, _) = ev { n += 1; lastLine = e.line; #expect(e.children.count == 2) }
            return true
        }
        #expect(n == 15_000)
        #expect(lastLine == 15_000)
    }

    @Test func xxeOverFileAndHTTPIsRefusedWithoutReadingOrConnecting() throws {
        for name in ["xxe-external-file-entity.xml", "xxe-external-url-entity.xml", "xxe-parameter-entity-oob.xml", "external-dtd-subset.xml", "external-dtd-subset-file.xml"] {
            let probe = try LoopbackProbe()
            let sentinel = try Sentinel()
            let bytes = try hostile(name, probe: probe, sentinel: sentinel)
            let (events, error) = stream(bytes, capture: ["Invoice"])
            #expect(error?.code == "xml.doctype", "\(name)")
            #expect(!events.joined().contains(sentinel.content))
            #expect(!probe.sawConnection(), "\(name): the streaming parser connected to the loopback listener")
        }
    }

    @Test func entityBombsDeepNestingAndHugeTextAreRefused() throws {
        for name in ["billion-laughs.xml", "billion-laughs-in-attribute.xml", "quadratic-blowup.xml", "internal-entity-in-amount.xml"] {
            let start = ContinuousClock.now
            #expect(stream(try hostile(name)).error?.code == "xml.doctype", "\(name)")
            #expect(ContinuousClock.now - start < .seconds(2))
        }
        #expect(stream(try hostile("deep-nesting-100k.xml")).error?.code == "xml.depth")
        #expect(stream(try hostile("huge-attribute-1MiB.xml"), capture: ["Comprobante"]).error?.code == "xml.attribute")
        #expect(stream(try hostile("huge-attribute-1MiB.xml"), capture: []).error?.code == "xml.attribute")
        let text = "<D><Ntry><T>" + String(repeating: "y", count: 2 << 20) + "</T></Ntry></D>"
        #expect(stream(Array(text.utf8)).error?.code == "xml.text")
        // Outside captured elements the text is limited too.
        let outside = "<D><T>" + String(repeating: "y", count: 2 << 20) + "</T></D>"
        #expect(stream(Array(outside.utf8)).error?.code == "xml.text")
    }

    @Test func truncatedAndOversizedDocumentsAreRefused() {
        let doc = "<D><S><Ntry><A>1</A></Ntry><Ntry><A>2</A></Ntry></S></D>"
        let cut = Array(doc.utf8.prefix(doc.utf8.count - 9))
        let (events, error) = stream(cut)
        #expect(error != nil)
        #expect(error?.diagnostics.first?.hint?.contains("cut short") == true || error?.code == "xml.malformed")
        #expect(events.contains { $0.hasPrefix("element Ntry") })   // what came before was handed over; the caller discards it
        var small = XMLStreamLimits.statements
        small.maxBytes = 10
        #expect(stream(Array(doc.utf8), limits: small).error?.code == "xml.size")
        #expect(stream([]).error?.code == "xml.empty")
    }
}
