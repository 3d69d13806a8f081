import ArgumentParser
import Foundation
import GGUF
import Logging
import Transformer

/// Options shared by the commands that run a model: which file, how many threads, which arithmetic.
struct ModelArguments: ParsableArguments {
    @Option(
        name: .long,
        help: "GGUF model file, or a fetched model's name: \(KnownModel.allCases.map(\.rawValue).joined(separator: ", ")) (default: \(DefaultModel.environmentVariable) or .models/\(DefaultModel.fileName)).")
    var model: String?

    @Option(name: .long, parsing: .unconditional, help: "Threads for the forward pass (default: every core).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(
        name: .long,
        help: "Matrix arithmetic: packed (batch-invariant packed kernels) or llama-cpp (llama.cpp's logits bit for bit, slower).")
    var arithmetic: ArithmeticName = .packed

    /// The names `--arithmetic` takes for the library's ``MatrixArithmetic``.
    enum ArithmeticName: String, ExpressibleByArgument, CaseIterable {
        case packed
        case llamaCpp = "llama-cpp"

        var arithmetic: MatrixArithmetic {
            switch self {
            case .packed: .packed
            case .llamaCpp: .llamaCpp
            }
        }
    }

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1, got \(threads).") }
    }

    /// The library's logger for the command line: warnings and errors only, on stderr.
    var logger: Logger {
        var logger = Logger(label: "swift-decoding")
        logger.logLevel = .warning
        return logger
    }

    /// The model file to open.
    func modelURL() throws -> URL {
        if let model { return try Self.url(of: model) }
        guard let url = DefaultModel.locate() else {
            throw ValidationError(
                "No model found: pass --model PATH, set \(DefaultModel.environmentVariable), or run Scripts/setup.sh.")
        }
        return url
    }
}

extension ModelArguments {
    /// What `--model` names, for every command that takes one: a fetched model's name
    /// (``KnownModel``) or a file path.
    ///
    /// - Throws: `ValidationError` when `model` is a known name whose file is not fetched yet.
    static func url(of model: String) throws -> URL {
        guard let known = KnownModel(rawValue: model) else { return URL(fileURLWithPath: model) }
        guard let url = known.locate() else {
            throw ValidationError("Model '\(model)' is not fetched yet: run \(known.fetchScript).")
        }
        return url
    }

    /// The `--model` help line of the commands that read only a file (no `--threads`).
    static let modelHelp = "GGUF model file, or a fetched model's name: "
        + KnownModel.allCases.map(\.rawValue).joined(separator: ", ")
}

/// Peak resident memory of this process in bytes (`getrusage`'s maximum resident set size).
func peakMemoryBytes() -> Int {
    var usage = rusage()
    #if os(Linux)
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss * 1024
    #else
    getrusage(RUSAGE_SELF, &usage)
    return usage.ru_maxrss
    #endif
}
