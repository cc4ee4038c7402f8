import Foundation
import SaldoCore
import SaldoTestSupport
import Testing
@testable import SaldoTax

@Suite struct RuleFileTests {
    func schema() throws -> MiniSchema {
        let data = try #require(TaxRules.builtInData("schema.json"))
        return MiniSchema(root: try JSONParser.parse(Array(data)).value)
    }

    @Test func shippedFilesLoad() throws {
        let files = try TaxRules.builtIn()
        #expect(files.map(\.id) == ["es-2025", "es-2026", "gb-2025-26", "gb-2026-27", "us-2025", "us-2026"])
        let gb = try TaxRules.builtIn(.gb, year: 2026)
        #expect(gb.start.description == "2026-04-06" && gb.end.description == "2027-04-05" && gb.currency == .GBP)
        #expect(throws: RuleFileError.self) { try TaxRules.builtIn(.es, year: 2019) }
    }

    @Test func shippedFilesValidateAgainstTheSchema() throws {
        let s = try schema()
        for name in TaxRules.builtInFileNames {
            let data = try #require(TaxRules.builtInData(name))
            let errors = s.validate(try JSONParser.parse(Array(data)).value)
            #expect(errors.isEmpty, "\(name): \(errors.prefix(5))")
        }
    }

    @Test func schemaAlsoRejectsMalformedFiles() throws {
        let s = try schema()
        for name in ["bad-rate-true", "bad-rate-number", "bad-rate-percent", "bad-unknown-kind", "bad-verification", "bad-unknown-key", "bad-missing-status"] {
            let errors = s.validate(try JSONParser.parse(Array(Fixtures.data("tax/\(name).json"))).value)
            #expect(!errors.isEmpty, "\(name) passed the schema")
        }
    }

    @Test func everySourceIdIsInTheRegistry() throws {
        let reg = try JSONParser.parse(Array(#require(TaxRules.builtInData("sources.json")))).value
        guard case .object(let sources)? = reg["sources"] else { Issue.record("sources.json has no sources"); return }
        let known = Set(sources.map(\.key))
        for f in try TaxRules.builtIn() {
            for r in f.rules.values {
                for id in r.sources { #expect(known.contains(id), "\(f.fileName) \(r.id): unknown source \(id)") }
            }
        }
    }

    @Test func unconfirmedFiguresAreFlaggedNeverHidden() throws {
        // Every shipped rule that is not confirmed from an official source says so when used.
        let es26 = try TaxRules.builtIn(.es, year: 2026)
        var reader = RuleReader(es26)
        _ = try reader.rule("ss.reta")
        _ = try reader.rule("irpf.state_scale")
        let flags = reader.flags()
        #expect(flags.first { $0.rule == "ss.reta" }?.points.contains { $0.contains("RDL 16/2025") } == true)
        // The whole 2026 file is provisional, so even the state scale (official in 2025) is flagged.
        #expect(flags.contains { $0.rule == "irpf.state_scale" && $0.status == "provisional" })
        let es25 = try TaxRules.builtIn(.es, year: 2025)
        var r25 = RuleReader(es25)
        _ = try r25.rule("irpf.state_scale")
        #expect(r25.flags().isEmpty)
    }

    @Test func enactedRulesAreNeverUnconfirmed() throws {
        // A rule whose figures are unconfirmed must not present itself as enacted law.
        for f in try TaxRules.builtIn() {
            for id in f.ruleOrder {
                guard let r = f.rules[id] else { continue }
                let status = r.status ?? f.status
                #expect(!(status == .enacted && r.verification == .unconfirmed), "\(f.fileName) \(id) is enacted but unconfirmed")
            }
        }
    }

    @Test func malformedFilesGiveTheExactError() throws {
        let dir = Fixtures.url("tax")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix("bad-") && $0.hasSuffix(".json") }.sorted()
        #expect(names.count >= 14)
        for name in names {
            let expected = try Fixtures.text("tax/" + name.replacingOccurrences(of: ".json", with: ".expected.txt"))
            do {
                _ = try TaxRules.load(contentsOf: dir.appendingPathComponent(name))
                Issue.record("\(name) loaded without an error")
            } catch {
                #expect(error.description + "\n" == expected, "\(name)")
                #expect(error.diagnostic.location?.file == name)
            }
        }
    }

    @Test func errorsCarryLineAndColumn() throws {
        do {
            _ = try TaxRules.load(contentsOf: Fixtures.url("tax/bad-rate-true.json"))
            Issue.record("loaded")
        } catch {
            let d = error.diagnostic
            #expect(d.location?.line != nil && d.location?.column != nil)
            #expect(d.location?.field == "$.rules.irpf.state_scale.brackets[2].rate")
            #expect(d.description.hasPrefix("bad-rate-true.json:"))
        }
    }

    @Test func parserRefusesDuplicateKeysAndKeepsNumbersExact() throws {
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(Array("{\"a\": 1, \"a\": 2}".utf8)) }
        let (v, positions) = try JSONParser.parse(Array("[0.1000000000000000055511151231257827,\n \"\\u00e9\\ud83d\\ude00\"]".utf8))
        guard case .array(let items) = v, case .number(let n) = items[0], case .string(let t) = items[1] else {
            Issue.record("unexpected shape"); return
        }
        #expect(n == "0.1000000000000000055511151231257827")
        #expect(t == "é😀")
        // Every value's position is kept by its path.
        #expect(positions.line("$[1]") == 2 && positions.column("$[1]") == 2)
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(Array(String(repeating: "[", count: 500).utf8)) }
    }

    @Test func userRuleFileOverridesTheShippedOne() throws {
        var text = try L.ruleText("es-2026.json")
        text = text.replacingOccurrences(of: "\"rate\": \"0.20\",", with: "\"rate\": \"0.10\",")
        let mine = try TaxRules.load(data: Data(text.utf8), fileName: "my-es-2026.json")
        let txs = [try L.earning("2026-02-01", "10000.00")]
        let p = TaxProfile(jurisdiction: .es, priorYear: PriorYearFigures(netActivityIncome: try L.money("20000.00")))
        let s = try TaxEngine.summary(TaxInputs(transactions: txs, convert: L.identity, profile: p, ruleFiles: [mine], today: try L.day("2026-04-01")), year: 2026, quarter: 1)
        #expect(s.rules_file == "my-es-2026.json")
        // 10% of (10,000 − 500 GDJ) = 950.00.
        #expect(s.spain?.modelo_130[0].casilla_04.s == "950.00")
    }
}
