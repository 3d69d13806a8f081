/// One batched append for several sequences that may share session objects: the prefix sharing
/// of best-of-N candidates, CNTP trials and SMC particles.
///
/// Sequences that hold identical tokens can hold the *same* session object; evaluating it once
/// serves them all (a token's logits do not depend on which other sequences were in the batch:
/// the runtime's batch-invariance contract, see ``LanguageModel/appendBatch(_:tokens:)``). The
/// object is split only when its sequences diverge: sequences of one object that append the same
/// token keep sharing it, each further token gets a fork taken before anything is appended, and
/// an object also held by a sequence that is not appending now (one that ended) is forked for
/// every appender, so the held sequence keeps its tokens. At most one fork per divergence,
/// never more than forking every sequence up front.
///
/// Callers keep the invariant that sequences sharing an object hold the same tokens, and — when
/// they share rows too (``SharedRows``) — the same processor chain state.
package enum SharedSessionBatch {
    private struct Key: Hashable {
        let session: ObjectIdentifier
        let token: Int
    }

    /// Appends `tokens[i]` to sequence `i`, held in `sessions[i]`, in one
    /// ``LanguageModel/appendBatch(_:tokens:)`` over the distinct (session, token) pairs;
    /// `sessions[i]` is replaced by the session that holds sequence `i` afterwards. `held` are
    /// sessions of sequences that must not change.
    ///
    /// - Returns: the number of tokens evaluated (distinct pairs).
    /// - Throws: the errors of `fork()` and of `appendBatch`.
    /// - Complexity: O(sequences) besides the model call.
    package static func append(_ tokens: [Int], to sessions: inout [any ModelSession], held: [any ModelSession] = [],
                               model: any LanguageModel) throws -> Int {
        precondition(tokens.count == sessions.count, "one token per sequence")
        let heldObjects = Set(held.map { ObjectIdentifier($0) })
        var claimed: Set<ObjectIdentifier> = []
        var slots: [Key: Int] = [:]
        var batch: [any ModelSession] = []
        var batchTokens: [Int] = []
        for index in sessions.indices {
            let object = ObjectIdentifier(sessions[index])
            let key = Key(session: object, token: tokens[index])
            if let slot = slots[key] {
                sessions[index] = batch[slot]
                continue
            }
            if heldObjects.contains(object) || !claimed.insert(object).inserted {
                sessions[index] = try sessions[index].fork()
            }
            slots[key] = batch.count
            batch.append(sessions[index])
            batchTokens.append(tokens[index])
        }
        if !batch.isEmpty { try model.appendBatch(batch, tokens: batchTokens) }
        return batch.count
    }
}
