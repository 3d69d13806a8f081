import PCRE

/// A ``Constraint`` whose language is the texts a regular expression matches completely
/// (anchored at both ends): PCRE2's semantics, decided by a byte automaton where the pattern
/// allows and by PCRE2 partial matching elsewhere.
///
/// **Automaton** (``Engine/automatic``, when ``usesAutomaton``): patterns in the subset
/// ``RegexAutomaton`` compiles (literals, `.`, classes and shorthands, groups, alternation,
/// quantifiers; no anchors, lookaround, backreferences, flags or `\p`) run on a deterministic
/// automaton over bytes. The state is one automaton state; advancing by a token reads only the
/// token's bytes (the same cost at token 1000 as at token 1), a prefix is alive exactly when
/// some continuation completes it (inside a UTF-8 character too, without search), states
/// repeat so masks are cached by state, and a mask costs one table lookup per live trie node.
/// Every pattern is also compiled by PCRE2, so invalid patterns get PCRE2's error either way.
///
/// **PCRE2** (every other pattern, or ``Engine/pcre2``): the state is the bytes read so far.
/// It may stop when the anchored, end-anchored match is full. A prefix is alive when some
/// continuation makes it a match; PCRE2, matching `(?:pattern)\z` anchored with
/// `PCRE2_PARTIAL_HARD`, reports a partial or full match for every such prefix, but a hard
/// partial match only says the match reached the end of the prefix without failing, so
/// assertions that read past it (`a\bb`, `a(?=b)`, `ab^c` after `"a"`) would make dead prefixes
/// look alive. Where the pattern's text shows such items (``partialMatchingIsExact``), a prefix
/// is alive only when a depth-first search over continuations (printable ASCII first, partial
/// matching pruning each step) finds one the full match accepts, within ``completionBudget``
/// matches and 64 characters; past either bound the prefix is refused and counted in
/// ``RegexStatistics/undecidedRefusals``. A match stopped by a resource limit is counted in
/// ``statistics`` and treated as a rejection, so regex bombs such as `(a+)+$` end quickly
/// instead of hanging.
///
/// `$` (outside multiline mode) matches only at the end of the text (`PCRE2_DOLLAR_ENDONLY`):
/// the language is whole texts, so `^[0-9]+$` means digits and nothing after them, and a
/// final newline is not a way to satisfy it (`$` before a final newline would accept `"12"`
/// only as a prefix of `"12\n"`, which the pattern cannot match).
///
/// A prefix ending inside a UTF-8 character is alive when some completion of that character
/// keeps it alive: the missing continuation bytes are enumerated (at most 64 per missing byte,
/// stopping at the first success) up to ``completionBudget`` matches; past the budget the
/// completion is assumed (counted in ``RegexStatistics/assumedCompletions``), except for
/// patterns searched as above, whose undecided prefixes are refused. A pattern that
/// can only match ASCII (judged from its text) rejects partial characters without search.
///
/// Patterns use PCRE2 syntax in UTF mode; `\d`, `\w`, `\s` are ASCII unless the pattern says
/// `(*UCP)`. An empty prefix is always alive.
///
/// - Complexity: automaton: one table lookup per byte. PCRE2: one match over the whole prefix
///   per advance (JIT-compiled when available), so advancing a long text byte by byte is
///   quadratic; prefer ``advance(_:by:)`` with whole tokens. ``RegexStatistics/bytesScanned``
///   counts what token advances read.
public struct RegexConstraint: Constraint {
    /// Which matcher decides the language.
    public enum Engine: Sendable, Hashable {
        /// The byte automaton when the pattern is in its subset, PCRE2 otherwise.
        case automatic
        /// Always PCRE2 partial matching over the whole prefix.
        case pcre2
    }

    /// Where the constraint stands after some bytes.
    public struct State: Sendable, Hashable {
        /// The prefix, as bytes (possibly ending inside a UTF-8 character) when PCRE2 decides;
        /// empty when the automaton does (its state says all that matters).
        public internal(set) var bytes: [UInt8]
        /// The automaton's state (0: dead; unused when PCRE2 decides).
        var node: Int32
    }

    /// The pattern as given.
    public let pattern: String
    /// Per-match resource limits.
    public let limits: PCREMatchLimits
    /// Largest number of matches spent proving a prefix can be completed: a trailing partial
    /// character, or (for patterns whose partial matching is not exact) a whole continuation.
    public let completionBudget: Int
    /// Counters shared by every copy of this constraint.
    public let statistics = RegexStatistics()
    let whole: PCRERegex
    let prefix: PCRERegex
    /// Whether the pattern provably matches only ASCII (then partial characters are dead).
    let asciiOnly: Bool
    /// Whether a partial match proves a completion exists (``partialMatchingIsExact(_:)``);
    /// otherwise liveness is searched.
    package let partialIsExact: Bool
    /// The compiled automaton, when the pattern is in its subset and the engine allows.
    let automaton: RegexAutomaton?

    /// Whether the automaton decides (otherwise PCRE2 does).
    public var usesAutomaton: Bool { automaton != nil }

    /// Compiles `pattern` (anchored, UTF-8).
    ///
    /// - Parameters:
    ///   - limits: per-match limits; the defaults stop catastrophic backtracking in well under a
    ///     second.
    ///   - completionBudget: matches allowed for proving one prefix can be completed.
    ///   - engine: the automaton where possible (default), or always PCRE2.
    /// - Throws: ``RegexError/invalidPattern(pattern:message:offset:)`` with PCRE2's message and
    ///   the byte offset in `pattern`.
    public init(pattern: String, limits: PCREMatchLimits = PCREMatchLimits(match: 1_000_000, depth: 100_000, heapKiB: 65_536),
                completionBudget: Int = 4096, engine: Engine = .automatic) throws(RegexError) {
        self.pattern = pattern
        self.limits = limits
        self.completionBudget = completionBudget
        self.asciiOnly = Self.matchesASCIIOnly(pattern)
        self.partialIsExact = Self.partialMatchingIsExact(pattern)
        do {
            whole = try PCRERegex(pattern, options: [.utf, .anchored, .endAnchored, .dollarEndOnly])
            prefix = try PCRERegex("(?:" + pattern + ")\\z", options: [.utf, .anchored, .dollarEndOnly])
        } catch {
            guard case .compile(let message, let offset) = error else {
                throw .invalidPattern(pattern: pattern, message: "\(error)", offset: 0)
            }
            throw .invalidPattern(pattern: pattern, message: message, offset: offset)
        }
        automaton = engine == .automatic ? RegexAutomaton(pattern: pattern, dot: Self.pcreDot) : nil
    }

    /// What PCRE2's `.` matches in this build (every scalar but the newline convention's), or
    /// `nil` when `.` matches a line feed (a CR or CRLF convention: `.` stays with PCRE2).
    static let pcreDot: CodePointSet? = {
        guard let dot = try? PCRERegex(".", options: [.utf, .anchored, .endAnchored]) else { return nil }
        func matches(_ scalar: UInt32) -> Bool {
            guard case .full? = try? dot.match(in: CodePointSet.encode(scalar)) else { return false }
            return true
        }
        if matches(0x0A) { return nil }
        let excluded = [0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0x2028, 0x2029].filter { !matches($0) }
        return CodePointSet.all.subtracting(CodePointSet(ranges: excluded.map { $0...$0 }))
    }()

    /// The empty prefix.
    public var start: State { State(bytes: [], node: automaton?.start ?? 0) }

    /// Appends `byte`: one table lookup (automaton), or one partial match (PCRE2; more for a
    /// trailing partial character).
    public func advance(from state: State, byte: UInt8, into next: inout State) throws(ConstraintError) -> Bool {
        if let automaton {
            next.node = automaton.next(state.node, byte)
            return next.node != 0
        }
        next.bytes.removeAll(keepingCapacity: true)
        next.bytes.append(contentsOf: state.bytes)
        next.bytes.append(byte)
        var probe = RegexProbe(self)
        defer { probe.flush() }
        return probe.isAlive(next.bytes)
    }

    /// Advances by all of `bytes`: the automaton reads them (and only them); PCRE2 checks the
    /// whole new prefix once (a prefix of a live text is live, so checking the end is enough).
    public func advance(_ state: State, by bytes: [UInt8]) throws(ConstraintError) -> State? {
        if let automaton {
            var node = state.node
            for byte in bytes where node != 0 { node = automaton.next(node, byte) }
            statistics.record(bytesScanned: bytes.count)
            return node == 0 ? nil : State(bytes: [], node: node)
        }
        let next = State(bytes: state.bytes + bytes, node: 0)
        var probe = RegexProbe(self)
        defer { probe.flush() }
        statistics.record(bytesScanned: next.bytes.count)
        return probe.isAlive(next.bytes) ? next : nil
    }

    /// Whether the whole prefix matches the pattern.
    public func canStop(_ state: State) -> Bool {
        if let automaton { return automaton.accepting[Int(state.node)] }
        if UTF8Tail.incomplete(state.bytes) != nil { return false }
        var limitHits = 0
        defer { statistics.record(matches: 1, limitHits: limitHits) }
        let result: PCREMatchResult
        do {
            result = try whole.match(in: state.bytes, limits: limits)
        } catch {
            return false  // invalid UTF-8 never matches
        }
        if case .limitExceeded = result { limitHits = 1 }
        if case .full = result { return true }
        return false
    }

    /// The trie walk with one reusable PCRE2 matcher and one growing prefix buffer: one partial
    /// match per live trie node that ends a token or roots a large subtree, no allocation per
    /// node; where partial matching is not exact, a completion search per token it leaves.
    ///
    /// With the automaton: one table lookup per live trie node, skipping every subtree under a
    /// byte that kills the state.
    public func allowedTokens(after state: State, trie: TokenTrie, stopTokens: Set<Int>) throws(ConstraintError) -> TokenMask {
        if let automaton { return automatonMask(automaton, after: state, trie: trie, stopTokens: stopTokens) }
        var mask = TokenMask(vocabularySize: trie.vocabularySize)
        var probe = RegexProbe(self)
        defer { probe.flush() }
        let base = state.bytes.count
        var path = state.bytes
        path.reserveCapacity(base + trie.maxDepth)
        let count = trie.nodeCount
        var node = 1
        while node < count {
            let depth = Int(trie.depths[node])
            path.removeSubrange((base + depth - 1)...)
            path.append(trie.bytes[node])
            let tokens = Int(trie.tokenOffsets[node])..<Int(trie.tokenOffsets[node + 1])
            // A node that ends no token and has a small subtree is not worth a match of its own:
            // its descendants are checked anyway (pruning is only an optimization).
            let worthChecking = !tokens.isEmpty || Int(trie.subtreeEnds[node]) - node > 16
            if !worthChecking || probe.mayContinue(path) {
                if !tokens.isEmpty, partialIsExact || probe.isAlive(path) {
                    for k in tokens { mask.insert(Int(trie.tokens[k])) }
                }
                node += 1
            } else {
                node = Int(trie.subtreeEnds[node])
            }
        }
        if canStop(state) {
            for token in stopTokens where token >= 0 && token < trie.vocabularySize { mask.insert(token) }
        }
        return mask
    }
}

extension RegexConstraint {
    /// The trie walk on the automaton: the state at each depth, one lookup per node.
    private func automatonMask(_ automaton: RegexAutomaton, after state: State, trie: TokenTrie,
                               stopTokens: Set<Int>) -> TokenMask {
        var mask = TokenMask(vocabularySize: trie.vocabularySize)
        guard state.node != 0 else { return mask }
        var nodes = [Int32](repeating: 0, count: trie.maxDepth + 1)
        nodes[0] = state.node
        let count = trie.nodeCount
        automaton.transitions.withUnsafeBufferPointer { table in
            trie.bytes.withUnsafeBufferPointer { bytes in
                trie.depths.withUnsafeBufferPointer { depths in
                    trie.subtreeEnds.withUnsafeBufferPointer { ends in
                        trie.tokenOffsets.withUnsafeBufferPointer { offsets in
                            trie.tokens.withUnsafeBufferPointer { tokens in
                                nodes.withUnsafeMutableBufferPointer { path in
                                    var node = 1
                                    while node < count {
                                        let depth = Int(depths[node])
                                        let next = table[Int(path[depth - 1]) << 8 | Int(bytes[node])]
                                        if next == 0 {
                                            node = Int(ends[node])
                                            continue
                                        }
                                        path[depth] = next
                                        for k in Int(offsets[node])..<Int(offsets[node + 1]) { mask.insert(Int(tokens[k])) }
                                        node += 1
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        if automaton.accepting[Int(state.node)] {
            for token in stopTokens where token >= 0 && token < trie.vocabularySize { mask.insert(token) }
        }
        return mask
    }
}

/// The viability checks of a ``RegexConstraint`` with one reusable matcher and local counters
/// (recorded into the shared statistics once, by ``flush()``).
struct RegexProbe {
    let constraint: RegexConstraint
    let matcher: PCREMatcher
    /// The full match, for the completion search (`nil` when partial matching is exact).
    let wholeMatcher: PCREMatcher?
    var matches = 0
    var limitHits = 0
    var assumed = 0
    var undecided = 0

    /// Longest continuation the completion search tries, in bytes.
    static let searchDepth = 64

    init(_ constraint: RegexConstraint) {
        self.constraint = constraint
        matcher = constraint.prefix.makeMatcher(limits: constraint.limits)
        wholeMatcher = constraint.partialIsExact ? nil : constraint.whole.makeMatcher(limits: constraint.limits)
    }

    func flush() {
        constraint.statistics.record(matches: matches, limitHits: limitHits, assumedCompletions: assumed,
                                     undecidedRefusals: undecided)
    }

    /// Whether `bytes` can still be extended to a full match.
    mutating func isAlive(_ bytes: [UInt8]) -> Bool {
        guard !bytes.isEmpty else { return true }
        if !constraint.partialIsExact { return mayContinue(bytes) && hasCompletion(bytes) }
        guard let tail = UTF8Tail.incomplete(bytes) else { return viable(bytes[...]) }
        if constraint.asciiOnly { return false }
        if tail.lead > 0, !viable(bytes[..<tail.lead]) { return false }
        var candidate = bytes
        var budget = constraint.completionBudget
        let result = complete(&candidate, missing: tail.missing, lead: tail.lead, budget: &budget)
        if result == nil { assumed += 1 }
        return result ?? true
    }

    /// Tries every well-formed completion of the partial character at the end of `bytes`;
    /// `nil` when the budget ran out first.
    private mutating func complete(_ bytes: inout [UInt8], missing: Int, lead: Int, budget: inout Int) -> Bool? {
        for byte in UTF8Tail.nextContinuations(after: bytes[lead...]) {
            bytes.append(byte)
            defer { bytes.removeLast() }
            if missing == 1 {
                guard budget > 0 else { return nil }
                budget -= 1
                if viable(bytes[...]) { return true }
            } else {
                switch complete(&bytes, missing: missing - 1, lead: lead, budget: &budget) {
                case true?: return true
                case nil: return nil
                case false?: break
                }
            }
        }
        return false
    }

    /// A necessary condition for ``isAlive(_:)`` that costs at most one match: the same when
    /// partial matching is exact; otherwise PCRE2's partial match of the whole characters (a
    /// trie walk may prune on it, never on an undecided completion search).
    mutating func mayContinue(_ bytes: [UInt8]) -> Bool {
        if constraint.partialIsExact { return isAlive(bytes) }
        let complete = UTF8Tail.incomplete(bytes).map { $0.lead } ?? bytes.count
        if complete < bytes.count, constraint.asciiOnly { return false }
        return complete == 0 || viable(bytes[..<complete])
    }

    /// Whether some continuation of `bytes` (possibly empty, possibly ending inside a character)
    /// is a full match, found by ``search(_:depth:budget:)``; an undecided search is a refusal.
    private mutating func hasCompletion(_ bytes: [UInt8]) -> Bool {
        var path = bytes
        var budget = constraint.completionBudget
        switch search(&path, depth: 0, budget: &budget) {
        case true?: return true
        case false?: return false
        case nil:
            undecided += 1
            return false
        }
    }

    /// The bytes the completion search appends after a whole character, in order: printable
    /// ASCII, tab, LF, CR, the other controls, then UTF-8 lead bytes (unless the pattern only
    /// matches ASCII).
    static let searchOrder: [UInt8] = asciiSearchOrder + Array(0xC2...0xF4)
    /// ``searchOrder`` without the lead bytes.
    static let asciiSearchOrder: [UInt8] = Array(0x20...0x7E) + [0x09, 0x0A, 0x0D]
        + Array(0x00...0x1F).filter { ![0x09, 0x0A, 0x0D].contains($0) } + [0x7F]

    /// Depth-first search for a full match extending `path`, whose whole characters PCRE2 has
    /// already called partial: `true` when found, `false` when partial matching rules out every
    /// continuation, `nil` when the budget or the depth ran out first.
    private mutating func search(_ path: inout [UInt8], depth: Int, budget: inout Int) -> Bool? {
        if let tail = UTF8Tail.incomplete(path) {
            for byte in UTF8Tail.nextContinuations(after: path[tail.lead...]) {
                guard let found = extend(&path, with: byte, checked: tail.missing == 1, depth: depth, budget: &budget) else { return nil }
                if found { return true }
            }
            return false
        }
        guard budget > 0 else { return nil }
        budget -= 1
        if stops(path) { return true }
        guard depth < Self.searchDepth else { return nil }
        for byte in constraint.asciiOnly ? Self.asciiSearchOrder : Self.searchOrder {
            guard let found = extend(&path, with: byte, checked: byte < 0x80, depth: depth, budget: &budget) else { return nil }
            if found { return true }
        }
        return false
    }

    /// The search one byte deeper, along `path` + `byte`. With `checked` (the byte ends a
    /// character), partial matching first judges the new prefix, at one match of the budget:
    /// `false` when it rules the prefix out, `nil` when the budget is spent.
    private mutating func extend(_ path: inout [UInt8], with byte: UInt8, checked: Bool, depth: Int,
                                 budget: inout Int) -> Bool? {
        path.append(byte)
        defer { path.removeLast() }
        if checked {
            guard budget > 0 else { return nil }
            budget -= 1
            guard viable(path[...]) else { return false }
        }
        return search(&path, depth: depth + 1, budget: &budget)
    }

    /// One full (anchored, end-anchored) match on complete UTF-8 `bytes`.
    private mutating func stops(_ bytes: [UInt8]) -> Bool {
        guard let wholeMatcher else { return false }
        matches += 1
        let result: PCREMatchResult
        do {
            result = try bytes.withUnsafeBufferPointer { (buffer) throws(PCREError) in try wholeMatcher.match(buffer) }
        } catch {
            return false
        }
        switch result {
        case .full: return true
        case .partial, .noMatch: return false
        case .limitExceeded:
            limitHits += 1
            return false
        }
    }

    /// One partial match on complete UTF-8 `bytes`.
    private mutating func viable(_ bytes: ArraySlice<UInt8>) -> Bool {
        matches += 1
        let result: PCREMatchResult
        do {
            result = try bytes.withUnsafeBufferPointer { (buffer) throws(PCREError) in
                try matcher.match(buffer, options: .partialHard)
            }
        } catch {
            return false  // invalid UTF-8 can never become a match
        }
        switch result {
        case .full, .partial: return true
        case .noMatch: return false
        case .limitExceeded:
            limitHits += 1
            return false
        }
    }
}
