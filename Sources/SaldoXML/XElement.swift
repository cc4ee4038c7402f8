import SaldoCore

/// One attribute of an element: local name, namespace URI ("" for none) and value.
public struct XAttribute: Hashable, Sendable {
    public let name: String
    public let namespace: String
    public let value: String
    public init(name: String, namespace: String = "", value: String) {
        self.name = name; self.namespace = namespace; self.value = value
    }
}

/// A light, immutable element tree produced by ``SafeXML``: what the readers walk.
///
/// `text` is the concatenation of the element's own text and CDATA children (comments and
/// processing instructions are dropped, so `1<!--x-->21.00` reads `121.00`); the text of
/// child elements is not included, and text made only of XML white space is reported as "". Names are local names; `namespace` is the namespace URI
/// ("" when the element is in no namespace). Prefixes are not kept on purpose: readers match
/// on namespace URI and local name only.
public struct XElement: Hashable, Sendable {
    public let name: String
    public let namespace: String
    public let attributes: [XAttribute]
    public let text: String
    public let children: [XElement]
    /// 1-based line of the element's start tag (as libxml2 reports it, the line where the tag ends).
    public let line: Int

    public init(name: String, namespace: String = "", attributes: [XAttribute] = [], text: String = "", children: [XElement] = [], line: Int = 0) {
        self.name = name; self.namespace = namespace; self.attributes = attributes
        self.text = text; self.children = children; self.line = line
    }

    /// The first attribute with this local name (and namespace, "" meaning no namespace).
    public func attribute(_ name: String, namespace: String = "") -> String? {
        for a in attributes where a.name == name && a.namespace == namespace { return a.value }
        return nil
    }

    /// Children with this namespace and local name, in document order.
    public func children(_ namespace: String, _ name: String) -> [XElement] {
        children.filter { $0.name == name && $0.namespace == namespace }
    }

    /// The first child with this namespace and local name.
    public func child(_ namespace: String, _ name: String) -> XElement? {
        for c in children where c.name == name && c.namespace == namespace { return c }
        return nil
    }

    /// Elements reached by following `steps` (namespace, local name) from this element,
    /// every match at every step, in document order.
    public func all(_ steps: [(String, String)]) -> [XElement] {
        var current: [XElement] = [self]
        for (ns, n) in steps {
            var next: [XElement] = []
            for e in current { for c in e.children where c.name == n && c.namespace == ns { next.append(c) } }
            current = next
            if current.isEmpty { break }
        }
        return current
    }

    /// `text` with XML white space (space, tab, CR, LF) removed at both ends.
    public var trimmedText: String { XElement.trimXMLSpace(text) }

    /// Whether the element has element children (a value leaf should have none).
    public var hasElementChildren: Bool { !children.isEmpty }

    /// `{namespace}name`, for messages.
    public var qualifiedName: String { namespace.isEmpty ? name : "{\(namespace)}\(name)" }

    /// Every element below this one (depth first, document order), this one excluded.
    public var descendants: [XElement] {
        var out: [XElement] = []
        func walk(_ e: XElement) { for c in e.children { out.append(c); walk(c) } }
        walk(self)
        return out
    }

    static func trimXMLSpace(_ s: String) -> String {
        let u = s.utf8
        guard let f = u.firstIndex(where: { !($0 == 32 || $0 == 9 || $0 == 10 || $0 == 13) }) else { return "" }
        let l = u.lastIndex(where: { !($0 == 32 || $0 == 9 || $0 == 10 || $0 == 13) }) ?? f
        return String(s[f...l])
    }
}

/// A parsed document: its root element, the name used in diagnostics, and warnings about
/// constructs that were seen and ignored (XInclude).
public struct XDocument: Hashable, Sendable {
    public let root: XElement
    public let file: String
    public let warnings: [Diagnostic]
    public init(root: XElement, file: String, warnings: [Diagnostic] = []) { self.root = root; self.file = file; self.warnings = warnings }
}
