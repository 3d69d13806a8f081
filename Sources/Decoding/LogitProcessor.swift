/// A stage that transforms a row of logits in place given the sequence so far: temperature,
/// truncation (top-k, top-p, min-p, typical-p), penalties, bias, masks.
///
/// Modelled on llama.cpp's sampler interface (`llama_sampler_i`: name / apply / accept /
/// reset), reduced to what a value type needs: processors are structs, so cloning is copying.
/// ``accept(_:)`` and ``reset()`` are optional hooks (no-ops by default) for processors with
/// state beyond the history they are given.
///
/// Processors never make a row invalid: they keep at least one token (see ``Logits``).
public protocol LogitProcessor: Sendable {
    /// The name used in sampler-order strings and diagnostics (for example `top_k`).
    var name: String { get }

    /// Transforms `logits`, the row for the token after `history` (every token of the
    /// sequence so far, prompt included).
    ///
    /// - Throws: ``SamplingError`` for input the processor cannot handle (a token id outside
    ///   the row, a mask that would leave nothing).
    mutating func apply(to logits: inout Logits, history: [Int]) throws

    /// Tells the processor that `token` was appended to the sequence.
    mutating func accept(_ token: Int)

    /// Returns the processor to its initial state (a new sequence starts).
    mutating func reset()

    /// Whether the stage reduces the row to its most likely token (temperature 0): a strategy
    /// that checks tokens against a constraint reads this as "greedy" and takes the most likely
    /// *allowed* token instead of the row's argmax. False by default.
    var selectsArgmax: Bool { get }

    /// Whether the stage masks tokens by a rule over the sequence (a constraint) that
    /// ``admits(_:after:)`` can test token by token. False by default.
    var restrictsTokens: Bool { get }

    /// Whether the stage can leave `token` unmasked after `history`, tested without a row of
    /// logits: a speculative drafter prunes the tokens a constraint rejects before the target
    /// evaluates them. True by default.
    ///
    /// - Throws: the stage's errors for a history it cannot follow.
    mutating func admits(_ token: Int, after history: [Int]) throws -> Bool
}

extension LogitProcessor {
    /// Does nothing: most processors read all they need from `history`.
    public mutating func accept(_ token: Int) {}
    /// Does nothing: most processors have no state.
    public mutating func reset() {}
    /// False: most processors keep more than the argmax.
    public var selectsArgmax: Bool { false }
    /// False: most processors mask by the row's values, not by a rule over the sequence.
    public var restrictsTokens: Bool { false }
    /// True: a processor without a rule over the sequence admits every token.
    public mutating func admits(_ token: Int, after history: [Int]) throws -> Bool { true }
}

extension Logits {
    /// Masks every token except `kept` (which must be unmasked ids in range and non-empty).
    /// O(n); no check of the invariants beyond `kept` being non-empty.
    package mutating func keepOnlyUnchecked(_ kept: some Collection<Int>) {
        precondition(!kept.isEmpty, "a processor must keep at least one token")
        let saved = kept.map { ($0, storage[$0]) }
        withUncheckedMutableValues { values in
            values.update(repeating: -.infinity)
            for (token, value) in saved { values[token] = value }
        }
        // A small survivor set becomes the candidate list, so later passes are O(kept).
        if saved.count * 8 <= storage.count {
            cache.candidates = saved.map(\.0).sorted()
        }
    }

    /// The unmasked tokens with their probabilities.
    package func unmaskedProbabilities() -> [(probability: Float, token: Int)] {
        let probabilities = self.probabilities
        var pairs: [(probability: Float, token: Int)] = []
        pairs.reserveCapacity(unmaskedCount)
        forEachUnmasked { token, _ in pairs.append((probabilities[token], token)) }
        return pairs
    }
}

/// Checks a parameter and throws ``SamplingError/invalidParameter(_:)`` with `message` if not.
@inline(__always)
func require(_ condition: Bool, _ message: @autoclosure () -> String) throws {
    if !condition { throw SamplingError.invalidParameter(message()) }
}
