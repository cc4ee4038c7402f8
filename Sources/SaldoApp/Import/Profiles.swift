import Foundation
import SaldoImport
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
        return ProfileRegistry.check(data: data, fileName: file, userProfiles: user)
    }
}
