// swift-tools-version:6.2
import PackageDescription

// Dependency direction (docs/architecture.md):
// executables → RegisterStore / DemoChain → CaisseAPI → CaisseCore.
// CaisseCore imports nothing of ours; only the stores import SQL drivers.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Caisse",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "caisse", targets: ["caisse"]),
        .executable(name: "caisse-bench", targets: ["caisse-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
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
        // The demo chain in data/ and the deterministic catalog generator.
        .target(name: "DemoChain", dependencies: ["CaisseCore", "CaisseAPI"], swiftSettings: strict),
        // The register's local SQLite database (GRDB).
        .target(
            name: "RegisterStore",
            dependencies: ["CaisseCore", "CaisseAPI", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict),
        // Central's persistence: one protocol, SQLite now, PostgreSQL later.
        .target(
            name: "CentralStore",
            dependencies: ["CaisseCore", "CaisseAPI", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict),
        .executableTarget(
            name: "caisse",
            dependencies: [
                "CaisseCore", "CaisseAPI", "DemoChain", "RegisterStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "caisse-bench",
            dependencies: [
                "CaisseCore", "CaisseAPI", "DemoChain", "RegisterStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),

        .testTarget(name: "CaisseCoreTests", dependencies: ["CaisseCore"]),
        .testTarget(name: "CaisseAPITests", dependencies: ["CaisseAPI"]),
        .testTarget(name: "DemoChainTests", dependencies: ["DemoChain"]),
        .testTarget(name: "RegisterStoreTests", dependencies: ["RegisterStore", "DemoChain"]),
        .testTarget(name: "CentralStoreTests", dependencies: ["CentralStore", "DemoChain", "RegisterStore"]),
        // Runs the real `caisse` binary; depending on it makes `swift test` build it.
        .testTarget(name: "CaisseCLITests", dependencies: ["caisse", "RegisterStore", "DemoChain"]),
    ],
    swiftLanguageModes: [.v6]
)
