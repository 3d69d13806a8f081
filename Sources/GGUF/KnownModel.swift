import Foundation

/// The real models this package's scripts fetch, by the short names the tools accept for
/// `--model` (`smollm2-135m`, `gemma3-270m`).
public enum KnownModel: String, CaseIterable, Sendable {
    /// SmolLM2-135M-Instruct, Q4_1: the default model (`Scripts/setup.sh`).
    case smolLM2 = "smollm2-135m"
    /// Gemma 3 270M (instruction-tuned), Q4_K_M: the second real model (`Scripts/fetch-gemma3.sh`).
    case gemma3 = "gemma3-270m"

    /// The file name inside the `.models` cache.
    public var fileName: String {
        switch self {
        case .smolLM2: DefaultModel.fileName
        case .gemma3: "gemma-3-270m-q4_k_m.gguf"
        }
    }

    /// The script that fetches the file into `.models`.
    public var fetchScript: String {
        switch self {
        case .smolLM2: "Scripts/setup.sh"
        case .gemma3: "Scripts/fetch-gemma3.sh"
        }
    }

    /// The file in `.models` in `directory` or any directory above it (default: the current
    /// directory), or `nil` when it has not been fetched.
    public func locate(from directory: URL? = nil) -> URL? {
        DefaultModel.search(for: fileName, from: directory)
    }
}
