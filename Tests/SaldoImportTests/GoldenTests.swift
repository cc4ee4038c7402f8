import Foundation
import Testing
import SaldoCore
import SaldoTestSupport
@testable import SaldoImport

/// Every statement fixture, read and rendered as journal text, compared with its golden.
enum StatementFixtures {
    static var files: [String] {
        let base = Fixtures.url("statements")
        let e = FileManager.default.enumerator(atPath: base.path)
        var out: [String] = []
        while let f = e?.nextObject() as? String {
            if f.hasSuffix(".golden") || f.hasSuffix(".md") || f.hasSuffix(".json") || f.hasSuffix(".py") { continue }
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: base.appendingPathComponent(f).path, isDirectory: &isDir), !isDir.boolValue { out.append(f) }
        }
        return out.sorted()
    }

    static func read(_ f: String, options: ImportOptions = ImportOptions()) throws -> StatementReadResult {
        let data = try Fixtures.data("statements/" + f)
        return StatementImporter.read(data: data, fileName: (f as NSString).lastPathComponent, options: options)
    }
}

@Suite struct GoldenTests {
    @Test(arguments: StatementFixtures.files)
    func golden(_ f: String) throws {
        let r = try StatementFixtures.read(f)
        let text = JournalText.render(r)
        if let diff = Fixtures.compareGolden(text, "statements/" + f + ".golden") { Issue.record("\(diff)") }
    }
}
