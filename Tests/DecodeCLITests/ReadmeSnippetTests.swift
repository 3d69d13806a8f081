import Foundation
import GGUF
import Testing

/// Every ```swift block of README.md is one of the snippet executables in `Examples/README/`,
/// character for character, and each runs: the README cannot drift from the API.
@Suite("README snippets")
struct ReadmeSnippetTests {
    /// The repository's root (this file is `Tests/DecodeCLITests/ReadmeSnippetTests.swift`).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The snippets in README order: executable target and its source.
    static let snippets = [
        (target: "ReadmeSamplerLoop", source: "Examples/README/SamplerLoop/main.swift"),
        (target: "ReadmeGeneration", source: "Examples/README/Generation/main.swift"),
    ]

    /// The text of each ```swift … ``` block of `markdown`, with its final newline.
    static func swiftBlocks(_ markdown: String) -> [String] {
        var blocks: [String] = []
        var current: [Substring]?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line == "```swift" {
                current = []
            } else if let lines = current, line == "```" {
                blocks.append(lines.map { $0 + "\n" }.joined())
                current = nil
            } else {
                current?.append(line)
            }
        }
        return blocks
    }

    @Test("README.md's swift blocks are the snippet files, in order")
    func blocksMatchSnippetFiles() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let blocks = Self.swiftBlocks(readme)
        #expect(blocks.count == Self.snippets.count, "README.md has \(blocks.count) swift blocks")
        for (block, snippet) in zip(blocks, Self.snippets) {
            let file = try String(contentsOf: Self.root.appendingPathComponent(snippet.source), encoding: .utf8)
            #expect(block == file, "README.md's block differs from \(snippet.source)")
        }
    }

    @Test("the sampler-loop snippet runs")
    func samplerLoopRuns() throws {
        let outcome = try CommandRunner.run([], program: "ReadmeSamplerLoop")
        #expect(outcome.status == 0, "\(outcome.standardError)")
        // It prints the session's tokens: the prompt [0, 1] and what was sampled after it.
        #expect(outcome.standardOutput.hasPrefix("[0, 1"), "\(outcome.standardOutput)")
    }

    @Test("the generation snippet streams an answer from the default model", .enabled(if: DefaultModel.modelTestsEnabled))
    func generationRuns() throws {
        let model = try #require(DefaultModel.locate(), "run Scripts/setup.sh to fetch the default model")
        let outcome = try CommandRunner.run([], program: "ReadmeGeneration",
                                            environment: [DefaultModel.environmentVariable: model.path])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardOutput.contains(" tokens, stopped by "), "\(outcome.standardOutput)")
        #expect(outcome.standardOutput.count > 40, "\(outcome.standardOutput)")
    }
}
