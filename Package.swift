// swift-tools-version:6.0
// swift-decoding: decoding strategies for autoregressive language models on quantized GGUF
// models, on the CPU. The map of targets is in DESIGN.md (shared) and README.md.
import PackageDescription

let package = Package(
    name: "swift-decoding",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "GGUF", targets: ["GGUF"]),
        .library(name: "Quantization", targets: ["Quantization"]),
        .library(name: "Tokenizer", targets: ["Tokenizer"]),
        .library(name: "Decoding", targets: ["Decoding"]),
        .library(name: "Transformer", targets: ["Transformer"]),
        .library(name: "Constraints", targets: ["Constraints"]),
        .library(name: "Speculative", targets: ["Speculative"]),
        .library(name: "Search", targets: ["Search"]),
        .library(name: "Strategies", targets: ["Strategies"]),
        .library(name: "DecodingTestSupport", targets: ["DecodingTestSupport"]),
        .executable(name: "decode", targets: ["decode"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // System libraries, found through pkg-config (Scripts/setup.sh installs them).
        .systemLibrary(
            name: "CPCRE2", pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"])]),
        // The few innermost loops that need the host's vector units (AVX2/FMA, chosen at run time).
        .target(name: "CKernels"),

        .target(name: "PCRE", dependencies: ["CPCRE2"]),
        .target(name: "GGUF"),
        .target(name: "Quantization", dependencies: ["GGUF", "CKernels"]),
        .target(name: "Tokenizer", dependencies: ["GGUF", "PCRE", "Decoding"]),
        .target(name: "Decoding", dependencies: [.product(name: "Logging", package: "swift-log")]),
        .target(
            name: "Transformer",
            dependencies: [
                "GGUF", "Quantization", "Decoding", "CKernels",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(
            name: "Constraints",
            dependencies: ["Decoding", "PCRE", .product(name: "Logging", package: "swift-log")]),
        .target(
            name: "Speculative",
            dependencies: ["Decoding", .product(name: "Logging", package: "swift-log")]),
        .target(
            name: "Search",
            dependencies: ["Decoding", "Constraints", .product(name: "Logging", package: "swift-log")]),
        // The strategy language (`beam:4`, `awrs`, `smc:8`) and the registry that builds every
        // strategy it names: above Constraints and Search, so neither has to know the other's kinds.
        .target(name: "Strategies", dependencies: ["Decoding", "Constraints", "Search"]),
        .target(name: "DecodingTestSupport", dependencies: ["Decoding"]),
        .executableTarget(
            name: "decode",
            dependencies: [
                "GGUF", "Quantization", "Tokenizer", "Decoding", "Transformer", "Constraints",
                "Speculative", "Search", "Strategies",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),

        .testTarget(name: "GGUFTests", dependencies: ["GGUF", "Decoding"]),
        .testTarget(name: "QuantizationTests", dependencies: ["Quantization", "GGUF", "Decoding"]),
        .testTarget(name: "TokenizerTests", dependencies: ["Tokenizer", "GGUF", "PCRE", "Decoding"], exclude: ["Fixtures"]),
        .testTarget(name: "DecodingTests", dependencies: ["Decoding", "DecodingTestSupport"]),
        .testTarget(
            name: "TransformerTests",
            dependencies: ["Transformer", "Decoding", "GGUF", "Quantization", "Tokenizer"],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "ConstraintsTests",
            dependencies: ["Constraints", "Decoding", "DecodingTestSupport", "PCRE", "Tokenizer", "GGUF", "Transformer"],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "SpeculativeTests",
            dependencies: ["Speculative", "Decoding", "DecodingTestSupport", "Transformer", "GGUF"]),
        .testTarget(
            name: "SearchTests",
            dependencies: ["Search", "Decoding", "DecodingTestSupport", "Constraints"]),
        .testTarget(
            name: "StrategiesTests",
            dependencies: ["Strategies", "Decoding", "DecodingTestSupport", "Constraints", "Search"]),
        // The Swift snippets of README.md, exactly as printed (DecodeCLITests checks they match and run).
        .executableTarget(
            name: "ReadmeSamplerLoop", dependencies: ["Decoding", "DecodingTestSupport"],
            path: "Examples/README/SamplerLoop"),
        .executableTarget(
            name: "ReadmeGeneration", dependencies: ["Decoding", "GGUF", "Tokenizer", "Transformer"],
            path: "Examples/README/Generation"),
        .testTarget(name: "DecodeCLITests", dependencies: ["decode", "ReadmeSamplerLoop", "ReadmeGeneration", "GGUF"]),
    ]
)
