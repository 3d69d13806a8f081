// swift-tools-version:6.0
// Test-time search benchmark: best-of-8 and beam-4 wall time on the default model as ratios to
// one sampled (or greedy) answer, with batched model calls and with the same work one by one.
// A nested package so `swift build` / `swift test` of the library never compile it.
// Run `bash run.sh` (from this folder or the repository root).
import PackageDescription

let package = Package(
    name: "SearchBenchmark",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "swift-decoding", path: "../..")],
    targets: [
        .executableTarget(
            name: "SearchBenchmark",
            dependencies: [
                .product(name: "Decoding", package: "swift-decoding"),
                .product(name: "Search", package: "swift-decoding"),
                .product(name: "Transformer", package: "swift-decoding"),
                .product(name: "Tokenizer", package: "swift-decoding"),
                .product(name: "GGUF", package: "swift-decoding"),
            ]),
    ]
)
