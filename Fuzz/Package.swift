// swift-tools-version:6.0
// libFuzzer targets (with AddressSanitizer) for the parsers that read untrusted input: one
// executable per entry point, built and run by Scripts/fuzz.sh. A nested package so that the
// library's `swift build`/`swift test` never compile it.
import PackageDescription

let package = Package(
    name: "swift-decoding-fuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "swift-decoding", path: ".."), .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .target(name: "CLibFuzzer"),
        .target(
            name: "FuzzSupport",
            dependencies: ["CLibFuzzer", .product(name: "Constraints", package: "swift-decoding")]),
        .executableTarget(
            name: "FuzzGGUF",
            dependencies: [
                "FuzzSupport", .product(name: "GGUF", package: "swift-decoding"),
                .product(name: "Tokenizer", package: "swift-decoding"),
                .product(name: "Transformer", package: "swift-decoding"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .executableTarget(
            name: "FuzzGBNF",
            dependencies: ["FuzzSupport", .product(name: "Constraints", package: "swift-decoding")]),
        .executableTarget(
            name: "FuzzJSONSchema",
            dependencies: ["FuzzSupport", .product(name: "Constraints", package: "swift-decoding")]),
        .executableTarget(
            name: "FuzzRegex",
            dependencies: ["FuzzSupport", .product(name: "Constraints", package: "swift-decoding")]),
        .executableTarget(
            name: "FuzzTokenizer",
            dependencies: [
                "FuzzSupport", .product(name: "Tokenizer", package: "swift-decoding"),
                .product(name: "GGUF", package: "swift-decoding"),
            ]),
        .executableTarget(
            name: "FuzzJinja", dependencies: ["FuzzSupport", .product(name: "Tokenizer", package: "swift-decoding")]),
        .executableTarget(
            name: "FuzzHTTP",
            dependencies: [
                "FuzzSupport", .product(name: "Serving", package: "swift-decoding"),
                .product(name: "GGUF", package: "swift-decoding"), .product(name: "Tokenizer", package: "swift-decoding"),
                .product(name: "Transformer", package: "swift-decoding"),
            ]),
        .executableTarget(
            name: "FuzzTasks", dependencies: ["FuzzSupport", .product(name: "Evaluation", package: "swift-decoding")]),
    ]
)
