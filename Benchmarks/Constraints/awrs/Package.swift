// swift-tools-version:6.0
// AWRS vs locally constrained decoding (full mask) on the default model: constraint checks and
// constraint time per generated token. A nested package so `swift build` / `swift test` of the
// library never compile it. Run: `swift run -c release AWRSMeasure` from this folder.
import PackageDescription

let package = Package(
    name: "AWRSMeasure",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "swift-decoding", path: "../../..")],
    targets: [
        .executableTarget(
            name: "AWRSMeasure",
            dependencies: [
                .product(name: "Constraints", package: "swift-decoding"),
                .product(name: "Decoding", package: "swift-decoding"),
                .product(name: "GGUF", package: "swift-decoding"),
                .product(name: "Tokenizer", package: "swift-decoding"),
                .product(name: "Transformer", package: "swift-decoding"),
            ]),
    ]
)
