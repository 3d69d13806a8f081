import Foundation
import GGUF

/// Runs the built `decode` executable (it sits next to the test bundle) and collects its output.
struct CommandRunner {
    /// What one run printed and how it ended.
    struct Outcome {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    /// The executable `name` (default `decode`) built alongside the tests.
    static func executable(_ name: String = "decode") -> URL {
        let testBinary = Bundle.main.bundleURL
        // `swift test` runs `<build dir>/<package>PackageTests.xctest`; the product is beside it.
        let directory = testBinary.pathExtension == "xctest" ? testBinary.deletingLastPathComponent() : testBinary
        return directory.appendingPathComponent(name)
    }

    /// Runs `program` (default `decode`) with `arguments` and waits for it.
    static func run(_ arguments: [String], program: String = "decode",
                    environment: [String: String] = [:]) throws -> Outcome {
        let process = Process()
        process.executableURL = executable(program)
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        merged.merge(environment) { _, new in new }
        process.environment = merged
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        // Read both pipes to the end before waiting, so a full pipe cannot block the child.
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus,
            standardOutput: String(decoding: outputData, as: UTF8.self),
            standardError: String(decoding: errorData, as: UTF8.self))
    }

    /// A scratch file with `contents`, removed by the caller.
    static func temporaryFile(named name: String, contents: Data) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("decode-cli-\(UUID().uuidString)-\(name)")
        try contents.write(to: url)
        return url
    }
}
