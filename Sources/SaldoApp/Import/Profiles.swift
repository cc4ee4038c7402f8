import Foundation
import SaldoImport
import SaldoInvoices
import SaldoCore

/// The statement-profile use cases: list, show, and which profile reads a file and why.
public enum Profiles {
    public static func list(profilesPath: String?, environment: [String: String]) throws -> [ProfileSummary] {
        ProfileRegistry.list(userProfiles: try InputFiles.userProfiles(profilesPath, environment: environment))
    }

    /// A profile's columns, formats and rules as text.
    public static func show(_ name: String, profilesPath: String?, environment: [String: String], in catalog: Catalog = .shipped(.en)) throws -> String {
        guard let text = ProfileRegistry.show(name, userProfiles: try InputFiles.userProfiles(profilesPath, environment: environment), in: catalog) else {
            throw UserError("no profile named \"\(name)\"", hint: "the profile list shows them all")
        }
        return text
    }

    /// Which profile claims `file`, and the reasons.
    public static func check(file: String, profilesPath: String?, environment: [String: String]) throws -> ProfileCheckReport {
        let user = try InputFiles.userProfiles(profilesPath, environment: environment)
        guard let data = FileManager.default.contents(atPath: (file as NSString).expandingTildeInPath) else {
            throw UserError("\(file): cannot read the file", hint: "check the path")
        }
        // An e-invoice is read by its structure, as `saldo import` reads it, not by a statement profile.
        if data.prefix(4096).contains(UInt8(ascii: "<")) {
            let r = InvoiceReader.read(data, file: file, options: InvoiceReadOptions())
            if let format = r.format, let first = r.invoices.first {
                let name = InvoiceSpecification.displayName(first.profile, format: format)
                return ProfileCheckReport(file: file, matched: name, claimants: [name], explanation: [
                    "\(name) claims it: the document is an e-invoice (read by its structure, not by columns; an import books it)"])
            }
        }
        return ProfileRegistry.check(data: data, fileName: file, userProfiles: user)
    }
}
