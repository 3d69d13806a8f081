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
        .library(name: "Evaluation", targets: ["Evaluation"]),
        .library(name: "Serving", targets: ["Serving"]),
        .library(name: "RemoteModel", targets: ["RemoteModel"]),
        .library(name: "DecodingTestSupport", targets: ["DecodingTestSupport"]),
        .executable(name: "decode", targets: ["decode"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    ],
    targets: [
        // System library, found through pkg-config (Scripts/setup.sh installs it). Every target lists
        // exactly the modules it imports (OpenBLAS is only the kernel benchmark's anchor: Benchmarks/Kernels).
        .systemLibrary(
            name: "CPCRE2", pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"])]),
        // The few innermost loops that need the host's vector units (AVX2/FMA, chosen at run time).
        .target(name: "CKernels"),

        .target(name: "PCRE", dependencies: ["CPCRE2"]),
        .target(name: "GGUF"),
        .target(name: "Quantization", dependencies: ["GGUF", "CKernels"]),
        .target(name: "Tokenizer", dependencies: ["GGUF", "PCRE", "Decoding"]),
        .target(name: "Decoding"),
        .target(
            name: "Transformer",
            dependencies: [
                "GGUF", "Quantization", "Decoding", "CKernels",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(name: "Constraints", dependencies: ["Decoding", "PCRE"]),
        .target(
            name: "Speculative",
            dependencies: ["Decoding", .product(name: "Logging", package: "swift-log")]),
        // Search strategies and the verifiers that need nothing but the core: no constraint kinds.
        .target(name: "Search", dependencies: ["Decoding"]),
        // The strategy language (`beam:4+lcd`, `awrs`, `lcd+draft:ngram`) and the registry that builds
        // every strategy it names: above Constraints, Search and Speculative, so none has to know
        // another's kinds.
        .target(name: "Strategies", dependencies: ["Decoding", "Constraints", "Search", "Speculative"]),
        // Evaluating strategies on tasks: task files and sets, the checks of an output (a reference,
        // a JSON Schema or a regex, so PatternVerifier lives here, above Constraints and Search),
        // each task's constraint for the strategy language's lcd/awrs/smc (hence above Strategies),
        // and the comparison harness (records, statistics, tables, plots) of `decode compare`.
        .target(name: "Evaluation", dependencies: ["Decoding", "Tokenizer", "Constraints", "Search", "Strategies"]),
        // `decode serve`: the OpenAI-compatible HTTP API over one shared model, with requests batched together.
        .target(
            name: "Serving",
            dependencies: [
                "Decoding", "Tokenizer", "Constraints", "Strategies",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // A LanguageModel over an OpenAI-compatible completions endpoint (decode serve, vLLM, llama.cpp's server).
        .target(
            name: "RemoteModel",
            dependencies: ["Decoding", "GGUF"]),
        .target(name: "DecodingTestSupport", dependencies: ["Decoding"]),
        .executableTarget(
            name: "decode",
            dependencies: [
                "GGUF", "Tokenizer", "Decoding", "Transformer", "Constraints",
                "Speculative", "Search", "Strategies", "Evaluation", "Serving", "RemoteModel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),

        .testTarget(name: "GGUFTests", dependencies: ["GGUF", "Decoding"]),
        .testTarget(name: "QuantizationTests", dependencies: ["Quantization", "CKernels", "GGUF", "Decoding"]),
        .testTarget(name: "TokenizerTests", dependencies: ["Tokenizer", "GGUF", "PCRE", "Decoding"], exclude: ["Fixtures"]),
        .testTarget(name: "DecodingTests", dependencies: ["Decoding", "DecodingTestSupport"]),
        .testTarget(
            name: "TransformerTests",
            dependencies: ["Transformer", "Decoding", "GGUF", "Quantization", "Tokenizer"],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "ConstraintsTests",
            dependencies: ["Constraints", "Decoding", "DecodingTestSupport", "Tokenizer", "GGUF", "Transformer"],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "SpeculativeTests",
            dependencies: ["Speculative", "Decoding", "DecodingTestSupport", "Transformer", "GGUF", "Constraints"]),
        .testTarget(
            name: "SearchTests",
            dependencies: ["Search", "Decoding", "DecodingTestSupport"]),
        .testTarget(
            name: "StrategiesTests",
            dependencies: ["Strategies", "Decoding", "DecodingTestSupport", "Constraints", "Search", "Speculative"]),
        .testTarget(
            name: "EvaluationTests",
            dependencies: ["Evaluation", "Search", "Strategies", "Constraints", "Decoding", "DecodingTestSupport"]),
        .testTarget(
            name: "ServingTests",
            dependencies: [
                "Serving", "RemoteModel", "Decoding", "DecodingTestSupport", "Tokenizer", "Transformer", "GGUF", "Strategies",
                .product(name: "Hummingbird", package: "hummingbird"),
            ]),
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
