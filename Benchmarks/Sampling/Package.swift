// swift-tools-version:6.0
// Sampler-core benchmark: processor chain + sampler in µs per token on large vocabularies.
// A nested package so `swift build` / `swift test` of the library never compile it.
// Run `python3 compare.py` (from this folder) for the side-by-side table with numpy.
import PackageDescription

let package = Package(
    name: "SamplingBenchmark",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "swift-decoding", path: "../..")],
    targets: [
        .executableTarget(
            name: "SamplingBenchmark",
            dependencies: [.product(name: "Decoding", package: "swift-decoding")]),
    ]
)
