// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "pipsight",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "pipsight", targets: ["pipsight"]),
        .library(name: "PipsightCore", targets: ["PipsightCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.20.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.26.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.8.0"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.30.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
    ],
    targets: [
        .target(
            name: "PipsightCore",
            dependencies: [.product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CTraderImport",
            dependencies: [
                "PipsightCore",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Analytics",
            dependencies: ["PipsightCore", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Ollama",
            dependencies: [
                "PipsightCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RAG",
            dependencies: [
                "PipsightCore", "Analytics", "VectorStore", "Ollama", "PostgresStore", "MiniLM",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CBotGen",
            dependencies: [
                "PipsightCore", "Analytics",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Templates")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PostgresStore",
            dependencies: [
                "PipsightCore",
                "CTraderImport",
                "Analytics",
                "VectorStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        .target(
            name: "MiniLMKernels",
            // The packed dense-layer kernel is the encoder's hot loop: optimised in debug builds too.
            cSettings: [.unsafeFlags(["-O2"])]
        ),
        .target(
            name: "MiniLM",
            dependencies: ["PipsightCore", "CBLAS", "MiniLMKernels", .product(name: "Logging", package: "swift-log")],
            // Optimised in debug builds too: the encoder's element-wise loops (LayerNorm, GELU, softmax) run 10-50x
            // slower unoptimised, which made every test that indexes documents with the built-in model take a minute.
            swiftSettings: swiftSettings + [.unsafeFlags(["-O"], .when(configuration: .debug))]
        ),
        .target(
            name: "VectorStore",
            dependencies: ["PipsightCore", "CBLAS", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Server",
            dependencies: [
                "PipsightCore",
                "CTraderImport",
                "PostgresStore",
                "Analytics",
                "Ollama",
                "RAG",
                "CBotGen",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Web")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PipsightTesting",
            dependencies: [
                "PipsightCore", "CTraderImport", "PostgresStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "pipsight",
            dependencies: [
                "PipsightCore",
                "CTraderImport",
                "PostgresStore",
                "Server",
                "PipsightTesting",
                "VectorStore",
                "Analytics",
                "Ollama",
                "RAG",
                "CBotGen",
                "MiniLM",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "PipsightFuzz",
            dependencies: ["PipsightCore", "CTraderImport", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PipsightCoreTests",
            dependencies: ["PipsightCore", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CTraderImportTests",
            dependencies: ["CTraderImport", "PipsightCore", "PipsightTesting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PostgresStoreTests",
            dependencies: [
                "PostgresStore", "PipsightCore", "CTraderImport", "PipsightTesting", "VectorStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AnalyticsTests",
            dependencies: [
                "Analytics", "PipsightCore", "CTraderImport", "PostgresStore", "PipsightTesting",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OllamaTests",
            dependencies: [
                "Ollama", "PipsightCore", "PipsightTesting", .product(name: "Logging", package: "swift-log"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RAGTests",
            dependencies: [
                "RAG", "Ollama", "MiniLM", "Analytics", "VectorStore", "PostgresStore", "PipsightCore", "PipsightTesting",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CBotGenTests",
            dependencies: ["CBotGen", "Analytics", "PipsightCore", "PipsightTesting", "CTraderImport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MiniLMTests",
            dependencies: ["MiniLM", "PipsightCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "VectorStoreTests",
            dependencies: ["VectorStore", "PipsightCore", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PipsightCLITests",
            dependencies: [
                "PipsightTesting", "PostgresStore", "PipsightCore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Server", "PostgresStore", "PipsightTesting",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
