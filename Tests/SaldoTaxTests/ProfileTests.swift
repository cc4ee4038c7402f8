import Foundation
import SaldoCore
import Testing
@testable import SaldoTax

/// Profiles ask each jurisdiction for its own keys only; regions are codes, found by name.
@Suite struct ProfileTests {
    func decode(_ json: String) throws -> TaxProfile { try JSONDecoder().decode(TaxProfile.self, from: Data(json.utf8)) }

    @Test func minimalProfilesOfEachJurisdiction() throws {
        let us = try decode(#"{"jurisdiction": "us", "filing_status": "JOINT"}"#)
        #expect(us.filingStatus == .joint && !us.newFreelancer && us.clients.isEmpty)
        #expect(us.nonDeductibleAccounts == TaxProfile.defaultNonDeductible && us.socialSecurityAccounts == ["expenses:social-security"])
        let es = try decode(#"{"jurisdiction": "es", "new_freelancer": true}"#)
        #expect(es.newFreelancer && es.activityClass == .profesional && es.priorYear == PriorYearFigures())
        let gb = try decode(#"{"jurisdiction": "gb", "region": "GB-SCT", "prior_year": {"self_assessment_liability": "6000.00 GBP"}}"#)
        let sixThousand = try L.money("6000.00", .GBP)
        #expect(gb.region == "GB-SCT")
        #expect(gb.priorYear.selfAssessmentLiability == sixThousand)
        // Each computes.
        let us2025 = try USTax.year(netProfit: try L.money("50000.00", .USD), profile: try decode(#"{"jurisdiction": "us", "filing_status": "SINGLE"}"#), rules: try L.rules("us-2025.json"))
        #expect(us2025.total_tax.s == "9775.17")   // tax-rules.md US-1
        let uk = try UKTax.year(turnover: try L.money("41500.00", .GBP), expenses: try L.money("1500.00", .GBP), profile: gb, rules: try L.rules("gb-2025-26.json"))
        #expect(uk.income_tax.s == "5582.82")      // tax-rules.md UK-3
    }

    @Test func eachJurisdictionRequiresOnlyItsOwnKeys() throws {
        func missingKey(_ json: String) -> String? {
            do { _ = try decode(json); return nil } catch DecodingError.keyNotFound(let k, _) { return k.stringValue } catch { return "\(error)" }
        }
        #expect(missingKey(#"{"jurisdiction": "us"}"#) == "filing_status")
        #expect(missingKey(#"{"jurisdiction": "es"}"#) == "new_freelancer")
        #expect(missingKey(#"{"jurisdiction": "gb"}"#) == nil)
        #expect(missingKey(#"{"filing_status": "SINGLE"}"#) == "jurisdiction")
        // A full profile still round-trips.
        let full = TaxProfile(jurisdiction: .es, region: "ES-MD", activityStart: try L.day("2024-03-01"), newFreelancer: true,
                              clients: ["Prolific": ClientTaxInfo(country: "GB")])
        #expect(try decode(String(decoding: try JSONEncoder().encode(full), as: UTF8.self)) == full)
    }

    @Test func regionsByNameOrCode() {
        #expect(TaxRegion.code(for: "scotland") == "GB-SCT")
        #expect(TaxRegion.code(for: " Scotland ") == "GB-SCT")
        #expect(TaxRegion.code(for: "gb-sct") == "GB-SCT")
        #expect(TaxRegion.code(for: "Comunidad de Madrid") == "ES-MD")
        #expect(TaxRegion.code(for: "Cataluña") == "ES-CT")
        #expect(TaxRegion.code(for: "catalonia") == "ES-CT")
        #expect(TaxRegion.code(for: "País Vasco") == "ES-PV")
        #expect(TaxRegion.code(for: "highlands") == nil)
        #expect(TaxRegion.code(for: "scot") == nil)
        #expect(Set(TaxRegion.entries.map(\.code)).count == TaxRegion.entries.count)
    }

    @Test func theCallersNotesAreInEveryResult() throws {
        let txs = [try L.earning("2025-03-10", "50000.00", .USD)]
        let inputs = TaxInputs(transactions: txs, convert: L.identity, profile: TaxProfile(jurisdiction: .us),
                               today: try L.day("2025-12-31"), notes: ["Estimated without the income forecast: because."])
        #expect(try TaxEngine.summary(inputs, year: 2025).notes.contains("Estimated without the income forecast: because."))
        #expect(try TaxEngine.calendar(inputs).notes.contains("Estimated without the income forecast: because."))
        #expect(try TaxEngine.setAside(inputs, year: 2025).notes.contains("Estimated without the income forecast: because."))
    }
}
