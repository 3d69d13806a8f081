import Foundation
import Testing

/// The repository's sources, scripts and documents name files by their path in the
/// repository, never by a path on the machine the project was developed on.
@Suite("no machine paths")
struct MachinePathTests {
    /// The repository's root (this file is `Tests/DecodeCLITests/MachinePathTests.swift`).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static let textExtensions: Set<String> = ["swift", "py", "sh", "md", "c", "h", "gbnf", "jsonl", "toml", "yml", "yaml"]

    @Test("no tracked text file names an absolute /work/… or /farm/… path")
    func noMachinePaths() throws {
        let pattern = try NSRegularExpression(pattern: "/(work|farm)/[A-Za-z]")
        let folders = ["Sources", "Tests", "Benchmarks", "Scripts", "Grammars", "Tasks", "Examples"]
        var files = [Self.root.appendingPathComponent("README.md"), Self.root.appendingPathComponent("Package.swift")]
        for folder in folders {
            let enumerator = try #require(FileManager.default.enumerator(
                at: Self.root.appendingPathComponent(folder), includingPropertiesForKeys: nil, options: [.skipsHiddenFiles]))
            for case let url as URL in enumerator where Self.textExtensions.contains(url.pathExtension) {
                files.append(url)
            }
        }
        #expect(files.count > 100, "found only \(files.count) files under \(Self.root.path)")
        var offenders: [String] = []
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            let range = NSRange(text.startIndex..., in: text)
            if pattern.firstMatch(in: text, range: range) != nil {
                offenders.append(String(file.path.dropFirst(Self.root.path.count + 1)))
            }
        }
        #expect(offenders.isEmpty, "machine paths in: \(offenders.joined(separator: ", "))")
    }
}
