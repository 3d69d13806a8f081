// swift-tools-version:6.1
// Kernel benchmarks for swift-decoding's Quantization module, kept in a nested package so the
// library's own `swift build` / `swift test` never compile package-benchmark.
//
//   swift package benchmark                 # package-benchmark suites (Benchmarks/KernelBenchmarks)
//   swift run -c release kernel-measure     # quick side-by-side table (levels, sgemm vs tiled)
import PackageDescription

// A path dependency's identity is its folder's name (`swift-decoding` in a clone, something else
// in a worktree), so name the root package by where it is.
let root = String(Context.packageDirectory.split(separator: "/").dropLast(2).last ?? "swift-decoding")

let package = Package(
    name: "KernelBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(path: "../.."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // OpenBLAS, for kernel-measure's dequantize + sgemm column only (the library does not use it).
        .systemLibrary(
            name: "CBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]),
        .executableTarget(
            name: "KernelBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Quantization", package: root),
                .product(name: "GGUF", package: root),
            ],
            path: "Benchmarks/KernelBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
        .executableTarget(
            name: "kernel-measure",
            dependencies: [
                "CBLAS",
                .product(name: "Quantization", package: root),
                .product(name: "GGUF", package: root),
            ]),
    ]
)
