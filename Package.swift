// swift-tools-version:6.2
import PackageDescription

// Dependency direction (docs/architecture.md):
// executables → CentralServer / Sync → CentralStore, PostgresCentralStore / RegisterStore / DemoChain
// (CentralServer names no dialect: it depends on CentralModel's use cases and ports only)
//   → CentralModel (central's contract and shared rules) → CaisseAPI → CaisseCore.
// CaisseCore imports nothing of ours; only the stores import SQL drivers;
// only Terminal imports ncurses.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Caisse",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "caisse", targets: ["caisse"]),
        .executable(name: "caisse-bench", targets: ["caisse-bench"]),
        .executable(name: "caisse-central", targets: ["caisse-central"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        // Default traits off: no swift-configuration, a shorter build.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        // Already in the graph through async-http-client; named so Sync can set a till's trust roots.
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        // The till's client of central, generated from central's openapi.yaml (ADR 0023).
        .package(url: "https://github.com/apple/swift-openapi-generator.git", from: "1.14.3"),
        .package(url: "https://github.com/apple/swift-openapi-runtime.git", from: "1.13.4"),
        .package(url: "https://github.com/swift-server/swift-openapi-async-http-client.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
    ],
    targets: [
        // Pure domain: money, taxes, cart, tenders, returns, stock, restock, report maths.
        .target(name: "CaisseCore", swiftSettings: strict),
        // Wire contract shared by register and central: DTOs, sync events, hash chain, PIN hashes.
        .target(
            name: "CaisseAPI",
            dependencies: [
                "CaisseCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: strict),
        // Terminal-free building blocks of the TUI: keys, styled cells, the screen grid.
        .target(name: "ScreenKit", swiftSettings: strict),
        // The register's screens as pure state machines: (state, message) -> (state, effects), render -> grid.
        .target(name: "RegisterUI", dependencies: ["CaisseCore", "CaisseAPI", "ScreenKit"], swiftSettings: strict),
        // The system's wide-character ncurses (libncursesw5-dev), behind a shim header;
        // only Terminal imports it. No pkgConfig: SwiftPM warns on every build about the
        // -D_XOPEN_SOURCE flags ncursesw.pc gives, and the modulemap's link suffices.
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses"),
        // The real terminal: curses mode, key decoding, drawing a Grid, restoring on exit.
        .target(name: "Terminal", dependencies: ["CNcurses", "ScreenKit"], swiftSettings: strict),
        // The demo chain in data/ and the deterministic catalog generator.
        .target(name: "DemoChain", dependencies: ["CaisseCore", "CaisseAPI"], swiftSettings: strict),
        // The counter's hardware: ESC/POS receipts and the cash drawer, to a device file or tcp://HOST:9100.
        .target(name: "ReceiptPrinter", dependencies: ["CaisseCore"], swiftSettings: strict),
        // The register's local SQLite database (GRDB).
        .target(
            name: "RegisterStore",
            dependencies: ["CaisseCore", "CaisseAPI", "ReceiptPrinter", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict),
        // Central's HTTP bodies and client, generated from its openapi.yaml (one source: the spec).
        .target(
            name: "CentralAPIClient",
            dependencies: [
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIAsyncHTTPClient", package: "swift-openapi-async-http-client"),
            ],
            // Generated code only: its unused public imports warn under Swift 6.3 (see the target's one file).
            swiftSettings: [.unsafeFlags(["-suppress-warnings"])],
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]),
        // The register's client of central: push the outbox, pull changes, backoff.
        .target(
            name: "Sync",
            dependencies: [
                "CaisseAPI", "RegisterStore", "CentralAPIClient",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIAsyncHTTPClient", package: "swift-openapi-async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strict),
        // Central's persistence contract and the rules every store shares (ingest
        // plan and judgement, product rules): Swift only, no SQL driver.
        .target(name: "CentralModel", dependencies: ["CaisseCore", "CaisseAPI"], swiftSettings: strict),
        // Central's persistence on SQLite (GRDB).
        .target(
            name: "CentralStore",
            dependencies: ["CentralModel", "CaisseCore", "CaisseAPI", .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "GRDBSQLite", package: "GRDB.swift")],
            swiftSettings: strict),
        // Central's persistence on PostgreSQL, for several instances over one database (links no GRDB).
        .target(
            name: "PostgresCentralStore",
            dependencies: [
                "CentralModel", "CaisseCore", "CaisseAPI",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict),
        // The chain's HTTP service: routes per domain, auth, errors, metrics.
        .target(
            name: "CentralServer",
            dependencies: [
                "CaisseCore", "CaisseAPI", "CentralModel",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("openapi.yaml")],
            swiftSettings: strict),
        .executableTarget(
            name: "caisse-central",
            dependencies: [
                "CaisseCore", "CaisseAPI", "CentralStore", "PostgresCentralStore", "CentralServer", "DemoChain",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        // The register's runtime: carries out the screens' effects on its database.
        .target(
            name: "RegisterApp",
            dependencies: ["CaisseCore", "CaisseAPI", "RegisterStore", "RegisterUI", "Sync", "ReceiptPrinter"],
            swiftSettings: strict),
        .executableTarget(
            name: "caisse",
            dependencies: [
                "CaisseCore", "CaisseAPI", "DemoChain", "RegisterStore", "Sync", "RegisterApp", "RegisterUI", "ScreenKit", "Terminal",
                "ReceiptPrinter",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "caisse-bench",
            dependencies: [
                "CaisseCore", "CaisseAPI", "DemoChain", "RegisterStore", "Sync", "RegisterApp", "RegisterUI", "ScreenKit",
                "CentralModel", "CentralStore", "PostgresCentralStore", "CentralServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strict),

        .testTarget(name: "CaisseCoreTests", dependencies: ["CaisseCore"]),
        .testTarget(name: "ReceiptPrinterTests", dependencies: ["ReceiptPrinter", "CaisseCore"]),
        .testTarget(name: "ScreenKitTests", dependencies: ["ScreenKit"]),
        .testTarget(name: "RegisterUITests", dependencies: ["RegisterUI"], exclude: ["Golden"]),
        .testTarget(name: "TerminalTests", dependencies: ["Terminal"]),
        .testTarget(name: "CaisseAPITests", dependencies: ["CaisseAPI"]),
        .testTarget(name: "CentralModelTests", dependencies: ["CentralModel", "CaisseAPI", "CaisseCore"]),
        .testTarget(name: "DemoChainTests", dependencies: ["DemoChain"]),
        .testTarget(name: "RegisterStoreTests", dependencies: ["RegisterStore", "DemoChain"]),
        .testTarget(name: "CentralStoreTests", dependencies: ["CentralStore", "PostgresCentralStore", "DemoChain", "RegisterStore", "Sync",
                                                           "caisse-central",
                                                           .product(name: "GRDB", package: "GRDB.swift"),
                                                           .product(name: "AsyncHTTPClient", package: "async-http-client")],
                    exclude: ["Fixtures"]),
        .testTarget(
            name: "SyncTests",
            dependencies: ["Sync", "RegisterStore", "CentralStore", "CentralServer", "DemoChain", "caisse-central", "caisse",
                           "RegisterApp", "RegisterUI", "ScreenKit"]),
        .testTarget(
            name: "CentralServerTests",
            dependencies: [
                "CentralServer", "CentralStore", "DemoChain", "RegisterStore", "caisse-central",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]),
        // The real binaries on a tmux terminal.
        .testTarget(name: "RegisterAppTests", dependencies: ["RegisterApp", "RegisterUI", "RegisterStore", "DemoChain", "ScreenKit", "CaisseAPI", "ReceiptPrinter"], exclude: ["Golden"]),
        // 2 central instances behind nginx (TLS) over PostgreSQL, real tills, Prometheus.
        .testTarget(name: "ScaleOutTests", dependencies: ["caisse", "caisse-central", "RegisterStore", "CaisseAPI", "CaisseCore"]),
        .testTarget(name: "TUITests", dependencies: ["caisse", "caisse-central", "RegisterStore", "CaisseCore"]),
        // Runs the real `caisse` binary; depending on it makes `swift test` build it.
        .testTarget(name: "CaisseCLITests", dependencies: ["caisse", "RegisterStore", "DemoChain"]),
    ],
    swiftLanguageModes: [.v6]
)
