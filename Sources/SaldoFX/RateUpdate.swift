import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SaldoCore
import SaldoZip
import SaldoXML

/// What a conditional download asks for.
public struct RateDownloadRequest: Sendable, Equatable {
    public var url: URL
    /// The `ETag` and `Last-Modified` of the last download of the same URL, sent back as
    /// `If-None-Match` and `If-Modified-Since`.
    public var validators: RateValidators?
    public var timeout: TimeInterval
    public init(url: URL, validators: RateValidators? = nil, timeout: TimeInterval = 30) {
        self.url = url; self.validators = validators; self.timeout = timeout
    }
}

/// How a download ended.
public enum RateDownloadResponse: Sendable, Equatable {
    /// A 2xx answer with its body and the validators to remember.
    case body(Data, etag: String?, lastModified: String?, contentType: String?)
    /// 304: nothing changed since the validators were given.
    case notModified
    /// Another status (404, 500…).
    case status(Int)
    /// No answer within the timeout.
    case timedOut
    /// No connection (no network, DNS failure, connection refused), with the system's reason.
    case offline(String)
}

/// The HTTP client behind `saldo rates update`, a protocol so that tests can stand in for it.
public protocol RateFetcher: Sendable {
    func fetch(_ request: RateDownloadRequest) -> RateDownloadResponse
}

/// Foundation's `URLSession` (FoundationNetworking on Linux): an ephemeral session (no cookies, no
/// cache: the conditional headers Saldo sets are the only ones), one request at a time.
public struct URLSessionRateFetcher: RateFetcher {
    public init() {}

    final class Box: @unchecked Sendable {
        var response: RateDownloadResponse = .offline("no answer")
    }

    public func fetch(_ request: RateDownloadRequest) -> RateDownloadResponse {
        let config = URLSessionConfiguration.ephemeral
        config.requestCachePolicy = .reloadIgnoringLocalCacheData
        config.urlCache = nil
        config.timeoutIntervalForRequest = request.timeout
        config.timeoutIntervalForResource = request.timeout
        let session = URLSession(configuration: config)
        defer { session.finishTasksAndInvalidate() }
        var r = URLRequest(url: request.url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: request.timeout)
        r.setValue("saldo (exchange rates; https://github.com/)", forHTTPHeaderField: "User-Agent")
        if let e = request.validators?.etag { r.setValue(e, forHTTPHeaderField: "If-None-Match") }
        if let m = request.validators?.lastModified { r.setValue(m, forHTTPHeaderField: "If-Modified-Since") }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        let task = session.dataTask(with: r) { data, response, error in
            defer { done.signal() }
            if let error = error as? URLError {
                box.response = error.code == .timedOut ? .timedOut : .offline(error.localizedDescription)
                return
            }
            if let error { box.response = .offline("\(error)"); return }
            guard let http = response as? HTTPURLResponse else { box.response = .offline("no HTTP answer"); return }
            switch http.statusCode {
            case 304: box.response = .notModified
            case 200..<300:
                box.response = .body(data ?? Data(), etag: http.value(forHTTPHeaderField: "ETag"),
                                     lastModified: http.value(forHTTPHeaderField: "Last-Modified"),
                                     contentType: http.value(forHTTPHeaderField: "Content-Type"))
            default: box.response = .status(http.statusCode)
            }
        }
        task.resume()
        // The session's own timeout ends the task; this wait is only a backstop.
        if done.wait(timeout: .now() + request.timeout + 5) == .timedOut {
            task.cancel()
            return .timedOut
        }
        return box.response
    }
}

/// What to send back on the next download of the same URL.
public struct RateValidators: Sendable, Equatable, Codable {
    public var url: String
    public var etag: String?
    public var lastModified: String?
    public init(url: String, etag: String?, lastModified: String?) { self.url = url; self.etag = etag; self.lastModified = lastModified }

    /// As stored in the ledger's settings (one JSON object).
    public var stored: String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return (try? String(decoding: e.encode(self), as: UTF8.self)) ?? "{}"
    }
    public init?(stored: String?) {
        guard let s = stored, let v = try? JSONDecoder().decode(RateValidators.self, from: Data(s.utf8)) else { return nil }
        self = v
    }
}

/// Downloading the ECB's current rates: which file, checking it before anything is stored, and
/// what to tell the user. Storing is the caller's (one database transaction with the validators).
public enum ECBUpdate {
    /// The ledger setting that keeps the last download's validators.
    public static let validatorsSetting = "rates.ecb.validators"
    /// The environment variable that overrides the URL (tests point it at loopback).
    public static let urlEnvironmentVariable = "SALDO_ECB_URL"
    /// The last 90 days, about 50 KB.
    public static let recentURL = URL(string: "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist-90d.xml")!
    /// The whole history since 1999, zipped, about 600 KB.
    public static let historyURL = URL(string: "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip")!
    public static let defaultTimeout: TimeInterval = 30

    /// The 90-day file when it reaches back to the newest rate Saldo has (with a margin), else the
    /// whole history.
    public static func defaultURL(newestKnown: Day?, today: Day) -> URL {
        guard let n = newestKnown, today.ordinal - n.ordinal <= 80 else { return historyURL }
        return recentURL
    }

    /// HTTPS only, except for this machine (127.0.0.1, ::1, localhost), which tests use.
    public static func checkURL(_ url: URL) -> Diagnostic? {
        let scheme = url.scheme?.lowercased() ?? ""
        let host = url.host?.lowercased() ?? ""
        if scheme == "https" && !host.isEmpty { return nil }
        if scheme == "http" && ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host) { return nil }
        return .error("fx.update.url", "expected an https:// address for the rate file, found \"\(url.absoluteString)\"",
                      hint: "rates are only downloaded over HTTPS; give the ECB's address or leave it out")
    }

    /// How one update ended.
    public enum Outcome: Sendable, Equatable {
        /// New content, checked: store `rates` and `validators` together.
        case downloaded(rates: [ExchangeRate], validators: RateValidators, skippedCurrencies: [String])
        /// 304: the file has not changed since the last download.
        case upToDate
        /// No connection or no answer in time: nothing changes.
        case offline(reason: String)
        /// The server answered, but not with a usable rate file: nothing is stored.
        case refused([Diagnostic])
    }

    /// Downloads `url` (conditionally when `validators` are for the same URL) and checks the content.
    public static func run(url: URL, validators: RateValidators?, fetcher: some RateFetcher,
                           timeout: TimeInterval = defaultTimeout, today: Day) -> Outcome {
        if let bad = checkURL(url) { return .refused([bad]) }
        let sameURL = validators.flatMap { $0.url == url.absoluteString ? $0 : nil }
        let file = url.lastPathComponent.isEmpty ? url.absoluteString : url.lastPathComponent
        switch fetcher.fetch(RateDownloadRequest(url: url, validators: sameURL, timeout: timeout)) {
        case .notModified:
            return .upToDate
        case .timedOut:
            return .offline(reason: "no answer from \(url.host ?? url.absoluteString) within \(Int(timeout)) seconds")
        case .offline(let why):
            return .offline(reason: why)
        case .status(let s):
            return .refused([.error("fx.update.status", "expected the rate file from \(url.absoluteString), found HTTP status \(s)",
                                    at: SourceLocation(file: file),
                                    hint: s >= 500 ? "the server has a problem; try again later" : "check the address of the rate file")])
        case .body(let data, let etag, let lastModified, let contentType):
            switch check(data, contentType: contentType, file: file, today: today) {
            case .success(let (rates, skipped)):
                return .downloaded(rates: rates, validators: RateValidators(url: url.absoluteString, etag: etag, lastModified: lastModified), skippedCurrencies: skipped)
            case .failure(let e):
                return .refused(e.diagnostics)
            }
        }
    }

    /// The content checks before anything is stored: an ECB rate file (XML, or the zipped CSV
    /// history) read by the same safe readers as an import, whole (a file cut short is not
    /// well-formed), every date between 1999-01-04 and tomorrow, every rate above zero.
    public static func check(_ data: Data, contentType: String?, file: String, today: Day) -> Result<([ExchangeRate], [String]), DiagnosticsError> {
        let at = SourceLocation(file: file)
        if data.isEmpty {
            return .failure(DiagnosticsError([.error("fx.update.empty", "expected an ECB rate file, found an empty answer", at: at, hint: "try again later")]))
        }
        let head = String(decoding: data.prefix(512), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        if (contentType?.lowercased().contains("text/html") ?? false) || head.hasPrefix("<!doctype html") || head.hasPrefix("<html") {
            return .failure(DiagnosticsError([.error("fx.update.not-rates", "expected an ECB rate file, found a web page (HTML)", at: at,
                                                     hint: "the address may be wrong, or a network login page answered; check the address or the connection")]))
        }
        var rates: [ExchangeRate] = []
        var skipped: [String] = []
        if ZipReader.looksLikeZip(data) {
            let r = RateFileReader.read(data, file: file)
            if !r.contents.errors.isEmpty { return .failure(DiagnosticsError(truncationNote(r.contents.errors, file))) }
            rates = r.contents.rates
            for x in r.xmlEntries {
                do {
                    let (xr, s) = try ECBXMLReader.readSkipping(SafeXMLBytes.parse(x.data, file: "\(file)!\(x.name)"))
                    rates += xr.map(\.exchangeRate); skipped += s
                } catch { return .failure(DiagnosticsError(truncationNote(error.diagnostics, file))) }
            }
        } else if head.hasPrefix("<") {
            do {
                let (xr, s) = try ECBXMLReader.readSkipping(SafeXMLBytes.parse(data, file: file))
                rates = xr.map(\.exchangeRate); skipped = s
            } catch { return .failure(DiagnosticsError(truncationNote(error.diagnostics, file))) }
        } else {
            return .failure(DiagnosticsError([.error("fx.update.not-rates", "expected an ECB rate file (XML or zip), found \"\(String(head.prefix(40)))\"", at: at,
                                                     hint: "check the address of the rate file")]))
        }
        if rates.isEmpty {
            return .failure(DiagnosticsError([.error("fx.update.empty", "expected exchange rates in the ECB file, found none", at: at, hint: "try again later")]))
        }
        var problems: [Diagnostic] = []
        let latest = today.adding(days: 1)
        for r in rates where r.date < BundledECBRates.firstDay || r.date > latest {
            problems.append(.error("fx.update.date", "expected rates dated from \(BundledECBRates.firstDay) to \(latest), found one for \(r.quote) dated \(r.date)", at: at,
                                   hint: "the file or this computer's clock is wrong; check the date"))
            break
        }
        for r in rates where r.rate.significand <= 0 {
            problems.append(.error("fx.update.rate", "expected rates above zero, found \(r.rate) for \(r.quote) on \(r.date)", at: at, hint: "try again later"))
            break
        }
        if !problems.isEmpty { return .failure(DiagnosticsError(problems)) }
        return .success((rates, skipped))
    }

    /// The reader's diagnostics, led by one saying plainly that the download is not a whole rate file.
    static func truncationNote(_ d: [Diagnostic], _ file: String) -> [Diagnostic] {
        [.error("fx.update.incomplete", "expected a whole ECB rate file, found one that cannot be read (cut short or damaged); nothing was stored",
                at: SourceLocation(file: file), hint: "try again later; the rates Saldo has are unchanged")] + d
    }

    /// One line for the user, in domain words (the caller adds commands): English, made from the
    /// `error.rates_update.*` templates so a front end shows it in its language.
    public static func summary(_ outcome: Outcome, newestKnown: Day?, added: Int = 0) -> String {
        // `…_none` when Saldo has no rate yet.
        func said(_ key: String, _ arguments: [String: String] = [:]) -> String {
            var arguments = arguments
            if let n = newestKnown { arguments["newest_date"] = n.description }
            return LocalizedText("error.rates_update." + key + (newestKnown == nil ? "_none" : ""), arguments).english
        }
        switch outcome {
        case .downloaded(let rates, _, _):
            let days = Set(rates.map(\.date))
            guard let first = days.min(), let last = days.max() else {
                return LocalizedText("error.rates_update.downloaded_nothing", ["count": String(rates.count), "days": "0", "added": String(added)]).english
            }
            return LocalizedText("error.rates_update.downloaded", ["count": String(rates.count), "days": String(days.count),
                                                                   "first_date": first.description, "last_date": last.description, "added": String(added)]).english
        case .upToDate:
            return said("up_to_date")
        case .offline(let why):
            return said("offline", ["detail": why])
        case .refused:
            return said("refused")
        }
    }
}

extension ECBRate {
    /// As a ledger rate, `EUR→currency` from the ECB.
    public var exchangeRate: ExchangeRate { ExchangeRate(date: date, base: .EUR, quote: currency, rate: perEUR, source: ecbSourceName) }
}

/// Parsing bytes with the ECB reader's limits, errors as diagnostics.
enum SafeXMLBytes {
    static func parse(_ data: Data, file: String) throws(DiagnosticsError) -> XDocument {
        do { return try SafeXML.parse(data, file: file, limits: ECBXMLReader.limits) } catch { throw DiagnosticsError(error.diagnostics) }
    }
}
