/// The processed rows of one position for sequences that may share session objects
/// (``SharedSessionBatch``): each distinct session's row is loaded and run through the chain
/// once, and every sequence holding that session gets the same row (with its cached softmax)
/// and the chain state the run left. Sequences sharing a session hold the same tokens and,
/// having accepted the same tokens into copies of one chain, the same chain state, so their
/// processed rows are identical; computing the row once changes no result.
///
/// A row is recomputed when its session has grown since (a new position), and the sessions are
/// held while their rows are, so an identity is never mistaken for another session's. The
/// buffers are kept from position to position, so steady state allocates nothing.
package struct SharedRows {
    private struct Entry {
        /// Held so its identity cannot be reused by a new session while the entry exists.
        let session: any ModelSession
        /// The session's length when the row was computed (a longer session is a new position).
        let length: Int
        var processed: Logits
        /// The chain after it processed this row.
        var chain: LogitProcessorChain
        /// `log Σ exp` of the session's unprocessed row, once asked for.
        var rawLogSumExp: Double?
    }

    private var entries: [Entry] = []
    private var entryIndex: [ObjectIdentifier: Int] = [:]
    /// Rows of earlier positions whose storage is reused.
    private var spare: [Logits] = []

    /// No rows yet.
    package init() {}

    /// Forgets the rows (call once the sessions moved on), keeping their buffers.
    package mutating func clear() {
        for entry in entries { spare.append(entry.processed) }
        entries.removeAll(keepingCapacity: true)
        entryIndex.removeAll(keepingCapacity: true)
    }

    /// The row of `session` after `chain`: computed on the first call for this session since
    /// ``clear()``; later calls for the same session return it and set `chain` to the state the
    /// first call left.
    ///
    /// - Throws: the errors of ``Logits/loading(_:into:vocabularySize:)`` and of the chain.
    package mutating func processed(for session: any ModelSession, chain: inout LogitProcessorChain,
                                    vocabularySize: Int) throws -> Logits {
        try entry(for: session, chain: &chain, vocabularySize: vocabularySize).processed
    }

    /// `log p` of `token` under `session`'s unprocessed row (the row itself is not copied; its
    /// `log Σ exp` is computed once per session, exactly as ``Logits/logSumExp`` computes it).
    /// Call after ``processed(for:chain:vocabularySize:)`` for that session, which checked the row.
    package mutating func rawLogProbability(of token: Int, in session: any ModelSession) -> Double {
        let values = session.logits
        let lse: Double
        if let index = entryIndex[ObjectIdentifier(session)], entries[index].length == session.count {
            if let known = entries[index].rawLogSumExp {
                lse = known
            } else {
                lse = Logits.logSumExp(of: values)
                entries[index].rawLogSumExp = lse
            }
        } else {
            lse = Logits.logSumExp(of: values)
        }
        let value = values[token]
        return value == -.infinity ? -.infinity : Double(value) - lse
    }

    private mutating func entry(for session: any ModelSession, chain: inout LogitProcessorChain,
                                vocabularySize: Int) throws -> Entry {
        let object = ObjectIdentifier(session)
        if let index = entryIndex[object], entries[index].length == session.count {
            chain = entries[index].chain
            return entries[index]
        }
        var reused = spare.popLast()
        var processed = try Logits.loading(session.logits, into: &reused, vocabularySize: vocabularySize)
        try chain.apply(to: &processed, history: session.tokens)
        let entry = Entry(session: session, length: session.count, processed: processed, chain: chain)
        if let index = entryIndex[object] {
            spare.append(entries[index].processed)
            entries[index] = entry
        } else {
            entryIndex[object] = entries.count
            entries.append(entry)
        }
        return entry
    }
}
