import Foundation
import GGUF
import Testing

/// The short model names `--model` accepts, found in the nearest `.models` folder above.
struct KnownModelTests {
    @Test func namesAreTheOnesTheToolsDocument() {
        #expect(KnownModel.allCases.map(\.rawValue) == ["smollm2-135m", "gemma3-270m"])
        #expect(KnownModel.smolLM2.fileName == DefaultModel.fileName)
    }

    @Test func locatesAFetchedFileAboveTheStartDirectory() throws {
        let root = FileManager.default.temporaryDirectory
            .appendingPathComponent("known-model-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let nested = root.appendingPathComponent("a/b")
        try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
        #expect(KnownModel.gemma3.locate(from: nested) == nil)

        let models = root.appendingPathComponent(".models")
        try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
        let file = models.appendingPathComponent(KnownModel.gemma3.fileName)
        #expect(FileManager.default.createFile(atPath: file.path, contents: Data([0])))
        #expect(KnownModel.gemma3.locate(from: nested)?.standardizedFileURL.path == file.standardizedFileURL.path)
        #expect(KnownModel.smolLM2.locate(from: nested) == nil)
    }
}
