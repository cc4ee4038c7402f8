import Foundation
@testable import SaldoTax
import SaldoCore

/// A small JSON Schema (draft 2020-12) validator for the keywords `Rules/schema.json` uses:
/// `$ref` (local), `type`, `enum`, `const`, `pattern`, `required`, `properties`, `patternProperties`,
/// `additionalProperties`, `items`, `minItems`, `maxItems`, `minProperties`, `minimum`, `oneOf`,
/// `allOf`, `if`/`then`/`else`. Annotations (`description`, `format`, `title`) are ignored.
/// Unknown keywords are reported, so the schema cannot drift beyond what this checks.
struct MiniSchema {
    let root: JSONValue
    static let known: Set<String> = ["$schema", "$id", "$defs", "$ref", "title", "description", "format", "type", "enum", "const", "pattern",
                                     "required", "properties", "patternProperties", "additionalProperties", "items", "minItems", "maxItems",
                                     "minProperties", "minimum", "oneOf", "allOf", "if", "then", "else"]

    func validate(_ v: JSONValue) -> [String] { check(v, root, "$") }

    private func resolve(_ ref: String) -> JSONValue? {
        guard ref.hasPrefix("#/") else { return nil }
        var cur: JSONValue? = root
        for part in ref.dropFirst(2).split(separator: "/") { cur = cur?[String(part)] }
        return cur
    }

    private func typeName(_ v: JSONValue) -> [String] {
        switch v {
        case .null: return ["null"]
        case .bool: return ["boolean"]
        case .number(let t): return t.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) ? ["number"] : ["integer", "number"]
        case .string: return ["string"]
        case .array: return ["array"]
        case .object: return ["object"]
        }
    }

    private func equal(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        default: return false
        }
    }

    private func check(_ v: JSONValue, _ s: JSONValue, _ path: String) -> [String] {
        if case .bool(let b) = s { return b ? [] : ["\(path): schema false"] }
        guard case .object(let kw) = s else { return ["\(path): schema is not an object"] }
        var errors: [String] = []
        for m in kw where !MiniSchema.known.contains(m.key) { errors.append("schema keyword \(m.key) not supported by the test validator") }
        if case .string(let ref)? = s["$ref"] {
            guard let target = resolve(ref) else { return ["\(path): unresolved $ref \(ref)"] }
            errors += check(v, target, path)
        }
        if let t = s["type"] {
            var allowed: [String] = []
            if case .string(let one) = t { allowed = [one] }
            if case .array(let many) = t { allowed = many.compactMap { if case .string(let x) = $0 { return x } else { return nil } } }
            if Set(allowed).isDisjoint(with: typeName(v)) { errors.append("\(path): expected type \(allowed), found \(typeName(v)[0])") }
        }
        if case .array(let options)? = s["enum"], !options.contains(where: { equal($0, v) }) {
            errors.append("\(path): not one of the enum values")
        }
        if let c = s["const"], !equal(c, v) { errors.append("\(path): not the const value") }
        if case .string(let p)? = s["pattern"], case .string(let text) = v {
            if let re = try? NSRegularExpression(pattern: p),
               re.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil {
                errors.append("\(path): \"\(text)\" does not match \(p)")
            }
        }
        if case .number(let m)? = s["minimum"], case .number(let t) = v, let a = Double(t), let b = Double(m), a < b {
            errors.append("\(path): below minimum")
        }
        if case .object(let members) = v {
            if case .array(let req)? = s["required"] {
                for r in req { if case .string(let name) = r, !members.contains(where: { $0.key == name }) { errors.append("\(path): missing \(name)") } }
            }
            if case .number(let n)? = s["minProperties"], let min = Int(n), members.count < min { errors.append("\(path): fewer than \(min) properties") }
            for m in members {
                let key = m.key, value = m.value
                var matched = false
                let p = "\(path).\(key)"
                if let ps = s["properties"]?[key] { matched = true; errors += check(value, ps, p) }
                if case .object(let pats)? = s["patternProperties"] {
                    for m in pats { let pat = m.key, ps = m.value
                        if let re = try? NSRegularExpression(pattern: pat), re.firstMatch(in: key, range: NSRange(key.startIndex..., in: key)) != nil {
                            matched = true; errors += check(value, ps, p)
                        }
                    }
                }
                if !matched, let ap = s["additionalProperties"] {
                    if case .bool(false) = ap { errors.append("\(p): additional property not allowed") } else { errors += check(value, ap, p) }
                }
            }
        }
        if case .array(let items) = v {
            if case .number(let n)? = s["minItems"], let min = Int(n), items.count < min { errors.append("\(path): fewer than \(min) items") }
            if case .number(let n)? = s["maxItems"], let max = Int(n), items.count > max { errors.append("\(path): more than \(max) items") }
            if let itemSchema = s["items"] {
                for (i, item) in items.enumerated() { errors += check(item, itemSchema, "\(path)[\(i)]") }
            }
        }
        if case .array(let all)? = s["allOf"] { for sub in all { errors += check(v, sub, path) } }
        if case .array(let one)? = s["oneOf"] {
            let passing = one.filter { check(v, $0, path).isEmpty }.count
            if passing != 1 { errors.append("\(path): matches \(passing) of the oneOf schemas, expected exactly 1") }
        }
        if let cond = s["if"] {
            if check(v, cond, path).isEmpty {
                if let t = s["then"] { errors += check(v, t, path) }
            } else if let e = s["else"] {
                errors += check(v, e, path)
            }
        }
        return errors
    }
}
