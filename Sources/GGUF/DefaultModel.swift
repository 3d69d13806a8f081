import Foundation

/// Where the tools and tests find the default model (SmolLM2-135M-Instruct, Q4_1) without a flag.
///
/// Order: the `SWIFT_DECODING_MODEL` environment variable; then
/// `.models/SmolLM2-135M-Instruct.Q4_1.gguf` in the given directory or any directory above it
/// (`Scripts/setup.sh` puts it there, in the repository root).
public enum DefaultModel {
    /// Environment variable that names a model file and overrides the search.
    public static let environmentVariable = "SWIFT_DECODING_MODEL"
    /// File name of the default model inside the `.models` cache.
    public static let fileName = "SmolLM2-135M-Instruct.Q4_1.gguf"

    /// The model file to use, or `nil` when neither the variable nor the cache names one.
    ///
    /// - Parameter directory: where the upward search starts (default: the current directory).
    public static func locate(from directory: URL? = nil) -> URL? {
        if let path = ProcessInfo.processInfo.environment[environmentVariable], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return search(for: fileName, from: directory)
    }

    /// `.models/NAME` in `directory` (default: the current directory) or the nearest directory
    /// above it that has one.
    static func search(for name: String, from directory: URL?) -> URL? {
        var current = (directory ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .standardizedFileURL
        while true {
            let candidate = current.appendingPathComponent(".models").appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            let parent = current.deletingLastPathComponent()
            if parent.path == current.path { return nil }
            current = parent
        }
    }
}

extension DefaultModel {
    /// Environment variable that, set to `1`, skips the tests that need the default model.
    public static let skipTestsVariable = "SKIP_MODEL_TESTS"

    /// Whether tests that need the default model should run (they then fail if it is missing).
    public static var modelTestsEnabled: Bool {
        ProcessInfo.processInfo.environment[skipTestsVariable] != "1"
    }
}
