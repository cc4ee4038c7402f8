import CLibXML2
import Foundation
import SaldoCore

/// Receives the events of ``SafeXML/stream(_:file:limits:handler:)``: element starts (local name and
/// attributes by local name), text, and element ends. Return a diagnostic to stop the parse with it.
public protocol XMLStreamHandler: AnyObject {
    func start(_ name: String, _ attributes: XMLAttributes, line: Int) -> Diagnostic?
    func text(_ bytes: UnsafeBufferPointer<UInt8>) -> Diagnostic?
    func end(_ name: String) -> Diagnostic?
}

/// The attributes of one start tag, valid only during the `start` call: read by local name without
/// building strings for the ones not asked for.
public struct XMLAttributes {
    let base: UnsafeMutablePointer<UnsafePointer<UInt8>?>?
    public let count: Int

    /// The raw bytes of an attribute's value (entity references are not expanded: DTDs are refused,
    /// and a decoded `&` arrives as `&#38;`).
    public func bytes(_ name: String) -> UnsafeBufferPointer<UInt8>? {
        guard let base else { return nil }
        for i in 0..<count {
            let b = i * 5
            guard let n = base[b], let vs = base[b + 3], let ve = base[b + 4] else { continue }
            if Self.equal(n, name) { return UnsafeBufferPointer(start: vs, count: max(0, ve - vs)) }
        }
        return nil
    }

    public func value(_ name: String) -> String? {
        guard let b = bytes(name) else { return nil }
        var v = String(decoding: b, as: UTF8.self)
        if b.contains(UInt8(ascii: "&")) { v = v.replacingOccurrences(of: "&#38;", with: "&") }
        return v
    }

    /// A non-negative decimal integer value, or nil.
    public func int(_ name: String) -> Int? {
        guard let b = bytes(name), !b.isEmpty, b.count < 19 else { return nil }
        var n = 0
        for c in b { guard c >= 48 && c <= 57 else { return nil }; n = n * 10 + Int(c - 48) }
        return n
    }

    /// Every attribute as (local name, value).
    public var all: [(name: String, value: String)] {
        guard let base else { return [] }
        return (0..<count).compactMap { i in
            guard let n = base[i * 5] else { return nil }
            let name = String(cString: n)
            return (name, value(name) ?? "")
        }
    }

    static func equal(_ p: UnsafePointer<UInt8>, _ s: String) -> Bool {
        var i = 0
        for c in s.utf8 { if p[i] != c { return false }; i += 1 }
        return p[i] == 0
    }
}

extension SafeXML {
    /// Parses bytes with the same safety measures as ``parse(_:file:limits:)`` (DOCTYPE refused,
    /// external loads refused, depth, attribute, text and element limits) but builds no tree:
    /// events go to `handler` as libxml2 reads, so a sheet of a million cells costs no more memory
    /// than the handler keeps. Names are local names; namespaces are not reported.
    public static func stream(_ bytes: UnsafeBufferPointer<UInt8>, file: String, limits: XMLLimits, handler: any XMLStreamHandler) throws(XMLParseError) {
        _ = SafeXML.ready
        if bytes.count > limits.maxBytes || bytes.count > Int(Int32.max) {
            throw XMLParseError([.error("xml.size", "\(file) is larger than the \(limits.maxBytes / (1024 * 1024)) MiB accepted",
                                        at: SourceLocation(file: file), hint: "split the export into shorter periods")])
        }
        if bytes.isEmpty { throw XMLParseError([.error("xml.empty", "\(file) is empty", at: SourceLocation(file: file))]) }
        let s = StreamContext(file: file, limits: limits, handler: handler)
        if let e = s.run(bytes) { throw e }
    }
}

/// One streaming parse on one thread. `_private` is left nil so that the process-wide entity loader
/// (which refuses every load either way) does not take this for a tree builder.
final class StreamContext {
    let file: String
    let limits: XMLLimits
    let handler: any XMLStreamHandler
    var ctxt: xmlParserCtxtPtr?
    var depth = 0
    var elements = 0
    var textInElement = 0
    var failure: Diagnostic?
    /// Set with `failure` and checked on every event: testing the optional `Diagnostic` itself showed
    /// up in the profile of a 100,000-row sheet as value-witness calls and copies.
    var stopped = false
    var libErrors: [Diagnostic] = []
    var names: [UnsafeRawPointer: String] = [:]

    init(file: String, limits: XMLLimits, handler: any XMLStreamHandler) { self.file = file; self.limits = limits; self.handler = handler }

    var line: Int { Int(ctxt?.pointee.input?.pointee.line ?? 0) }

    /// The last names seen, checked by pointer before the dictionary: libxml2 interns names, and a
    /// sheet uses a handful (`row`, `c`, `v`) a million times each.
    var recentKeys: [UnsafeRawPointer?] = Array(repeating: nil, count: 8)
    var recentNames: [String] = Array(repeating: "", count: 8)
    var recentNext = 0

    func intern(_ p: UnsafePointer<xmlChar>?) -> String {
        guard let p else { return "" }
        let key = UnsafeRawPointer(p)
        for i in 0..<8 where recentKeys[i] == key { return recentNames[i] }
        let s: String
        if let known = names[key] { s = known } else { s = String(cString: p); names[key] = s }
        recentKeys[recentNext] = key
        recentNames[recentNext] = s
        recentNext = (recentNext + 1) & 7
        return s
    }

    func stop(_ d: Diagnostic) {
        if failure == nil { failure = d }
        stopped = true
        if let ctxt { xmlStopParser(ctxt) }
    }

    func run(_ buf: UnsafeBufferPointer<UInt8>) -> XMLParseError? {
        guard let base = buf.baseAddress, let ctxt = base.withMemoryRebound(to: CChar.self, capacity: buf.count, {
            xmlCreateMemoryParserCtxt($0, Int32(buf.count))
        }) else { return XMLParseError([.error("xml.internal", "libxml2 could not create a parser", at: SourceLocation(file: file))]) }
        self.ctxt = ctxt
        defer {
            if let doc = ctxt.pointee.myDoc { xmlFreeDoc(doc); ctxt.pointee.myDoc = nil }
            ctxt.pointee.userData = UnsafeMutableRawPointer(ctxt)
            xmlFreeParserCtxt(ctxt)
            self.ctxt = nil
        }
        _ = xmlCtxtUseOptions(ctxt, Int32(XML_PARSE_NONET.rawValue))
        ctxt.pointee.userData = Unmanaged.passUnretained(self).toOpaque()
        if let sax = ctxt.pointee.sax {
            var h = xmlSAXHandler()
            h.initialized = XML_SAX2_MAGIC
            h.startElementNs = { ctx, localname, _, _, _, _, nAttr, _, attrs in streamContext(ctx)?.start(localname, nAttr, attrs) }
            h.endElementNs = { ctx, localname, _, _ in streamContext(ctx)?.end(localname) }
            h.characters = { ctx, ch, len in streamContext(ctx)?.characters(ch, len) }
            h.cdataBlock = { ctx, ch, len in streamContext(ctx)?.characters(ch, len) }
            h.internalSubset = { ctx, _, _, _ in streamContext(ctx)?.doctype() }
            h.externalSubset = { ctx, _, _, _ in streamContext(ctx)?.doctype() }
            h.serror = { ctx, error in if let error { streamContext(ctx)?.libError(error) } }
            sax.pointee = h
        }
        let rc = withExtendedLifetime(self) { xmlParseDocument(ctxt) }
        if let f = failure { return XMLParseError([f]) }
        if !libErrors.isEmpty || rc != 0 || ctxt.pointee.wellFormed != 1 {
            return XMLParseError(libErrors.isEmpty
                ? [.error("xml.malformed", "\(file) is not well-formed XML", at: SourceLocation(file: file))] : Array(libErrors.prefix(3)))
        }
        return nil
    }

    func start(_ localname: UnsafePointer<xmlChar>?, _ nAttr: Int32, _ attrs: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
        if stopped { return }
        depth += 1
        elements += 1
        textInElement = 0
        if depth > limits.maxDepth {
            return stop(.error("xml.depth", "elements in \(file) are nested deeper than \(limits.maxDepth) levels", at: SourceLocation(file: file, line: line)))
        }
        if elements > limits.maxElements {
            return stop(.error("xml.size", "\(file) has more than \(limits.maxElements) elements", at: SourceLocation(file: file, line: line),
                               hint: "split the export into shorter periods"))
        }
        if nAttr > 0, let attrs {
            for i in 0..<Int(nAttr) {
                let b = i * 5
                guard let vs = attrs[b + 3], let ve = attrs[b + 4] else { continue }
                let len = ve - vs
                if len > limits.maxAttributeBytes {
                    return stop(.error("xml.attribute", "an attribute in \(file) is \(len) bytes long, more than the \(limits.maxAttributeBytes) accepted",
                                       at: SourceLocation(file: file, line: line)))
                }
            }
        }
        let list = XMLAttributes(base: attrs.map { UnsafeMutableRawPointer($0).assumingMemoryBound(to: UnsafePointer<UInt8>?.self) }, count: Int(max(0, nAttr)))
        if let d = handler.start(intern(localname), list, line: line) { stop(d) }
    }

    func end(_ localname: UnsafePointer<xmlChar>?) {
        if stopped { return }
        depth -= 1
        textInElement = 0
        if let d = handler.end(intern(localname)) { stop(d) }
    }

    func characters(_ ch: UnsafePointer<xmlChar>?, _ len: Int32) {
        if stopped { return }
        guard let ch, len > 0 else { return }
        textInElement += Int(len)
        if textInElement > limits.maxTextBytes {
            return stop(.error("xml.text", "a text in \(file) is longer than \(limits.maxTextBytes) bytes", at: SourceLocation(file: file, line: line)))
        }
        if let d = handler.text(UnsafeBufferPointer(start: ch, count: Int(len))) { stop(d) }
    }

    func doctype() {
        stop(.error("xml.doctype", "\(file) has a DOCTYPE declaration; Saldo refuses DTDs (they enable entity expansion and external loads)",
                    at: SourceLocation(file: file, line: line), hint: "no spreadsheet or statement format uses a DTD; the file is damaged or hostile"))
    }

    func libError(_ e: UnsafePointer<xmlError>) {
        guard e.pointee.level != XML_ERR_WARNING, libErrors.count < 5, let c = LibXMLError.classify(e.pointee) else { return }
        libErrors.append(.error(c.kind == .entity ? "xml.entity" : "xml.malformed", "\(file) is not well-formed XML: \(c.message)",
                                at: SourceLocation(file: file, line: c.line)))
    }
}

private func streamContext(_ ctx: UnsafeMutableRawPointer?) -> StreamContext? {
    guard let ctx else { return nil }
    return Unmanaged<StreamContext>.fromOpaque(ctx).takeUnretainedValue()
}
