import Foundation

/// The task sets that ship with the package in its `Tasks/` folder, by name: what
/// `decode compare --tasks NAME` runs without a file of its own.
///
/// ```swift
/// let set = try TaskSet(contentsOf: BuiltinTaskSet.constrained.url)
/// ```
public enum BuiltinTaskSet: String, CaseIterable, Sendable {
    /// `Tasks/builtin.jsonl`: 30 short questions with reference answers (arithmetic, facts,
    /// words), for greedy, sampling and the searches.
    case general = "builtin"
    /// `Tasks/constrained.jsonl`: JSON extraction (a schema and a reference value per field)
    /// and regex answers, for the constrained strategies lcd, awrs and smc:N.
    case constrained

    /// The set a name chooses (`builtin` or `constrained`), or `nil`.
    public init?(name: String) {
        self.init(rawValue: name)
    }

    /// The set's file name, `NAME.jsonl`.
    public var fileName: String { "\(rawValue).jsonl" }

    /// Strategies a comparison on this set runs unless told otherwise.
    public var defaultStrategies: String {
        switch self {
        case .general: return "greedy,sample,best-of-n:4,beam:2"
        case .constrained: return "lcd,awrs,smc:4"
        }
    }

    /// The most tokens per answer unless told otherwise: short answers for the general set,
    /// room for a small JSON object for the constrained one.
    public var defaultMaxTokens: Int {
        switch self {
        case .general: return 16
        case .constrained: return 40
        }
    }

    /// `Tasks/NAME.jsonl` in the current directory when it is there (a checkout), else beside
    /// the package's sources (a build run from elsewhere).
    public var url: URL {
        let inDirectory = URL(fileURLWithPath: "Tasks").appendingPathComponent(fileName)
        if FileManager.default.fileExists(atPath: inDirectory.path) { return inDirectory }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Tasks").appendingPathComponent(fileName)
    }
}
