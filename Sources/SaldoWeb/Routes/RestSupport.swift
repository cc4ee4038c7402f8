import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SaldoApp
import SaldoCore
import SaldoStore

/// What the Invoices, Forecast, Tax and Settings routes share: JSON bodies read with positions,
/// query values turned into problems that name the parameter, "not found" as 404.
enum RestSupport {
    /// The request's JSON object, members in order. Problems: not JSON (with line and column),
    /// not an object, not sent as `application/json`.
    static func jsonObject(_ request: Request, _ context: WebContext) async throws -> [JSONMember] {
        let type = request.headers[.contentType] ?? ""
        guard type.lowercased().hasPrefix("application/json") else {
            throw Problem(.unsupportedMediaType, code: "bad-content-type", title: "Unsupported media type",
                          detail: "the request body must be JSON (Content-Type: application/json), found \"\(type.isEmpty ? "no type" : type)\"")
        }
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: context.maxUploadSize) } catch is NIOTooManyBytesError {
            throw Problem(.contentTooLarge, code: "too-large", title: "Too large",
                          detail: "the request body is larger than the \(context.maxUploadSize / 1024) KB a JSON request may be")
        }
        let bytes = Array(buffer.readableBytesView)
        let value: JSONValue
        do { value = try JSONParser.parse(bytes).value } catch {
            throw Problem.badRequest("bad-json", "the request body is not JSON: line \(error.line), column \(error.column): \(error.message)",
                                     hint: "see /api/v1/openapi.json for the shape of each request")
        }
        guard case .object(let members) = value else {
            throw Problem.badRequest("bad-json", "the request body must be a JSON object, found \(value.foundDescription)",
                                     hint: "see /api/v1/openapi.json for the shape of each request")
        }
        return members
    }

    /// Refuses members other than `known`, naming the first unknown one.
    static func onlyKnown(_ members: [JSONMember], _ known: [String]) throws {
        if let m = members.first(where: { !known.contains($0.key) }) {
            throw Problem.badRequest("unknown-field", "\(m.key): not a field of this request; expected \(known.joined(separator: ", "))")
        }
    }

    static func string(_ members: [JSONMember], _ key: String, required: Bool = false) throws -> String? {
        guard let m = members.last(where: { $0.key == key }), m.value != .null else {
            if required { throw Problem.badRequest("missing-field", "\(key): missing; it is required") }
            return nil
        }
        guard case .string(let s) = m.value else {
            throw Problem.badRequest("bad-field", "\(key): expected a string, found \(m.value.foundDescription)")
        }
        if required && s.trimmingCharacters(in: .whitespaces).isEmpty { throw Problem.badRequest("missing-field", "\(key): empty; it is required") }
        return s
    }

    /// A whole number given as a JSON number or a string of digits.
    static func id(_ members: [JSONMember], _ key: String, required: Bool) throws -> Int64? {
        guard let m = members.last(where: { $0.key == key }), m.value != .null else {
            if required { throw Problem.badRequest("missing-field", "\(key): missing; it is required") }
            return nil
        }
        let text: String
        switch m.value {
        case .number(let n): text = n
        case .string(let s): text = s.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "#", with: "")
        default: throw Problem.badRequest("bad-field", "\(key): expected a transaction id (a whole number), found \(m.value.foundDescription)")
        }
        guard let n = Int64(text), n > 0 else {
            throw Problem.badRequest("bad-field", "\(key): expected a transaction id (a whole number), found \(text)")
        }
        return n
    }

    /// Runs `body`, turning what the use case reports about a bad query value into a 400 that
    /// names the parameter, and "no such invoice/transaction" into a 404.
    static func parameter<T>(_ name: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as UserError {
            throw Problem.badRequest("bad-parameter", "\(name): \(e.message)", hint: e.hint)
        }
    }

    static func notFoundAs404<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let e as StoreError {
            if case .notFound(let message) = e { throw Problem.notFound(message) }
            if case .invalid(let message) = e { throw Problem(.unprocessableContent, code: "ambiguous", title: "Cannot do that", detail: message) }
            throw e
        }
    }

    /// Catalog words as the templates read them (`web.x.y` → `web_x_y`) are added by the renderer;
    /// this gives one word for code (labels built in Swift).
    static func word(_ context: WebContext, _ key: String) -> String { Catalog.shipped(context.language).text(key) }

    /// A query string from name/value pairs, percent-encoded.
    static func query(_ items: [(String, String)]) -> String {
        items.filter { !$0.1.isEmpty }.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
    }

    static func encode(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? s
    }
}

extension RestSupport {
    /// A fresh folder only this user can read (0700), under `given` or the temporary folder, with a
    /// random name (never an existing one): the caller deletes it when done.
    static func privateFolder(_ given: String?) throws -> URL {
        let parent = given.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? FileManager.default.temporaryDirectory
        let url = parent.appendingPathComponent("saldo-upload-\(UUID().uuidString)", isDirectory: true)
        // The same private folders as every file Saldo writes (0700, each missing parent too).
        do { try PrivateFiles.createFolder(url.path) } catch {
            throw Problem(.internalServerError, code: "upload", title: "Cannot store the upload", detail: "the private upload folder cannot be made")
        }
        return url
    }
}
