import Decoding
import Foundation

/// A ``LanguageModel`` in front of another that adds up the wall time spent inside the model
/// (prefill and batched appends), and can evaluate a batch one session at a time: the same
/// strategy code then does the same work without batching.
///
/// A class with a lock because `LanguageModel` is `Sendable`; the benchmark uses it from one
/// thread.
final class TimedModel: LanguageModel, @unchecked Sendable {
    let base: any LanguageModel
    /// Whether `appendBatch` appends to each session in turn instead of in one batch.
    let oneByOne: Bool
    private let lock = NSLock()
    private var seconds = 0.0
    private var calls = 0

    init(_ base: any LanguageModel, oneByOne: Bool) {
        self.base = base
        self.oneByOne = oneByOne
    }

    var vocabularySize: Int { base.vocabularySize }
    var contextLength: Int { base.contextLength }
    var hiddenSize: Int { base.hiddenSize }
    var specialTokens: SpecialTokens { base.specialTokens }

    /// Seconds spent in the model and forward passes made since the last ``reset()``.
    var totals: (seconds: Double, calls: Int) { lock.withLock { (seconds, calls) } }

    func reset() { lock.withLock { seconds = 0; calls = 0 } }

    func makeSession(prompt: [Int]) throws -> any ModelSession {
        try timed(passes: 1) { try base.makeSession(prompt: prompt) }
    }

    func appendBatch(_ sessions: [any ModelSession], tokens: [Int]) throws {
        if oneByOne {
            try timed(passes: sessions.count) {
                for (session, token) in zip(sessions, tokens) { try session.append([token]) }
            }
        } else {
            try timed(passes: 1) { try base.appendBatch(sessions, tokens: tokens) }
        }
    }

    func evaluateTree(_ tree: TokenTree, after session: any ModelSession) throws -> [[Float]] {
        try timed(passes: 1) { try base.evaluateTree(tree, after: session) }
    }

    private func timed<R>(passes: Int, _ body: () throws -> R) rethrows -> R {
        let start = DispatchTime.now().uptimeNanoseconds
        defer {
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
            lock.withLock { seconds += elapsed; calls += passes }
        }
        return try body()
    }
}
