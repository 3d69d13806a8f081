import Foundation

/// Counters a ``RegexConstraint`` keeps across all its states: how often PCRE2 ran, how often
/// a resource limit stopped a match (each such prefix was rejected), how often a completion
/// search could not decide (each such prefix was refused), and how often the completion of a
/// trailing partial UTF-8 character was assumed rather than proven.
///
/// Shared by every copy of the constraint; safe to read from any thread (guarded by a lock,
/// which is why this is a class).
public final class RegexStatistics: @unchecked Sendable {
    private let lock = NSLock()
    private var _matches = 0
    private var _limitHits = 0
    private var _assumedCompletions = 0
    private var _undecidedRefusals = 0
    private var _bytesScanned = 0

    init() {}

    /// PCRE2 match calls made.
    public var matches: Int { lock.withLock { _matches } }
    /// Matches stopped by a match/depth/heap limit (treated as rejections).
    public var limitHits: Int { lock.withLock { _limitHits } }
    /// Partial characters accepted because proving a completion exceeded the search budget.
    public var assumedCompletions: Int { lock.withLock { _assumedCompletions } }

    /// Prefixes refused because the completion search (for patterns whose partial matching is
    /// not exact, see ``RegexConstraint``) ran out of budget or depth before deciding.
    public var undecidedRefusals: Int { lock.withLock { _undecidedRefusals } }

    /// Bytes read by token advances (``RegexConstraint/advance(_:by:)``): the token's bytes on
    /// the automaton, the whole new prefix under PCRE2.
    public var bytesScanned: Int { lock.withLock { _bytesScanned } }

    func record(bytesScanned: Int) {
        lock.withLock { _bytesScanned += bytesScanned }
    }

    func record(matches: Int, limitHits: Int, assumedCompletions: Int = 0, undecidedRefusals: Int = 0) {
        lock.withLock {
            _matches += matches
            _limitHits += limitHits
            _assumedCompletions += assumedCompletions
            _undecidedRefusals += undecidedRefusals
        }
    }
}
