import Foundation
import SaldoCore
import SaldoTestSupport
import Testing

/// Every catalog key the sources ask for exists (a typo would show the key itself to the user),
/// and every key built from an enum exists for each of its cases.
@Suite struct CatalogKeysUsedTests {
    /// `L("key"`, `.plural("key"`, `L.text("key"`, `catalog("key"`, `.text("key"`, `Console.catalog.text("key"`.
    static func keys(in source: String) -> [(key: String, plural: Bool)] {
        var out: [(String, Bool)] = []
        let patterns = [("L(\"", false), ("L.text(\"", false), ("catalog(\"", false), ("catalog.text(\"", false),
                        ("RenderContext.catalog(\"", false), (".plural(\"", true)]
        for (prefix, plural) in patterns {
            var rest = Substring(source)
            while let r = rest.range(of: prefix) {
                let after = rest[r.upperBound...]
                guard let end = after.firstIndex(of: "\"") else { break }
                let key = String(after[..<end])
                if !key.contains("\\(") && key.contains(".") && !key.contains(" ") { out.append((key, plural)) }
                rest = after[end...]
            }
        }
        return out
    }

    @Test func everyKeyTheSourcesUseExists() throws {
        let english = try Catalog.loadEntries(.en)
        var checked = 0
        for target in ["Sources/SaldoReports", "Sources/SaldoCLI", "Sources/SaldoApp"] {
            let dir = Fixtures.root.appendingPathComponent(target)
            let files = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
            for url in files {
                for (key, plural) in Self.keys(in: try String(contentsOf: url, encoding: .utf8)) {
                    checked += 1
                    if plural {
                        #expect(english[key + ".one"] != nil && english[key + ".other"] != nil, "\(url.lastPathComponent): plural \(key) is not in the catalog")
                    } else {
                        #expect(english[key] != nil, "\(url.lastPathComponent): \(key) is not in the catalog")
                    }
                }
            }
        }
        #expect(checked > 150, "only \(checked) keys found: the scan is broken")
    }

    @Test func keysBuiltFromEnumsExistForEveryCase() throws {
        let english = try Catalog.loadEntries(.en)
        for kind in InvoiceKind.allCases { #expect(english["invoice.kind.\(kind.rawValue)"] != nil, "\(kind)") }
        for status in InvoiceStatus.allCases { #expect(english["invoice.status.\(status.rawValue)"] != nil, "\(status)") }
        for group in ["platform", "client", "currency", "account"] {
            #expect(english["report.group.title.\(group)"] != nil && english["report.group.noun.\(group)"] != nil, "\(group)")
        }
    }

    @Test func theScanFindsKeysAndSkipsBuiltOnes() {
        let found = Self.keys(in: #"x = L("report.monthly.title"); y = L.plural("import.summary.new", count: 1); z = L("invoice.kind.\(k)")"#)
        #expect(found.map(\.key) == ["report.monthly.title", "import.summary.new"])
        #expect(found.map(\.plural) == [false, true])
    }
}
