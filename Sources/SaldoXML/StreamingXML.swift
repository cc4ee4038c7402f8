import CLibXML2
import Foundation
import SaldoCore

/// Limits of a streaming parse: the file may be large, but every piece handed over is small.
public struct XMLStreamLimits: Hashable, Sendable {
    /// Largest input accepted, in bytes (a bank's yearly camt.053 can be hundreds of MB).
    public var maxBytes: Int
    /// Deepest element nesting accepted (camt entries are under 20 levels).
    public var maxDepth: Int
    /// Longest attribute value, in bytes.
    public var maxAttributeBytes: Int
    /// Longest text of one element, in bytes.
    public var maxTextBytes: Int
    /// Most elements in one captured subtree (one entry with its transaction details).
    public var maxElementsPerSubtree: Int

    public init(maxBytes: Int = 2 * 1024 * 1024 * 1024, maxDepth: Int = 64, maxAttributeBytes: Int = 64 * 1024,
                maxTextBytes: Int = 1024 * 1024, maxElementsPerSubtree: Int = 200_000) {
        self.maxBytes = maxBytes; self.maxDepth = maxDepth; self.maxAttributeBytes = maxAttributeBytes
        self.maxTextBytes = maxTextBytes; self.maxElementsPerSubtree = maxElementsPerSubtree
    }
    /// Suited to bank statements: 2 GiB, 64 levels, 1 MiB of text per element.
    public static let statements = XMLStreamLimits()
}

/// What a streaming parse hands its caller, in document order.
public enum XMLStreamEvent: Sendable {
    /// An element that is not captured opens (`depth` 0 is the root).
    case start(name: String, namespace: String, depth: Int, line: Int)
    /// An element that is not captured closes.
    case end(name: String, namespace: String, depth: Int)
    /// A captured element, whole, with its subtree (`depth` of the element itself).
    case element(XElement, depth: Int)
}

/// Reads a large XML document from memory without building its tree: the caller names, by local
/// name and depth, the elements it wants (`capture`), and receives each one as a small
/// ``XElement`` subtree as soon as it closes; everything else is reported as start and end events.
/// Memory stays flat in the file size: libxml2's push parser is fed in 1 MiB chunks and a captured
/// subtree is freed once handed over.
///
/// The same safety as ``SafeXML``: no DOCTYPE (refused before its declarations are read, so no
/// entity is ever defined or expanded), the deny-all external entity loader, only `XML_PARSE_NONET`
/// (never `NOENT`, `DTDLOAD` or `HUGE`), depth, text and attribute limits, a total size limit;
/// libxml2's errors are captured, never printed.
public enum StreamingXML {
    /// Parses `bytes`; `handle` returns false to stop early (no error). Throws the first problem.
    public static func parse(_ bytes: UnsafeRawBufferPointer, file: String, limits: XMLStreamLimits = .statements,
                             capture: (_ name: String, _ depth: Int) -> Bool,
                             handle: (XMLStreamEvent) -> Bool) throws(XMLParseError) {
        _ = libxml2Ready
        if bytes.count > limits.maxBytes {
            throw XMLParseError([.error("xml.size", "the document is \(bytes.count / (1024 * 1024)) MiB, larger than the \(limits.maxBytes / (1024 * 1024)) MiB accepted for a statement",
                                        at: SourceLocation(file: file), hint: "export a shorter period")])
        }
        if bytes.isEmpty {
            throw XMLParseError([.error("xml.empty", "the document is empty", at: SourceLocation(file: file), hint: "export the statement again")])
        }
        let session = StreamSession(file: file, limits: limits)
        let failure: XMLParseError? = withoutActuallyEscaping(capture) { capture in
            withoutActuallyEscaping(handle) { handle in
                session.capture = capture
                session.handle = handle
                defer { session.capture = nil; session.handle = nil }
                return session.run(bytes)
            }
        }
        if let failure { throw failure }
    }

    /// The same over `Data` (mapped files stay mapped).
    public static func parse(_ data: Data, file: String, limits: XMLStreamLimits = .statements,
                             capture: (_ name: String, _ depth: Int) -> Bool,
                             handle: (XMLStreamEvent) -> Bool) throws(XMLParseError) {
        let r: XMLParseError? = data.withUnsafeBytes { (buf: UnsafeRawBufferPointer) -> XMLParseError? in
            do throws(XMLParseError) { try parse(buf, file: file, limits: limits, capture: capture, handle: handle); return nil } catch { return error }
        }
        if let r { throw r }
    }
}

private final class StreamSession: LibXMLSession {
    struct Open {
        var name: String
        var namespace: String
        var attributes: [XAttribute]
        var text: [UInt8]
        var children: [XElement]
        var line: Int
    }

    let file: String
    let limits: XMLStreamLimits
    var ctxt: xmlParserCtxtPtr?
    var capture: ((String, Int) -> Bool)?
    var handle: ((XMLStreamEvent) -> Bool)?
    /// Depth of the open elements (all of them, captured or not).
    var depth = 0
    /// The elements of the subtree being captured; empty when none is.
    var stack: [Open] = []
    /// Depth at which the current capture started.
    var captureDepth = -1
    var subtreeElements = 0
    /// Names and namespaces of the open uncaptured elements, for their end events.
    var outer: [(String, String)] = []
    var ownErrors: [Diagnostic] = []
    var libErrors: [Diagnostic] = []
    var stoppedByCaller = false
    /// Bytes of text seen since the last tag outside captured elements.
    var outerText = 0
    var sawRoot = false
    var names: [UnsafeRawPointer: String] = [:]

    init(file: String, limits: XMLStreamLimits) { self.file = file; self.limits = limits }

    var line: Int { Int(ctxt?.pointee.input?.pointee.line ?? 0) }

    func intern(_ p: UnsafePointer<xmlChar>?) -> String {
        guard let p else { return "" }
        let key = UnsafeRawPointer(p)
        if let s = names[key] { return s }
        let s = String(cString: p)
        // Names come from the parser's dictionary, whose entries live as long as the context.
        if names.count < 4096 { names[key] = s }
        return s
    }

    func stop(_ d: Diagnostic) {
        if ownErrors.isEmpty { ownErrors.append(d) }
        if let ctxt { xmlStopParser(ctxt) }
    }

    override func refusedLoad(_ url: String) {
        stop(.error("xml.external", "the document asks to load an external resource (\(url)); Saldo never loads one",
                    at: SourceLocation(file: file, line: line), hint: "bank statements need no external resources; ask the bank for a clean export"))
    }

    func run(_ bytes: UnsafeRawBufferPointer) -> XMLParseError? {
        let me = Unmanaged.passUnretained(self).toOpaque()
        var h = xmlSAXHandler()
        h.initialized = XML_SAX2_MAGIC
        h.startElementNs = streamStart
        h.endElementNs = streamEnd
        h.characters = streamCharacters
        h.ignorableWhitespace = streamCharacters
        h.cdataBlock = streamCharacters
        h.internalSubset = streamDoctype
        h.externalSubset = streamDoctype
        h.serror = streamError
        let base = bytes.baseAddress!.assumingMemoryBound(to: CChar.self)
        let head = Int32(min(4, bytes.count))
        guard let ctxt = xmlCreatePushParserCtxt(&h, me, base, head, nil) else {
            return XMLParseError([.error("xml.internal", "libxml2 could not create a parser", at: SourceLocation(file: file))])
        }
        self.ctxt = ctxt
        defer {
            if let doc = ctxt.pointee.myDoc { xmlFreeDoc(doc); ctxt.pointee.myDoc = nil }
            ctxt.pointee._private = nil
            xmlFreeParserCtxt(ctxt)
            self.ctxt = nil
        }
        _ = xmlCtxtUseOptions(ctxt, Int32(XML_PARSE_NONET.rawValue))
        ctxt.pointee._private = me
        var offset = Int(head)
        let chunk = 1 << 20
        withExtendedLifetime(self) {
            while ownErrors.isEmpty && !stoppedByCaller && ctxt.pointee.instate != XML_PARSER_EOF {
                let n = min(chunk, bytes.count - offset)
                let last: Int32 = offset + n >= bytes.count ? 1 : 0
                let rc = xmlParseChunk(ctxt, base + offset, Int32(n), last)
                offset += n
                if rc != 0 || last == 1 { break }
            }
        }
        if stoppedByCaller { return nil }
        if !ownErrors.isEmpty { return XMLParseError(ownErrors + libErrors.prefix(3)) }
        let wellFormed = ctxt.pointee.wellFormed == 1
        if !libErrors.isEmpty || !wellFormed || ctxt.pointee.errNo != 0 {
            let ds = libErrors.isEmpty
                ? [Diagnostic.error("xml.malformed", "the document is not well-formed XML (libxml2 error \(ctxt.pointee.errNo))", at: SourceLocation(file: file),
                                    hint: "the file may be cut short; export it again")]
                : Array(libErrors.prefix(5))
            return XMLParseError(ds)
        }
        if !sawRoot || depth != 0 {
            return XMLParseError([.error("xml.truncated", "the document ends before its root element is closed", at: SourceLocation(file: file, line: line),
                                         hint: "the file is cut short; export it again")])
        }
        return nil
    }

    func start(_ localname: UnsafePointer<xmlChar>?, _ uri: UnsafePointer<xmlChar>?, _ nAttr: Int32, _ attrs: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
        if !ownErrors.isEmpty || stoppedByCaller { return }
        if depth >= limits.maxDepth {
            stop(.error("xml.depth", "elements are nested deeper than \(limits.maxDepth) levels",
                        at: SourceLocation(file: file, line: line), hint: "bank statements are less than 20 levels deep; this file is not a statement or is hostile"))
            return
        }
        sawRoot = true
        let name = intern(localname), ns = intern(uri)
        let d = depth
        depth += 1
        outerText = 0
        if nAttr > 0, let attrs {
            for i in 0..<Int(nAttr) {
                guard let vs = attrs[i * 5 + 3], let ve = attrs[i * 5 + 4], ve - vs > limits.maxAttributeBytes else { continue }
                let an = intern(attrs[i * 5])
                stop(.error("xml.attribute", "attribute \(an) is \(ve - vs) bytes long, more than the \(limits.maxAttributeBytes) accepted",
                            at: SourceLocation(file: file, line: line, field: an), hint: "no statement field needs such a long attribute"))
                return
            }
        }
        if stack.isEmpty {
            if capture?(name, d) == true {
                captureDepth = d
                subtreeElements = 0
            } else {
                outer.append((name, ns))
                if handle?(.start(name: name, namespace: ns, depth: d, line: line)) == false { stopByCaller() }
                return
            }
        }
        subtreeElements += 1
        if subtreeElements > limits.maxElementsPerSubtree {
            stop(.error("xml.size", "one <\(stack.first?.name ?? name)> holds more than \(limits.maxElementsPerSubtree) elements",
                        at: SourceLocation(file: file, line: line), hint: "this is not a bank statement entry, or the file is hostile"))
            return
        }
        var attributes: [XAttribute] = []
        if nAttr > 0, let attrs {
            for i in 0..<Int(nAttr) {
                let b = i * 5
                guard let vs = attrs[b + 3], let ve = attrs[b + 4] else { continue }
                let len = ve - vs
                var value = String(decoding: UnsafeBufferPointer(start: vs, count: max(0, len)), as: UTF8.self)
                if value.utf8.contains(UInt8(ascii: "&")) { value = value.replacingOccurrences(of: "&#38;", with: "&") }
                attributes.append(XAttribute(name: intern(attrs[b]), namespace: intern(attrs[b + 2]), value: value))
            }
        }
        stack.append(Open(name: name, namespace: ns, attributes: attributes, text: [], children: [], line: line))
    }

    func stopByCaller() {
        stoppedByCaller = true
        if let ctxt { xmlStopParser(ctxt) }
    }

    func end() {
        if !ownErrors.isEmpty || stoppedByCaller { return }
        depth -= 1
        outerText = 0
        if stack.isEmpty {
            guard let (n, ns) = outer.popLast() else { return }
            if handle?(.end(name: n, namespace: ns, depth: depth)) == false { stopByCaller() }
            return
        }
        let o = stack.removeLast()
        let e = XElement(name: o.name, namespace: o.namespace, attributes: o.attributes,
                         text: o.text.allSatisfy(isSpace) ? "" : String(decoding: o.text, as: UTF8.self), children: o.children, line: o.line)
        if stack.isEmpty {
            if handle?(.element(e, depth: captureDepth)) == false { stopByCaller() }
            captureDepth = -1
        } else {
            stack[stack.count - 1].children.append(e)
        }
    }

    func characters(_ ch: UnsafePointer<xmlChar>?, _ len: Int32) {
        if !ownErrors.isEmpty || stoppedByCaller { return }
        guard let ch, len > 0 else { return }
        guard !stack.isEmpty else {
            // Text outside captured elements is not kept, but it is still limited.
            outerText += Int(len)
            if outerText > limits.maxTextBytes { stop(textTooLong(outer.last?.0 ?? "text")) }
            return
        }
        let i = stack.count - 1
        if stack[i].text.count + Int(len) > limits.maxTextBytes {
            stop(textTooLong(stack[i].name))
            return
        }
        stack[i].text.append(contentsOf: UnsafeBufferPointer(start: ch, count: Int(len)))
    }

    func textTooLong(_ name: String) -> Diagnostic {
        .error("xml.text", "the text of <\(name)> is longer than \(limits.maxTextBytes) bytes", at: SourceLocation(file: file, line: line),
               hint: "no statement field holds so much text; the file is damaged or hostile")
    }

    func doctype() {
        stop(.error("xml.doctype", "the document has a DOCTYPE declaration; Saldo refuses DTDs (they enable entity expansion and external loads)",
                    at: SourceLocation(file: file, line: line),
                    hint: "bank statements use no DTD: remove the <!DOCTYPE …> declaration, or ask the bank for a clean export"))
    }

    func libError(_ e: UnsafePointer<xmlError>) {
        guard e.pointee.level != XML_ERR_WARNING, libErrors.count < 10, let c = LibXMLError.classify(e.pointee) else { return }
        let code: String, hint: String
        switch c.kind {
        case .encoding: code = "xml.encoding"; hint = "the bytes do not match the declared encoding; export the statement again"
        case .entity: code = "xml.entity"; hint = "statements use only the predefined entities (&amp; &lt; &gt; &quot; &apos;) and character references"
        case .truncated: code = "xml.truncated"; hint = "the file is cut short or damaged; export it again"
        case .depth, .malformed: code = "xml.malformed"; hint = "the file is not well-formed XML; check that it is complete and is the statement itself"
        }
        libErrors.append(.error(code, c.message, at: SourceLocation(file: file, line: c.line, column: c.column), hint: hint))
    }
}

@inline(__always) private func isSpace(_ b: UInt8) -> Bool { b == 32 || b == 10 || b == 9 || b == 13 }

private func session(_ ctx: UnsafeMutableRawPointer?) -> StreamSession? {
    guard let ctx else { return nil }
    return Unmanaged<StreamSession>.fromOpaque(ctx).takeUnretainedValue()
}

private func streamStart(_ ctx: UnsafeMutableRawPointer?, _ localname: UnsafePointer<xmlChar>?, _ prefix: UnsafePointer<xmlChar>?,
                         _ uri: UnsafePointer<xmlChar>?, _ nNs: Int32, _ ns: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?,
                         _ nAttr: Int32, _ nDefaulted: Int32, _ attrs: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
    session(ctx)?.start(localname, uri, nAttr, attrs)
}

private func streamEnd(_ ctx: UnsafeMutableRawPointer?, _ localname: UnsafePointer<xmlChar>?, _ prefix: UnsafePointer<xmlChar>?, _ uri: UnsafePointer<xmlChar>?) {
    session(ctx)?.end()
}

private func streamCharacters(_ ctx: UnsafeMutableRawPointer?, _ ch: UnsafePointer<xmlChar>?, _ len: Int32) {
    session(ctx)?.characters(ch, len)
}

private func streamDoctype(_ ctx: UnsafeMutableRawPointer?, _ name: UnsafePointer<xmlChar>?, _ externalID: UnsafePointer<xmlChar>?, _ systemID: UnsafePointer<xmlChar>?) {
    session(ctx)?.doctype()
}

private func streamError(_ ctx: UnsafeMutableRawPointer?, _ error: xmlErrorPtr?) {
    guard let error else { return }
    session(ctx)?.libError(error)
}
