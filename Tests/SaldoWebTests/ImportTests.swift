import Dispatch
import Foundation
import Testing
import SaldoApp
import SaldoCore
import SaldoStore
import SaldoTestSupport
@testable import SaldoWeb

/// The Import API (issue #14): upload → preview (a dry run) → decisions → commit or cancel, with
/// uploads under generated names in a private folder, size limits, and the CSRF check.
@Suite struct ImportTests {
    /// A server over `ledger` whose uploads go to a folder the test can look into.
    func withImportServer<T: Sendable>(ledger: String, maxUploadBytes: Int = 200 * 1024 * 1024,
                                       _ body: @Sendable (RunningServer, URL) async throws -> T) async throws -> T {
        let uploads = Fixtures.temporaryDirectory().appendingPathComponent("uploads")
        let options = WebOptions(host: "127.0.0.1", port: 0, ledger: LedgerLocation(path: ledger), maxUploadBytes: maxUploadBytes,
                                 clock: .fixed(webDemoDay), lockTimeout: 10, uploadFolder: uploads.path)
        let server = try WebServer(options: options)
        let (ready, signal) = AsyncStream<Void>.makeStream()
        let task = Task { try await server.application(onReady: { _ in signal.yield(()) }, logLevel: .critical).run() }
        for await _ in ready { break }
        defer { task.cancel() }
        let result = try await body(RunningServer(server: server), uploads)
        task.cancel()
        _ = await task.result
        return result
    }

    static func emptyLedger() -> String { Fixtures.temporaryDirectory().appendingPathComponent("ledger.sqlite").path }
    static func demoFile(_ name: String) -> URL { Demo.folder!.appendingPathComponent(name) }

    static func object(_ r: RawHTTPResponse) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: r.body)) as? [String: Any] ?? [:]
    }

    /// Uploads `data` as `name`; answers the session.
    func upload(_ s: RunningServer, _ name: String, _ data: Data, query: String = "") async throws -> (RawHTTPResponse, [String: Any]) {
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? name
        let r = try await s.change("POST", "/api/v1/books/main/imports" + query, body: data, contentType: "application/octet-stream",
                                   headers: [("X-File-Name", encoded)])
        return (r, Self.object(r))
    }

    /// Polls the session until it is no longer reading or committing.
    func settled(_ s: RunningServer, _ id: String) async throws -> [String: Any] {
        for _ in 0..<600 {
            let r = try await s.get("/api/v1/books/main/imports/\(id)")
            let o = Self.object(r)
            if let state = o["state"] as? String, state != "reading" && state != "committing" { return o }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        Issue.record("the import \(id) did not settle")
        return [:]
    }

    func previewOf(_ s: RunningServer, _ name: String, _ data: Data) async throws -> (id: String, session: [String: Any]) {
        let (r, o) = try await upload(s, name, data)
        #expect(r.status == 202, "\(r.text)")
        let id = try #require(o["id"] as? String, "\(r.text)")
        return (id, try await settled(s, id))
    }

    func storedFiles(_ folder: URL) -> [String] { (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] }

    // MARK: preview and commit

    /// A commit that waits for the book's writer (another import into the book is being written)
    /// says "committing" from the click on: it showed "previewed" again, with its Import button live,
    /// until its turn came. A second commit of it meanwhile waits too, and nothing is written twice.
    @Test func aCommitWaitingForTheWriterSaysSoAndACommitTwiceWritesOnce() async throws {
        let ledger = Self.emptyLedger()
        try await withImportServer(ledger: ledger) { s, _ in
            let (id, session) = try await previewOf(s, "upwork.csv", try Data(contentsOf: Self.demoFile("upwork-transactions.csv")))
            let expectedNew = try #require((session["preview"] as? [String: Any])?["new"] as? Int)
            // Another write holds the book's writer until this test lets it go.
            let (holding, held) = AsyncStream<Void>.makeStream()
            let release = DispatchSemaphore(value: 0)
            let long = Task { try await s.server.books.write("main") { _ in held.yield(()); release.wait() } }
            for await _ in holding { break }
            async let first = s.change("POST", "/api/v1/books/main/imports/\(id)/commit")
            async let second = s.change("POST", "/api/v1/books/main/imports/\(id)/commit")
            var states: [String] = []
            for _ in 0..<8 {
                try await Task.sleep(nanoseconds: 100_000_000)
                if let state = Self.object(try await s.get("/api/v1/books/main/imports/\(id)"))["state"] as? String { states.append(state) }
            }
            release.signal()
            // The first look may come before the POST arrives; from the first "committing" on, nothing else.
            #expect(states.contains("committing") && states.drop(while: { $0 == "previewed" }).allSatisfy { $0 == "committing" }, "\(states)")
            let (a, b) = try await (first, second)
            try await long.value
            #expect(a.status == 200 && b.status == 200, "\(a.text) / \(b.text)")
            #expect(a.text == b.text)
            #expect(try SQLiteLedgerStore(path: ledger).transactionCount() == expectedNew)
            #expect(Self.object(try await s.get("/api/v1/books/main/imports/\(id)"))["state"] as? String == "committed")
        }
    }

    @Test func thePreviewIsTheCommandLinesDryRunAndTheCommitWritesIt() async throws {
        let ledger = Self.emptyLedger()
        let file = Self.demoFile("paypal-activity-2025-2026.csv")
        let cli = try ImportFiles.run(ImportRequest(paths: [file.path], dryRun: true), ledger: LedgerLocation(path: ledger), environment: [:])
        let expected = try #require(cli.files.first)
        try await withImportServer(ledger: ledger) { s, uploads in
            let before = try await s.get("/api/v1/books/main/reports/monthly?period=2026")
            #expect(before.status == 404)
            let (id, session) = try await previewOf(s, "paypal-activity-2025-2026.csv", try Data(contentsOf: file))
            #expect(session["state"] as? String == "previewed", "\(session)")
            let preview = try #require(session["preview"] as? [String: Any])
            #expect(preview["new"] as? Int == expected.new)
            #expect(preview["duplicates"] as? Int == expected.duplicates)
            #expect((preview["filtered"] as? [Any])?.count == expected.filtered.count)
            #expect(preview["rows"] as? Int == expected.rows)
            #expect((preview["problems"] as? [Any])?.count == expected.problems.count)
            #expect(preview["profile"] as? String == expected.profile)
            #expect(preview["dry_run"] as? Bool == true)
            #expect(expected.new > 0)
            let check = try #require(session["profile_check"] as? [String: Any])
            #expect(check["matched"] as? String == expected.profile)
            #expect(!((check["explanation"] as? [String]) ?? []).isEmpty)
            // Nothing written by the preview: there is still no ledger.
            #expect(!FileManager.default.fileExists(atPath: ledger))

            let commit = try await s.change("POST", "/api/v1/books/main/imports/\(id)/commit")
            #expect(commit.status == 200, "\(commit.text)")
            // The same summary the CLI prints (`import --format json`), but written.
            var written = expected; written.dryRun = false
            #expect(commit.text == written.json().replacingOccurrences(of: expected.file, with: "paypal-activity-2025-2026.csv") + "\n")
            #expect(try SQLiteLedgerStore(path: ledger).transactionCount() == expected.new)
            #expect(storedFiles(uploads).isEmpty, "the upload is deleted once committed")
            let after = try await s.get("/api/v1/books/main/reports/monthly?period=2026")
            #expect(after.status == 200, "\(after.text.prefix(300))")

            // Committing again writes nothing twice, and says what the first commit wrote.
            let again = try await s.change("POST", "/api/v1/books/main/imports/\(id)/commit")
            #expect(again.status == 200)
            #expect(again.text == commit.text)
            // Uploading the same file again: every row is already in the ledger.
            let (id2, second) = try await previewOf(s, "paypal.csv", try Data(contentsOf: file))
            #expect((second["preview"] as? [String: Any])?["new"] as? Int == 0)
            #expect((second["preview"] as? [String: Any])?["duplicates"] as? Int == expected.new)
            let third = try await s.change("POST", "/api/v1/books/main/imports/\(id2)/commit")
            #expect(third.status == 200)
            #expect(try SQLiteLedgerStore(path: ledger).transactionCount() == expected.new)

            let list = Self.object(try await s.get("/api/v1/books/main/imports"))
            let states = ((list["imports"] as? [[String: Any]]) ?? []).map { $0["state"] as? String ?? "" }
            #expect(states == ["committed", "committed"])
        }
    }

    @Test func cancellingDeletesTheUploadAndWritesNothing() async throws {
        let ledger = Self.emptyLedger()
        try await withImportServer(ledger: ledger) { s, uploads in
            let (id, session) = try await previewOf(s, "upwork.csv", try Data(contentsOf: Self.demoFile("upwork-transactions.csv")))
            #expect(session["state"] as? String == "previewed")
            #expect(storedFiles(uploads).count == 1)
            let r = try await s.change("DELETE", "/api/v1/books/main/imports/\(id)")
            #expect(r.status == 200, "\(r.text)")
            #expect(Self.object(r)["state"] as? String == "cancelled")
            #expect(storedFiles(uploads).isEmpty)
            #expect(!FileManager.default.fileExists(atPath: ledger))
            let commit = try await s.change("POST", "/api/v1/books/main/imports/\(id)/commit")
            #expect(commit.status == 409, "\(commit.text)")
            #expect(!FileManager.default.fileExists(atPath: ledger))
        }
    }

    /// The same file chosen twice before it is imported answers the waiting upload (one card on
    /// the page, one stored file); once imported, the same file is a new upload whose preview says
    /// that every row is already in the ledger.
    @Test func theSameFileTwiceWhileWaitingIsOneUpload() async throws {
        let ledger = Self.emptyLedger()
        try await withImportServer(ledger: ledger) { s, uploads in
            let data = try Data(contentsOf: Self.demoFile("upwork-transactions.csv"))
            let (first, session) = try await previewOf(s, "upwork.csv", data)
            #expect(session["state"] as? String == "previewed")
            let (r, again) = try await upload(s, "upwork (1).csv", data)
            #expect(r.status == 202, "\(r.text)")
            #expect(again["id"] as? String == first, "the waiting upload is the answer")
            #expect(r.header("Location") == "/api/v1/books/main/imports/\(first)")
            #expect(again["state"] as? String == "previewed")
            #expect(storedFiles(uploads).count == 1)
            let list = Self.object(try await s.get("/api/v1/books/main/imports"))["imports"] as? [[String: Any]] ?? []
            #expect(list.count == 1)

            let commit = try await s.change("POST", "/api/v1/books/main/imports/\(first)/commit")
            #expect(commit.status == 200, "\(commit.text)")
            let written = try await settled(s, first)
            let new = try #require((written["committed"] as? [String: Any])?["new"] as? Int)
            #expect(new > 0)
            let (later, afterwards) = try await previewOf(s, "upwork.csv", data)
            #expect(later != first, "an imported file is no longer waiting")
            let preview = try #require(afterwards["preview"] as? [String: Any])
            #expect(preview["new"] as? Int == 0 && preview["duplicates"] as? Int == new)
        }
    }

    @Test func twoCommitsAtOnceBothLandAndReadsStillAnswer() async throws {
        let ledger = Fixtures.temporaryDirectory().appendingPathComponent("demo-copy.sqlite").path
        try FileManager.default.copyItem(atPath: webDemoLedger, toPath: ledger)
        let before = try SQLiteLedgerStore(path: ledger).transactionCount()
        try await withImportServer(ledger: ledger) { s, _ in
            // Two files the demo ledger does not hold: the Spanish PayPal export of a later month, and an English one.
            let a = try await previewOf(s, "a.csv", Data(Self.payPal(spanish: true, rows: [("2/12/2026", "10,00", "10,00"), ("3/12/2026", "5,00", "15,00")]).utf8))
            let b = try await previewOf(s, "b.csv", Data(Self.payPal(spanish: false, rows: [("12/20/2026", "7.00", "7.00"), ("12/21/2026", "1.00", "8.00")]).utf8))
            let newA = (a.session["preview"] as? [String: Any])?["new"] as? Int ?? -1
            let newB = (b.session["preview"] as? [String: Any])?["new"] as? Int ?? -1
            #expect(newA == 2 && newB == 2, "\(a.session) \(b.session)")
            let pathA = "/api/v1/books/main/imports/\(a.id)/commit", pathB = "/api/v1/books/main/imports/\(b.id)/commit"
            async let ca = s.change("POST", pathA)
            async let cb = s.change("POST", pathB)
            async let report = s.get("/api/v1/books/main/reports/monthly?period=2026")
            let (ra, rb, rr) = try await (ca, cb, report)
            #expect(ra.status == 200, "\(ra.text)")
            #expect(rb.status == 200, "\(rb.text)")
            #expect(rr.status == 200)
        }
        #expect(try SQLiteLedgerStore(path: ledger).transactionCount() == before + 4)
    }

    @Test func aReportAnswersWhileALargeImportCommits() async throws {
        let ledger = Fixtures.temporaryDirectory().appendingPathComponent("demo-copy.sqlite").path
        try FileManager.default.copyItem(atPath: webDemoLedger, toPath: ledger)
        // 40,000 payments on one day: long enough to be caught committing.
        let rows = (0..<40_000).map { i in ("12/20/2026", "1.00", "\(i + 1).00") }
        let csv = Self.payPal(spanish: false, rows: rows)
        try await withImportServer(ledger: ledger) { s, _ in
            let (r, o) = try await upload(s, "large.csv", Data(csv.utf8), query: "?preview=false")
            #expect(r.status == 202, "\(r.text)")
            let id = try #require(o["id"] as? String)
            #expect(o["state"] as? String == "previewed")
            let path = "/api/v1/books/main/imports/\(id)/commit"
            async let commit = s.change("POST", path)
            var sawCommitting = false
            var reportStatuses: [Int] = []
            for _ in 0..<300 {
                let state = Self.object(try await s.get("/api/v1/books/main/imports/\(id)"))["state"] as? String
                if state == "committing" {
                    sawCommitting = true
                    reportStatuses.append(try await s.get("/api/v1/books/main/reports/monthly?period=2026").status)
                    break
                }
                if state == "committed" { break }
                try await Task.sleep(nanoseconds: 20_000_000)
            }
            let done = try await commit
            #expect(done.status == 200, "\(done.text.prefix(300))")
            #expect(Self.object(done)["new"] as? Int == 40_000)
            #expect(sawCommitting, "the commit was never seen in progress")
            #expect(reportStatuses == [200])
        }
    }

    /// A PayPal activity export (Spanish or English headers) with `rows` of (date, amount, balance).
    static func payPal(spanish: Bool, rows: [(String, String, String)]) -> String {
        let header = spanish ? "Fecha,Hora,Zona horaria,Nombre,Tipo,Estado,Divisa,Bruto,Tarifa,Neto,Id. de transacción,Saldo"
            : "Date,Time,TimeZone,Name,Type,Status,Currency,Gross,Fee,Net,Transaction ID,Balance"
        let lines = rows.enumerated().map { i, r in
            "\(r.0),10:00:00,\(spanish ? "CET" : "CET"),Client,Payment,\(spanish ? "Completado" : "Completed"),EUR,\"\(r.1)\",\"0\",\"\(r.1)\",WEBTEST\(spanish ? "ES" : "EN")\(i),\"\(r.2)\""
        }
        return ([header] + lines).joined(separator: "\n") + "\n"
    }

    // MARK: decisions

    @Test func aDecisionRereadsTheFile() async throws {
        let ledger = Self.emptyLedger()
        try await withImportServer(ledger: ledger) { s, _ in
            // Spanish headers: every date fits both orders, read day-first from the language.
            let csv = Self.payPal(spanish: true, rows: [("2/1/2026", "10,00", "10,00"), ("3/1/2026", "5,00", "15,00")])
            let (id, session) = try await previewOf(s, "ambiguous.csv", Data(csv.utf8))
            let order = try #require((session["preview"] as? [String: Any])?["date_order"] as? [String: Any], "\(session)")
            #expect(order["value"] as? String == "dd/mm/yyyy")
            #expect(order["basis"] as? String == "language")
            let r = try await s.change("PATCH", "/api/v1/books/main/imports/\(id)", json: #"{"dateFormat": "mm/dd/yyyy", "decimalMark": ","}"#)
            #expect(r.status == 202, "\(r.text)")
            let again = try await settled(s, id)
            let reread = try #require((again["preview"] as? [String: Any])?["date_order"] as? [String: Any])
            #expect(reread["value"] as? String == "mm/dd/yyyy")
            #expect(reread["basis"] as? String == "option")
            #expect((again["decisions"] as? [String: Any])?["dateFormat"] as? String == "mm/dd/yyyy")
            // Committed as decided: 1 February and 1 March, not 2 and 3 January.
            let commit = try await s.change("POST", "/api/v1/books/main/imports/\(id)/commit")
            #expect(commit.status == 200, "\(commit.text)")
            let days = try SQLiteLedgerStore(path: ledger).transactions().map { "\($0.transaction.date)" }.sorted().joined(separator: " ")
            #expect(days.contains("2026-02-01") && days.contains("2026-03-01"), "\(days)")
        }
    }

    @Test func badDecisionsAreProblemsThatNameTheField() async throws {
        try await withImportServer(ledger: Self.emptyLedger()) { s, _ in
            let (id, _) = try await previewOf(s, "upwork.csv", try Data(contentsOf: Self.demoFile("upwork-transactions.csv")))
            let path = "/api/v1/books/main/imports/\(id)"
            for (body, text) in [
                ("{\"dateFormat\": ", "the request body is not JSON"),
                ("[1, 2]", "must be a JSON object"),
                (#"{"dateFormat": 5}"#, "dateFormat: expected a string or null, found 5"),
                (#"{"dateFormat": "dd/yyyy"}"#, "dateFormat: expected one of dd/mm/yyyy"),
                (#"{"decimalMark": ";"}"#, "decimalMark: expected \\\".\\\" or \\\",\\\", found \\\";\\\""),
                (#"{"profile": "no-such-bank"}"#, "profile: expected one of the statement profiles"),
                (#"{"colour": "blue"}"#, "colour: not a decision an import takes"),
            ] {
                let r = try await s.change("PATCH", path, json: body)
                #expect(r.status == 400, "\(body): \(r.status) \(r.text)")
                #expect(r.header("Content-Type") == "application/problem+json")
                #expect(r.text.contains(text), "\(body): \(r.text)")
            }
            for (method, p) in [("GET", "/api/v1/books/main/imports/0123456789abcdef"), ("DELETE", "/api/v1/books/main/imports/0123456789abcdef"),
                                ("POST", "/api/v1/books/main/imports/0123456789abcdef/commit"), ("PATCH", "/api/v1/books/main/imports/0123456789abcdef"),
                                ("GET", "/api/v1/books/other/imports/\(id)")] {
                let r = method == "GET" ? try await s.get(p) : try await s.change(method, p, json: "{}")
                #expect(r.status == 404, "\(method) \(p): \(r.status) \(r.text)")
                #expect(r.header("Content-Type") == "application/problem+json")
            }
            let wrong = try await s.change("PUT", path, json: "{}")
            #expect(wrong.status == 404 || wrong.status == 405, "\(wrong.status)")
        }
    }

    // MARK: hostile input

    @Test func anOversizedUploadIs413AndLeavesNoFile() async throws {
        try await withImportServer(ledger: Self.emptyLedger(), maxUploadBytes: 1000) { s, uploads in
            let (r, _) = try await upload(s, "big.csv", Data(repeating: UInt8(ascii: "a"), count: 5000))
            #expect(r.status == 413, "\(r.text)")
            #expect(r.header("Content-Type") == "application/problem+json")
            #expect(r.text.contains("larger than the largest upload"))
            #expect(storedFiles(uploads).isEmpty)
            let list = Self.object(try await s.get("/api/v1/books/main/imports"))
            #expect((list["imports"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func aStreamWithoutALengthIsCutOffPastTheLimit() async throws {
        try await withImportServer(ledger: Self.emptyLedger(), maxUploadBytes: 1000) { s, uploads in
            // Chunked: the server learns the size only by reading; it stops past 1,000 bytes.
            var body = Data()
            for _ in 0..<5 { body.append(Data("3e8\r\n".utf8)); body.append(Data(repeating: UInt8(ascii: "a"), count: 1000)); body.append(Data("\r\n".utf8)) }
            body.append(Data("0\r\n\r\n".utf8))
            let r = try await s.change("POST", "/api/v1/books/main/imports", body: body, contentType: "application/octet-stream",
                                       headers: [("Transfer-Encoding", "chunked"), ("X-File-Name", "big.csv")])
            #expect(r.status == 413, "\(r.status) \(r.text)")
            #expect(storedFiles(uploads).isEmpty, "the partial file is deleted")
            let list = Self.object(try await s.get("/api/v1/books/main/imports"))
            #expect((list["imports"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func theClientsFileNameIsOnlyADisplayName() async throws {
        let ledger = Self.emptyLedger()
        let data = try Data(contentsOf: Self.demoFile("upwork-transactions.csv"))
        try await withImportServer(ledger: ledger) { s, uploads in
            for (i, (name, shown)) in [("../../etc/passwd", "passwd"), ("..\\x.csv", "x.csv"), ("C:\\Users\\me\\bank\u{202E}vsc.csv", "bankvsc.csv"),
                                       ("a\u{0}b\nc.csv", "abc.csv"), ("..", "upload")].enumerated() {
                // Other bytes each time (trailing blank lines): the same bytes would answer the first upload.
                let (id, session) = try await previewOf(s, name, data + Data(repeating: UInt8(ascii: "\n"), count: i))
                #expect(session["name"] as? String == shown, "\(name)")
                #expect((session["preview"] as? [String: Any])?["file"] as? String == shown, "\(name)")
                #expect(!id.contains("/") && !id.contains("."))
            }
            let stored = storedFiles(uploads)
            #expect(stored.count == 5)
            #expect(stored.allSatisfy { $0.hasPrefix("saldo-upload-") }, "\(stored)")
            #expect(!FileManager.default.fileExists(atPath: uploads.deletingLastPathComponent().appendingPathComponent("x.csv").path))
            #expect(!FileManager.default.fileExists(atPath: uploads.deletingLastPathComponent().appendingPathComponent("passwd").path))
            var info = stat()
            #expect(stat(uploads.path, &info) == 0 && info.st_mode & 0o777 == 0o700)
        }
    }

    @Test func hostileXMLIsAProblemAndTouchesNothing() async throws {
        let ledger = Self.emptyLedger()
        try await withImportServer(ledger: ledger) { s, _ in
            for name in ["billion-laughs.xml", "external-dtd-subset-file.xml", "quadratic-blowup.xml"] {
                let (id, session) = try await previewOf(s, name, try Fixtures.data("malicious-xml/\(name)"))
                #expect(session["state"] as? String == "failed", "\(name): \(session)")
                let problems = ((session["preview"] as? [String: Any])?["problems"] as? [[String: Any]]) ?? []
                #expect(!problems.isEmpty, "\(name)")
                let commit = try await s.change("POST", "/api/v1/books/main/imports/\(id)/commit")
                #expect(commit.status == 409, "\(name): \(commit.text)")
            }
            #expect(!FileManager.default.fileExists(atPath: ledger))
        }
    }

    @Test func anUploadWithoutTheCSRFTokenIsRefused() async throws {
        try await withImportServer(ledger: Self.emptyLedger()) { s, uploads in
            let r = try await s.send("POST", "/api/v1/books/main/imports", headers: [("Origin", s.origin), ("X-File-Name", "x.csv")], body: Data("a,b\n".utf8))
            #expect(r.status == 403)
            #expect(storedFiles(uploads).isEmpty)
        }
    }

    // MARK: the page

    @Test func thePageHasALabelledFilePickerAndItsOwnAssets() async throws {
        try await withImportServer(ledger: webDemoLedger) { s, _ in
            for lang in ["en", "es"] {
                let r = try await s.get("/books/main/import?lang=\(lang)", headers: [("Accept", "text/html")])
                #expect(r.status == 200)
                #expect(r.text.contains("<html lang=\"\(lang)\""))
                #expect(r.text.contains("<input type=\"file\" id=\"import-files\" name=\"files\" multiple"))
                #expect(r.text.contains("<label for=\"import-files\""))
                #expect(r.text.contains("/assets/import.js") && r.text.contains("/assets/import.css"))
                #expect(!r.text.contains("style=\"") && !r.text.contains(" onclick="))
                #expect(!r.text.contains("{{") && !r.text.contains("web.import."))
            }
            let es = try await s.get("/books/main/import?lang=es", headers: [("Accept", "text/html")])
            #expect(es.text.contains("Elegir ficheros"))
            // The balance check's line counts stated balances checked ("Comprobación de saldos: 5" read as a count of checks).
            #expect(es.text.contains("data-t-balances-checked=\"Saldos del extracto comprobados\""))
            #expect(try await s.get("/assets/import.js").status == 200)
        }
    }
}
