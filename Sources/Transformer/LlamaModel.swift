import Decoding
import Foundation
import Logging

/// A llama-family decoder that runs on the CPU from a GGUF file, conforming to
/// ``Decoding/LanguageModel``: llama (Llama 2/3, SmolLM2, …), Qwen 2 and 3, Gemma 3 and Phi-3
/// (``ModelArchitecture``), through one forward pass that reads the architecture's
/// ``ArchitectureOptions``.
///
/// Weights stay quantized: packed at load for the integer dot-product instructions (the default,
/// ``MatrixArithmetic/packed``) or read in place from the file's mapping
/// (``MatrixArithmetic/llamaCpp``). Single tokens and batches (prefill, ``appendBatch(_:tokens:)``,
/// trees) go through the same kernels, which read each weight once per batch; a token's logits are
/// the same bits however it is batched, placed in a tree, chunked or threaded (batch invariance). The key/value cache is paged
/// (``KVCache``): forks share blocks, so ``LlamaSession/fork()`` costs O(blocks) and a fork's
/// first append copies at most one partly filled block. Sliding-window layers keep only the
/// window (plus a margin of 256 positions for rollbacks) of their keys and values.
///
/// The model is immutable and `Sendable`. Forward passes take a lock, so calls from several
/// tasks are safe and run one at a time (each uses every thread of the pool). Sessions are
/// not thread-safe: use each from one task at a time.
public final class LlamaModel: LanguageModel, Sendable {
    let configuration: LlamaConfiguration
    let weights: LlamaWeights
    let pool: ThreadPool
    let cacheShape: KVCacheShape
    let logger: Logger
    private let forwardLock = NSLock()
    /// Guarded by `forwardLock`.
    nonisolated(unsafe) private let scratch: ForwardScratch

    /// Ids of the special tokens, from the file's tokenizer metadata.
    public let specialTokens: SpecialTokens
    /// Number of entries in one row of logits.
    public var vocabularySize: Int { configuration.vocabularySize }
    /// The longest sequence a session can hold (`llama.context_length`).
    public var contextLength: Int { configuration.contextLength }
    /// Width of the residual stream and of ``LlamaSession/hiddenState``.
    public var hiddenSize: Int { configuration.width }
    /// Threads the forward pass can use, the caller's included: the count asked for, capped at
    /// the cores available (``ThreadPool/threads``).
    public var threadCount: Int { pool.threads }

    /// Positions per key/value cache block.
    static let blockSize = 16
    /// Rows a prefill evaluates per forward pass; longer prompts run in several.
    static let prefillChunk = 256

    init(
        configuration: LlamaConfiguration, weights: LlamaWeights, specialTokens: SpecialTokens,
        threads: Int, logger: Logger, pool: ThreadPool? = nil
    ) {
        self.configuration = configuration
        self.weights = weights
        self.specialTokens = specialTokens
        self.logger = logger
        self.pool = pool ?? ThreadPool(threads: threads)
        if self.pool.threads < threads {
            logger.warning(
                "more threads asked for than cores available: using one per core",
                metadata: ["requested": "\(threads)", "threads": "\(self.pool.threads)"])
        }
        self.cacheShape = KVCacheShape(
            kvWidth: configuration.kvWidth, blockSize: Self.blockSize, slides: configuration.options.slidingLayers,
            window: configuration.options.slidingWindow, margin: Self.prefillChunk)
        self.scratch = ForwardScratch(configuration: configuration, threads: self.pool.threads)
    }

    /// Starts a session and evaluates `prompt` in batched prefill passes.
    public func makeSession(prompt: [Int]) throws -> any ModelSession {
        try makeLlamaSession(prompt: prompt)
    }

    /// ``makeSession(prompt:)`` with the concrete session type.
    public func makeLlamaSession(prompt: [Int]) throws -> LlamaSession {
        guard !prompt.isEmpty else { throw LanguageModelError.emptyPrompt }
        let session = LlamaSession(model: self, cache: KVCache(shape: cacheShape))
        try session.append(prompt)
        return session
    }

    func checkTokens(_ tokens: [Int]) throws {
        for token in tokens where token < 0 || token >= vocabularySize {
            throw LanguageModelError.tokenOutOfRange(token, vocabularySize: vocabularySize)
        }
    }

    func own(_ session: any ModelSession) throws -> LlamaSession {
        guard let session = session as? LlamaSession, session.model === self else {
            throw LanguageModelError.foreignSession
        }
        return session
    }

    /// Runs `body` with the scratch space, one caller at a time.
    func withScratch<T>(_ body: (ForwardScratch) throws -> T) rethrows -> T {
        forwardLock.lock()
        defer { forwardLock.unlock() }
        return try body(scratch)
    }
}
