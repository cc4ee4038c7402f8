import CLibXML2
import Foundation
import SaldoCore

/// Limits that every parse enforces on top of libxml2's own.
public struct XMLLimits: Hashable, Sendable {
    /// Largest input accepted, in bytes (20 MiB covers invoices with embedded PDFs).
    public var maxBytes: Int
    /// Deepest element nesting accepted (real invoices are under 12 levels).
    public var maxDepth: Int
    /// Longest attribute value, in bytes (CFDI `Sello`/`Certificado` are a few kB).
    public var maxAttributeBytes: Int
    /// Longest text of one element, in bytes (base64 attachments live in text).
    public var maxTextBytes: Int
    /// Most elements in one document.
    public var maxElements: Int

    public init(maxBytes: Int = 20 * 1024 * 1024, maxDepth: Int = 64, maxAttributeBytes: Int = 64 * 1024,
                maxTextBytes: Int = 16 * 1024 * 1024, maxElements: Int = 500_000) {
        self.maxBytes = maxBytes; self.maxDepth = maxDepth; self.maxAttributeBytes = maxAttributeBytes
        self.maxTextBytes = maxTextBytes; self.maxElements = maxElements
    }
    public static let standard = XMLLimits()
}

/// Why a document was refused: one or more diagnostics, the first being the cause.
public struct XMLParseError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
    /// The code of the first diagnostic (`xml.doctype`, `xml.depth`, `xml.encoding`…).
    public var code: String { diagnostics.first?.code ?? "xml.malformed" }
}

/// The only door to libxml2.
///
/// Parses from memory with libxml2's SAX2 interface straight into an ``XElement`` tree.
/// Safety measures (see docs/invoices.md):
/// - the caller's bytes are capped (``XMLLimits/maxBytes``); files are read here, never by libxml2;
/// - any DOCTYPE stops the parse in the `internalSubset` callback, before its declarations are
///   processed (no entities, no ATTLIST defaults, no external subset);
/// - a process-wide external entity loader refuses every URL (`file://` included), installed once;
/// - options are only `XML_PARSE_NONET` (never `NOENT`, `DTDLOAD`, `DTDATTR`, `HUGE`, `RECOVER`, `XINCLUDE`);
/// - depth, attribute length, text length and element count are limited here;
/// - errors are captured per parse (the context's structured error handler), never printed.
public enum SafeXML {
    /// Reads at most `limits.maxBytes` from `url` and parses them. `file` names the document in diagnostics.
    public static func parse(contentsOf url: URL, file: String? = nil, limits: XMLLimits = .standard) throws(XMLParseError) -> XDocument {
        let name = file ?? url.lastPathComponent
        let bytes = try readCapped(url, file: name, limit: limits.maxBytes)
        return try parse(bytes, file: name, limits: limits)
    }

    /// Reads a file with a size cap; refuses larger files without reading them whole.
    public static func readCapped(_ url: URL, file: String, limit: Int) throws(XMLParseError) -> [UInt8] {
        let handle: FileHandle
        do { handle = try FileHandle(forReadingFrom: url) } catch {
            throw XMLParseError([.error("xml.read", "cannot read the file: \(SystemFailure.reason(error, path: url.path))",
                                        at: SourceLocation(file: file), hint: "check the path and its permissions")])
        }
        defer { try? handle.close() }
        let data: Data
        do { data = try handle.read(upToCount: limit + 1) ?? Data() } catch {
            throw XMLParseError([.error("xml.read", "cannot read the file: \(SystemFailure.reason(error, path: url.path))", at: SourceLocation(file: file))])
        }
        if data.count > limit {
            throw XMLParseError([tooLarge(file: file, limit: limit)])
        }
        return [UInt8](data)
    }

    static func tooLarge(file: String, limit: Int) -> Diagnostic {
        .error("xml.size", "the document is larger than the \(limit / (1024 * 1024)) MiB accepted for an XML invoice",
               at: SourceLocation(file: file), hint: "an e-invoice is rarely above a few hundred kB; check that this is the right file")
    }

    /// Parses bytes (UTF-8, or UTF-16 with a BOM) into an element tree, or refuses them.
    public static func parse(_ bytes: some Collection<UInt8>, file: String, limits: XMLLimits = .standard) throws(XMLParseError) -> XDocument {
        _ = libxml2Ready
        if bytes.count > limits.maxBytes || bytes.count > Int(Int32.max) { throw XMLParseError([tooLarge(file: file, limit: limits.maxBytes)]) }
        if bytes.isEmpty {
            throw XMLParseError([.error("xml.empty", "the document is empty", at: SourceLocation(file: file), hint: "expected an XML e-invoice")])
        }
        let builder = TreeBuilder(file: file, limits: limits)
        let result: Result<XDocument, XMLParseError> = bytes.withContiguousStorageIfAvailable { buf in
            builder.run(buf)
        } ?? Array(bytes).withUnsafeBufferPointer { buf in builder.run(buf) }
        return try result.get()
    }
}

/// Installs the deny-all entity loader once per process (Swift runs a global's initialiser exactly once,
/// thread-safely), after `xmlInitParser()`, before any parse.
let libxml2Ready: Bool = {
    xmlInitParser()
    xmlSetExternalEntityLoader(refuseExternalEntity)
    // Errors raised without a parser context (encoding conversion, I/O) would otherwise be printed
    // to stderr by libxml2's generic handler. Parser errors go to each context's own handler
    // (`sax->serror`) first; this silent handler catches the rest, for this thread and (through
    // the thread default) every thread that starts using libxml2 later.
    xmlThrDefSetStructuredErrorFunc(nil, silentLibxml2Error)
    xmlSetStructuredErrorFunc(nil, silentLibxml2Error)
    return true
}()

private func silentLibxml2Error(_ ctx: UnsafeMutableRawPointer?, _ error: xmlErrorPtr?) {}

/// Refuses every external resource: DTDs, entities, XInclude, schema imports, `file://` and `http://` alike.
private func refuseExternalEntity(_ url: UnsafePointer<CChar>?, _ id: UnsafePointer<CChar>?, _ ctxt: xmlParserCtxtPtr?) -> xmlParserInputPtr? {
    if let ctxt, let p = ctxt.pointee._private {
        let b = Unmanaged<LibXMLSession>.fromOpaque(p).takeUnretainedValue()
        b.refusedLoad(url.map { String(cString: $0) } ?? "")
    }
    return nil
}

/// One parse's Swift side, as the entity loader sees it through the context's `_private`.
class LibXMLSession {
    func refusedLoad(_ url: String) {}
}

/// What a libxml2 error is about: decided here once for every parser of this module (the tree, the
/// statement stream, the sheet events); each words the hint for the documents it reads.
enum LibXMLError {
    enum Kind { case encoding, entity, depth, truncated, malformed }

    /// The error's kind, message and position; nil for a deliberate stop (the parser's own refusal).
    static func classify(_ err: xmlError) -> (kind: Kind, message: String, line: Int?, column: Int?)? {
        if err.code == Int32(truncatingIfNeeded: XML_ERR_USER_STOP.rawValue) { return nil }
        let msg = (err.message.map { String(cString: $0) } ?? "libxml2 error \(err.code)").trimmingCharacters(in: .whitespacesAndNewlines)
        func code(_ c: xmlParserErrors) -> Bool { err.code == Int32(truncatingIfNeeded: c.rawValue) }
        let kind: Kind
        if code(XML_ERR_INVALID_CHAR) || code(XML_ERR_INVALID_ENCODING) || code(XML_ERR_UNSUPPORTED_ENCODING)
            || msg.contains("UTF-8") || msg.contains("encoding") {
            kind = .encoding
        } else if code(XML_ERR_ENTITY_LOOP) || code(XML_ERR_UNDECLARED_ENTITY) || msg.contains("ntity") {
            kind = .entity
        } else if msg.contains("depth") {
            kind = .depth
        } else if code(XML_ERR_DOCUMENT_END) || msg.contains("Premature end") || msg.contains("EndTag") || msg.contains("end of data") {
            kind = .truncated
        } else {
            kind = .malformed
        }
        return (kind, msg, err.line > 0 ? Int(err.line) : nil, err.int2 > 0 ? Int(err.int2) : nil)
    }
}

/// Builds the tree from SAX2 events. Used by one parse on one thread.
private final class TreeBuilder: LibXMLSession {
    struct Open {
        var name: String
        var namespace: String
        var attributes: [XAttribute]
        var text: [UInt8]
        var children: [XElement]
        var line: Int
    }

    let file: String
    let limits: XMLLimits
    var ctxt: xmlParserCtxtPtr?
    var stack: [Open] = []
    var root: XElement?
    var elementCount = 0
    var ownErrors: [Diagnostic] = []
    var libErrors: [Diagnostic] = []
    var doctypeSeen = false
    var names: [UnsafeRawPointer: String] = [:]
    var warnings: [Diagnostic] = []

    init(file: String, limits: XMLLimits) { self.file = file; self.limits = limits }

    var line: Int { Int(ctxt?.pointee.input?.pointee.line ?? 0) }

    func intern(_ p: UnsafePointer<xmlChar>?) -> String {
        guard let p else { return "" }
        let key = UnsafeRawPointer(p)
        if let s = names[key] { return s }
        let s = String(cString: p)
        names[key] = s
        return s
    }

    func stop(_ d: Diagnostic) {
        if ownErrors.isEmpty { ownErrors.append(d) }
        if let ctxt { xmlStopParser(ctxt) }
    }

    override func refusedLoad(_ url: String) {
        stop(.error("xml.external", "the document asks to load an external resource (\(url)); Saldo never loads one",
                    at: SourceLocation(file: file, line: line), hint: "e-invoices need no external resources; remove the reference"))
    }

    func run(_ buf: UnsafeBufferPointer<UInt8>) -> Result<XDocument, XMLParseError> {
        guard let base = buf.baseAddress, let ctxt = base.withMemoryRebound(to: CChar.self, capacity: buf.count, {
            xmlCreateMemoryParserCtxt($0, Int32(buf.count))
        }) else {
            return .failure(XMLParseError([.error("xml.internal", "libxml2 could not create a parser", at: SourceLocation(file: file))]))
        }
        self.ctxt = ctxt
        defer {
            if let doc = ctxt.pointee.myDoc { xmlFreeDoc(doc); ctxt.pointee.myDoc = nil }
            ctxt.pointee._private = nil
            ctxt.pointee.userData = UnsafeMutableRawPointer(ctxt)
            xmlFreeParserCtxt(ctxt)
            self.ctxt = nil
        }
        _ = xmlCtxtUseOptions(ctxt, Int32(XML_PARSE_NONET.rawValue))
        let me = Unmanaged.passUnretained(self).toOpaque()
        ctxt.pointee._private = me
        ctxt.pointee.userData = me
        if let sax = ctxt.pointee.sax {
            var h = xmlSAXHandler()
            h.initialized = XML_SAX2_MAGIC
            h.startElementNs = saxStartElement
            h.endElementNs = saxEndElement
            h.characters = saxCharacters
            h.ignorableWhitespace = saxCharacters
            h.cdataBlock = saxCharacters
            h.internalSubset = saxDoctype
            h.externalSubset = saxDoctype
            h.serror = saxError
            sax.pointee = h
        }
        let rc = withExtendedLifetime(self) { xmlParseDocument(ctxt) }
        let wellFormed = ctxt.pointee.wellFormed == 1
        let errNo = ctxt.pointee.errNo

        if !ownErrors.isEmpty { return .failure(XMLParseError(ownErrors + libErrors.prefix(3))) }
        if doctypeSeen {
            return .failure(XMLParseError([doctypeDiagnostic(line: 1)]))
        }
        if !libErrors.isEmpty || rc != 0 || !wellFormed || errNo != 0 {
            let ds = libErrors.isEmpty
                ? [Diagnostic.error("xml.malformed", "the document is not well-formed XML (libxml2 error \(errNo))", at: SourceLocation(file: file))]
                : Array(libErrors.prefix(5))
            return .failure(XMLParseError(ds))
        }
        guard let root, stack.isEmpty else {
            return .failure(XMLParseError([.error("xml.malformed", "the document has no root element", at: SourceLocation(file: file), hint: "expected an XML e-invoice")]))
        }
        return .success(XDocument(root: root, file: file, warnings: warnings))
    }

    func doctypeDiagnostic(line: Int) -> Diagnostic {
        .error("xml.doctype", "the document has a DOCTYPE declaration; Saldo refuses DTDs in invoices (they enable entity expansion and external loads)",
               at: SourceLocation(file: file, line: line),
               hint: "no e-invoice format uses a DTD: remove the <!DOCTYPE …> declaration, or ask the sender for a clean export")
    }

    func start(_ localname: UnsafePointer<xmlChar>?, _ uri: UnsafePointer<xmlChar>?, _ nAttr: Int32, _ attrs: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
        if !ownErrors.isEmpty { return }
        if stack.count >= limits.maxDepth {
            stop(.error("xml.depth", "elements are nested deeper than \(limits.maxDepth) levels",
                        at: SourceLocation(file: file, line: line), hint: "e-invoices are less than 15 levels deep; this file is not an invoice or is hostile"))
            return
        }
        elementCount += 1
        if elementCount > limits.maxElements {
            stop(.error("xml.size", "the document has more than \(limits.maxElements) elements", at: SourceLocation(file: file, line: line)))
            return
        }
        var attributes: [XAttribute] = []
        if nAttr > 0, let attrs {
            attributes.reserveCapacity(Int(nAttr))
            for i in 0..<Int(nAttr) {
                let b = i * 5
                guard let vs = attrs[b + 3], let ve = attrs[b + 4] else { continue }
                let len = ve - vs
                if len > limits.maxAttributeBytes {
                    let an = intern(attrs[b])
                    stop(.error("xml.attribute", "attribute \(an) is \(len) bytes long, more than the \(limits.maxAttributeBytes) accepted",
                                at: SourceLocation(file: file, line: line, field: an), hint: "no invoice field needs such a long attribute"))
                    return
                }
                var value = String(decoding: UnsafeBufferPointer(start: vs, count: max(0, len)), as: UTF8.self)
                // Without entity substitution libxml2 hands a decoded `&` over as `&#38;` (a literal `&`
                // cannot occur in an attribute value, and DOCTYPEs are refused, so this is the only escape).
                if value.utf8.contains(UInt8(ascii: "&")) { value = value.replacingOccurrences(of: "&#38;", with: "&") }
                attributes.append(XAttribute(name: intern(attrs[b]), namespace: intern(attrs[b + 2]), value: value))
            }
        }
        let ns = intern(uri)
        if ns == "http://www.w3.org/2001/XInclude" && warnings.isEmpty {
            warnings.append(.warning("xml.xinclude", "the document contains an XInclude element; Saldo never processes XInclude and ignores it",
                                     at: SourceLocation(file: file, line: line), hint: "e-invoices do not use XInclude; the included content was not read"))
        }
        stack.append(Open(name: intern(localname), namespace: ns, attributes: attributes, text: [], children: [], line: line))
    }

    func end() {
        if !ownErrors.isEmpty { return }
        guard let o = stack.popLast() else { return }
        let e = XElement(name: o.name, namespace: o.namespace, attributes: o.attributes,
                         text: o.text.allSatisfy(isXMLSpace) ? "" : String(decoding: o.text, as: UTF8.self), children: o.children, line: o.line)
        if stack.isEmpty { root = e } else { stack[stack.count - 1].children.append(e) }
    }

    func characters(_ ch: UnsafePointer<xmlChar>?, _ len: Int32) {
        if !ownErrors.isEmpty { return }
        guard let ch, len > 0, !stack.isEmpty else { return }
        let i = stack.count - 1
        if stack[i].text.count + Int(len) > limits.maxTextBytes {
            stop(.error("xml.text", "the text of <\(stack[i].name)> is longer than \(limits.maxTextBytes) bytes", at: SourceLocation(file: file, line: line)))
            return
        }
        stack[i].text.append(contentsOf: UnsafeBufferPointer(start: ch, count: Int(len)))
    }

    func doctype(_ name: UnsafePointer<xmlChar>?) {
        doctypeSeen = true
        stop(doctypeDiagnostic(line: line))
    }

    func libError(_ e: UnsafePointer<xmlError>) {
        guard libErrors.count < 10, let c = LibXMLError.classify(e.pointee) else { return }
        let code: String, hint: String
        switch c.kind {
        case .encoding:
            code = "xml.encoding"
            hint = "the file is not valid UTF-8 (or UTF-16 with a byte order mark); re-export it as UTF-8 — Saldo does not guess Latin-1"
        case .entity:
            code = "xml.entity"
            hint = "e-invoices use only the predefined entities (&amp; &lt; &gt; &quot; &apos;) and character references"
        case .depth:
            code = "xml.depth"
            hint = "e-invoices are less than 15 levels deep"
        case .truncated, .malformed:
            code = "xml.malformed"
            hint = "the file is not well-formed XML; check that it is complete and is the invoice itself"
        }
        // Saldo's sentence for the kind of error, libxml2's own words kept as a detail (`diag.<code>.lib…`,
        // so the sentence reads in the reader's language).
        let key: String
        switch c.kind {
        case .encoding: key = "diag.xml.encoding.lib"
        case .entity: key = "diag.xml.entity.lib"
        case .depth: key = "diag.xml.depth.lib"
        case .truncated: key = "diag.xml.malformed.lib_truncated"
        case .malformed: key = "diag.xml.malformed.lib"
        }
        libErrors.append(Diagnostic(e.pointee.level == XML_ERR_WARNING ? .warning : .error, code: code, LocalizedText(key, ["detail": c.message]).english,
                                    at: SourceLocation(file: file, line: c.line, column: c.column), hint: hint, arguments: ["detail": c.message]))
    }
}

/// Indentation between elements is the bulk of all text; it is dropped without building a String.
@inline(__always) private func isXMLSpace(_ b: UInt8) -> Bool { b == 32 || b == 10 || b == 9 || b == 13 }

private extension UInt32 { var toInt32: Int32 { Int32(truncatingIfNeeded: self) } }

private func builder(_ ctx: UnsafeMutableRawPointer?) -> TreeBuilder? {
    guard let ctx else { return nil }
    return Unmanaged<TreeBuilder>.fromOpaque(ctx).takeUnretainedValue()
}

private func saxStartElement(_ ctx: UnsafeMutableRawPointer?, _ localname: UnsafePointer<xmlChar>?, _ prefix: UnsafePointer<xmlChar>?,
                             _ uri: UnsafePointer<xmlChar>?, _ nNs: Int32, _ ns: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?,
                             _ nAttr: Int32, _ nDefaulted: Int32, _ attrs: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
    builder(ctx)?.start(localname, uri, nAttr, attrs)
}

private func saxEndElement(_ ctx: UnsafeMutableRawPointer?, _ localname: UnsafePointer<xmlChar>?, _ prefix: UnsafePointer<xmlChar>?, _ uri: UnsafePointer<xmlChar>?) {
    builder(ctx)?.end()
}

private func saxCharacters(_ ctx: UnsafeMutableRawPointer?, _ ch: UnsafePointer<xmlChar>?, _ len: Int32) {
    builder(ctx)?.characters(ch, len)
}

private func saxDoctype(_ ctx: UnsafeMutableRawPointer?, _ name: UnsafePointer<xmlChar>?, _ externalID: UnsafePointer<xmlChar>?, _ systemID: UnsafePointer<xmlChar>?) {
    builder(ctx)?.doctype(name)
}

private func saxError(_ ctx: UnsafeMutableRawPointer?, _ error: xmlErrorPtr?) {
    guard let error else { return }
    builder(ctx)?.libError(error)
}

extension SafeXML {
    /// libxml2 initialised and the deny-all entity loader installed (for the streaming parser).
    static var ready: Bool { libxml2Ready }
}
