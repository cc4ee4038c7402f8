import Foundation
import HummingbirdBcrypt

/// Office passwords: bcrypt through hummingbird-auth's `HummingbirdBcrypt` (this file is the only
/// user of it). The hash string carries the algorithm and the cost (`$2b$12$…`).
///
/// bcrypt is slow on purpose (about a quarter of a second at cost 12): callers run it on their
/// own threads (the CLI's, the web app's dispatch queues), never on Swift's cooperative pool.
public enum Passwords {
    /// bcrypt reads at most 72 bytes; a longer password would verify with any tail.
    public static let maximumBytes = 72
    public static let minimumCharacters = 10

    /// Why a new password is refused, or nil when it is acceptable.
    public static func problem(_ password: String) -> String? {
        if password.count < minimumCharacters {
            return "the password has \(password.count) characters; it needs at least \(minimumCharacters)"
        }
        if password.utf8.count > maximumBytes {
            return "the password has \(password.utf8.count) bytes; bcrypt reads at most \(maximumBytes), so use a shorter one"
        }
        if password.utf8.contains(0) { return "the password contains a NUL character; leave it out" }
        return nil
    }

    /// The hash to store. `cost` between 10 and 31 (the policy's; never below 10).
    public static func hash(_ password: String, cost: UInt8) -> String {
        Bcrypt.hash(password, cost: UInt8(effectiveCost(cost)))
    }

    /// The cost a hash is made with for the policy's `cost` (clamped to 10...31).
    public static func effectiveCost(_ cost: UInt8) -> Int { Int(min(max(cost, 10), 31)) }

    /// Whether `password` matches `hash`. A password with NUL (C strings would cut it) never does.
    public static func verify(_ password: String, hash: String) -> Bool {
        guard !password.utf8.contains(0), password.utf8.count <= 4096, hash.hasPrefix("$2") else { return false }
        return Bcrypt.verify(password, hash: hash)
    }

    /// The cost a stored hash was made with (`$2b$12$…` → 12).
    public static func cost(of hash: String) -> Int? {
        let parts = hash.split(separator: "$")
        return parts.count >= 2 ? Int(parts[1]) : nil
    }
}
