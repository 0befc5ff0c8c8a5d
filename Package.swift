// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

/// The languages of the pages and emails, one resource file each, compiled into the binary.
let languages = ["en", "de", "fr", "es", "pt", "it", "nl", "pl", "uk", "ja", "zh-Hans", "tr"]

let package = Package(
    name: "logintoo",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "logintoo", targets: ["logintoo"]),
        .library(name: "LogintooCore", targets: ["LogintooCore"]),
        .library(name: "LogintooVerifier", targets: ["LogintooVerifier"]),
        .library(name: "LogintooVerifierHummingbird", targets: ["LogintooVerifierHummingbird"]),
    ],
    traits: [
        // Trace export over OTLP/HTTP with swift-otel (LOGINTOO_OTLP_ENDPOINT): `swift build --traits OTLP`. Off by
        // default, so the default build does not compile swift-otel and its protobuf stack.
        .trait(name: "OTLP", description: "Export traces over OTLP/HTTP with swift-otel"),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP"]),
    ],
    targets: [
        .target(
            name: "LogintooCore",
            dependencies: [
                "LogintooWebAuthn", "LogintooDPoP",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            resources: languages.map { .embedInCode("Resources/locales/\($0).json") },
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LogintooWebAuthn",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LogintooDPoP",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LogintooAPICompatibility",
            dependencies: ["LogintooCore", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LogintooVerifier",
            dependencies: [
                "LogintooDPoP",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LogintooVerifierHummingbird",
            dependencies: [
                "LogintooVerifier", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LogintooTemplates",
            dependencies: [.product(name: "Mustache", package: "swift-mustache")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LogintooTraces",
            dependencies: [.product(name: "Tracing", package: "swift-distributed-tracing")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LogintooStore",
            dependencies: [
                "LogintooCore", "LogintooTraces",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LogintooMail",
            dependencies: [
                "LogintooCore", "LogintooTraces", "LogintooTemplates",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LogintooHTTP",
            dependencies: [
                "LogintooCore", "LogintooAPICompatibility", "LogintooVerifier", "LogintooVerifierHummingbird", "LogintooTraces",
                "LogintooTemplates", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LogintooApp",
            dependencies: [
                "LogintooCore", "LogintooAPICompatibility", "LogintooWebAuthn", "LogintooStore", "LogintooMail", "LogintooHTTP",
                "LogintooTraces",
                .product(name: "OTel", package: "swift-otel", condition: .when(traits: ["OTLP"])),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "logintoo",
            dependencies: [
                "LogintooApp", "LogintooCore", "LogintooStore", "LogintooHTTP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "CoreRefresh",
            dependencies: ["LogintooCore", "LogintooStore", .product(name: "Logging", package: "swift-log")],
            path: "benchmarks/CoreRefresh",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "SigningLimit",
            dependencies: ["LogintooCore"],
            path: "benchmarks/SigningLimit",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LogintooTestSupport",
            dependencies: [
                "LogintooStore", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/LogintooTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LogintooCoreTests",
            dependencies: ["LogintooCore", "LogintooStore", "LogintooTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "StoreContractTests",
            dependencies: ["LogintooCore", "LogintooStore", "LogintooTestSupport", "LogintooTraces",
                           .product(name: "SQLKit", package: "sql-kit"),
                           .product(name: "InMemoryTracing", package: "swift-distributed-tracing")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LogintooWebAuthnTests",
            dependencies: [
                "LogintooWebAuthn",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LogintooVerifierTests",
            dependencies: [
                "LogintooVerifier", "LogintooDPoP", "LogintooCore",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LogintooVerifierHummingbirdTests",
            dependencies: [
                "LogintooVerifierHummingbird", "LogintooVerifier", "LogintooCore", "LogintooTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LogintooHTTPTests",
            dependencies: [
                "LogintooApp", "LogintooCore", "LogintooStore", "LogintooMail", "LogintooHTTP", "LogintooTestSupport",
                "LogintooWebAuthn", "LogintooDPoP", "LogintooTraces", "LogintooTemplates",
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOEmbedded", package: "swift-nio"), .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
