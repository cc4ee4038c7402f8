// swift-tools-version: 6.1
// Saldo: the income toolkit for freelancers paid across platforms and currencies.
import PackageDescription

let package = Package(
    name: "Saldo",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "saldo", targets: ["saldo"]),
        .library(name: "SaldoCore", targets: ["SaldoCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        // The web app's HTTP server. Default traits off: swift-configuration is not needed.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        // The PostgreSQL engine's driver (SaldoPostgres only). Its new compile units in a clean build:
        // PostgresNIO (122 objects), _ConnectionPoolModule (16) and NIOSSL's own BoringSSL copy
        // (CNIOBoringSSL, 406 C files); its other dependencies (swift-nio, swift-log, swift-crypto, …)
        // were already built. Measured: about 3.5 min more for a clean debug build (docs/postgres.md).
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        // Password hashing (bcrypt) for office logins: only the HummingbirdBcrypt product (its own
        // C bcrypt, no other dependency), imported by SaldoApp only (Office/Passwords.swift).
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
    ],
    targets: [
        // Money, currencies, accounts, transactions, invoices, periods, diagnostics. Foundation only.
        .target(name: "SaldoCore", resources: [.copy("Localization/Catalog")]),
        // The seam between the statement readers and the ledger writer: transactions as columns
        // (TransactionBatch), their day totals (DayTotalKey), and the sink batches are handed to.
        .target(name: "SaldoBatch", dependencies: ["SaldoCore"]),
        // CSV engine, platform profiles, dedup. Returns drafts plus problems; never writes the database.
        .target(name: "SaldoImport", dependencies: ["SaldoCore", "SaldoBatch", "SaldoZip", "SaldoXML"]),
        // The only ZIPFoundation user: zip archives read from memory, with limits (entry count, sizes, ratio, names).
        .target(name: "SaldoZip", dependencies: [.product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        // The only door to libxml2.
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .target(name: "SaldoXML", dependencies: ["CLibXML2", "SaldoCore"]),
        // E-invoice readers (UBL, CII, Facturae, CFDI) on top of SaldoXML.
        .target(name: "SaldoInvoices", dependencies: ["SaldoXML", "SaldoCore"]),
        // Exchange rates: ECB readers, rate tables, conversion at a date; the bundled ECB history (ECB/).
        .target(name: "SaldoFX", dependencies: ["SaldoXML", "SaldoZip", "SaldoCore"], resources: [.copy("ECB")]),
        // Tax rule files and the engine that applies them.
        .target(name: "SaldoTax", dependencies: ["SaldoCore"], resources: [.copy("Rules")]),
        // Forecasting on plain number series; knows nothing of ledgers.
        .target(name: "SaldoForecast"),
        // The only GRDB user: the ledger file, append-only migrations.
        .target(name: "SaldoStore", dependencies: [
            "SaldoCore", "SaldoBatch",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // The PostgreSQL ledger engine behind the same LedgerStore protocol: the only PostgresNIO
        // user. Tenant-ready schema (workspace_id leads every key, row-level security).
        .target(name: "SaldoPostgres", dependencies: [
            "SaldoCore", "SaldoBatch", "SaldoStore",
            .product(name: "PostgresNIO", package: "postgres-nio"),
        ]),
        // Report documents (monthly, currencies, balances, invoices, forecast, backtest, tax, accounts,
        // import summaries), then renderers (table, CSV, JSON, Markdown, HTML).
        .target(name: "SaldoReports", dependencies: ["SaldoCore", "SaldoImport", "SaldoInvoices", "SaldoFX", "SaldoForecast", "SaldoTax"]),
        // Every use case (import, rates, reports, invoices, forecast, tax, export, settings, the demo):
        // plain values in, documents plus problems out. No argv, no stdout. Every front end calls it.
        .target(name: "SaldoApp", dependencies: [
            "SaldoCore", "SaldoBatch", "SaldoImport", "SaldoInvoices", "SaldoFX", "SaldoTax", "SaldoForecast",
            "SaldoStore", "SaldoPostgres", "SaldoReports",
            // The only bcrypt user: office passwords (Office/Passwords.swift).
            .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
        ], resources: [.copy("Demo")]),
        // The web front end (`saldo serve`): HTTP routes, pages and the JSON API over the same use
        // cases. The only Hummingbird and Mustache user; templates and assets in Resources/.
        .target(name: "SaldoWeb", dependencies: [
            "SaldoCore", "SaldoApp", "SaldoReports", "SaldoStore",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Mustache", package: "swift-mustache"),
        ], resources: [.copy("Resources")]),
        // The command line: argument parsing, one call into SaldoApp, rendering. Testable in-process.
        // `saldo serve` parses its options and hands them to SaldoWeb.
        .target(name: "SaldoCLI", dependencies: [
            "SaldoCore", "SaldoApp", "SaldoReports", "SaldoStore", "SaldoTax", "SaldoWeb",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "saldo", dependencies: ["SaldoCLI"]),
        // Finds fixtures/ from #filePath; shared by the test targets.
        .target(name: "SaldoTestSupport", dependencies: ["SaldoCore", "SaldoBatch", "SaldoStore", "SaldoPostgres"]),

        .testTarget(name: "SaldoCoreTests", dependencies: [
            "SaldoCore", "SaldoTestSupport", .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        .testTarget(name: "SaldoImportTests", dependencies: [
            "SaldoImport", "SaldoBatch", "SaldoZip", "SaldoXML", "SaldoCore", "SaldoTestSupport", .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        .testTarget(name: "SaldoXMLTests", dependencies: ["SaldoXML", "SaldoInvoices", "SaldoCore", "SaldoTestSupport"]),
        .testTarget(name: "SaldoZipTests", dependencies: ["SaldoZip", "SaldoTestSupport"]),
        .testTarget(name: "SaldoFXTests", dependencies: [
            "SaldoFX", "SaldoZip", "SaldoCore", "SaldoTestSupport", .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        .testTarget(name: "SaldoTaxTests", dependencies: ["SaldoTax", "SaldoCore", "SaldoTestSupport"]),
        .testTarget(name: "SaldoForecastTests", dependencies: ["SaldoForecast", "SaldoTestSupport"]),
        .testTarget(name: "SaldoStoreTests", dependencies: [
            "SaldoStore", "SaldoPostgres", "SaldoBatch", "SaldoCore", "SaldoTestSupport", .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        .testTarget(name: "SaldoPostgresTests", dependencies: [
            "SaldoPostgres", "SaldoStore", "SaldoBatch", "SaldoCore", "SaldoApp", "SaldoReports", "SaldoTestSupport",
        ]),
        .testTarget(name: "SaldoReportsTests", dependencies: ["SaldoReports", "SaldoCore", "SaldoFX", "SaldoTestSupport"]),
        .testTarget(name: "SaldoAppTests", dependencies: ["SaldoApp", "SaldoStore", "SaldoReports", "SaldoCore", "SaldoTestSupport"]),
        .testTarget(name: "SaldoWebTests", dependencies: ["SaldoWeb", "SaldoApp", "SaldoStore", "SaldoReports", "SaldoCore", "SaldoTestSupport"]),
        .testTarget(name: "SaldoCLITests", dependencies: ["SaldoCLI", "SaldoApp", "SaldoStore", "SaldoCore", "SaldoTestSupport", "SaldoWeb"]),
    ],
    swiftLanguageModes: [.v6]
)
