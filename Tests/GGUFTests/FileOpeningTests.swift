import Foundation
import GGUF
import Testing

/// Opening paths that are not GGUF models: typed errors, and the mapped path agrees with the
/// in-memory one.
@Suite struct FileOpeningTests {
    /// A fresh temporary directory, removed by the caller.
    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("gguf-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func openError(_ url: URL) -> GGUFError? {
        ggufError { () throws(GGUFError) in try GGUFFile(contentsOf: url) }
    }

    @Test func missingFile() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("absent.gguf")
        #expect(openError(url) == .fileNotFound(path: url.path))
    }

    @Test func missingParentDirectory() throws {
        let url = URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)/model.gguf")
        #expect(openError(url) == .fileNotFound(path: url.path))
    }

    @Test func directory() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(openError(directory) == .notARegularFile(path: directory.path))
    }

    @Test func emptyFile() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("empty.gguf")
        try Data().write(to: url)
        #expect(openError(url) == .emptyFile(path: url.path))
    }

    @Test(arguments: [
        "hello, this is a text file\n",
        "{\"model\": \"llama\", \"layers\": 30}\n",
        "GG",  // a prefix of the magic: truncated, not bad magic
    ])
    func textPassedAsAModel(text: String) throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("model.gguf")
        try Data(text.utf8).write(to: url)
        let error = try #require(openError(url))
        if text.count < 4 {
            #expect(error == .truncated(what: "magic", offset: 0, needed: 4, fileSize: 2))
        } else {
            #expect(error == .badMagic(found: Array(text.utf8.prefix(8))))
            #expect(error.description.contains("not a GGUF file"))
        }
    }

    @Test func mappedFileAgreesWithInMemoryBytes() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let bytes = GGUFBuilder.tinyLlama().build()
        let url = directory.appendingPathComponent("tiny.gguf")
        try Data(bytes).write(to: url)
        let mapped = try GGUFFile(contentsOf: url)
        let memory = try GGUFFile(bytes: bytes)
        #expect(mapped.metadata == memory.metadata)
        #expect(mapped.tensors == memory.tensors)
        #expect(mapped.fileSize == bytes.count)
        for tensor in mapped.tensors {
            #expect(Array(mapped.bytes(of: tensor)) == Array(memory.bytes(of: tensor)))
        }
    }
}
