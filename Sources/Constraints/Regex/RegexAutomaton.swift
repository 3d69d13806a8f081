/// A regular expression compiled to a deterministic automaton over bytes: the fast path of
/// ``RegexConstraint``. A state is one integer, advancing by a byte is one table lookup, and the
/// state after a prefix depends on the prefix only through the automaton, so states repeat
/// (masks cache by state) and advancing costs the same at the 1000th token as at the first.
///
/// Built from the pattern (parsed in PCRE2's meaning) by Thompson's construction over the UTF-8
/// encodings of its character classes, then the subset construction over byte classes, then
/// every state that cannot reach an accepting state is merged into the dead state 0, so a live
/// state is exactly a prefix some continuation completes (also inside a UTF-8 character).
///
/// The subset it compiles: literals, `.`, classes (ranges, negation, `\d \w \s \D \W \S`),
/// escapes of punctuation, `\t \n \r \f \xhh`, groups `(…)`, `(?:…)`, `(?<name>…)`,
/// alternation, and greedy or lazy quantifiers `* + ? {n} {n,} {n,m}` (lazy or greedy match the
/// same language). ``init(pattern:dot:)`` returns `nil` for anything else — anchors, lookaround,
/// backreferences, word boundaries, possessive quantifiers, flags, `\p`, `\x{…}`, `\u`, `\v`,
/// `\0`, POSIX classes, `[]…]`, verbs — and for automata past ``stateLimit``; the constraint
/// then keeps PCRE2's own matcher.
struct RegexAutomaton: Sendable {
    /// Most NFA states a pattern may expand to (counted repetitions multiply).
    static let nfaLimit = 200_000
    /// Most DFA states.
    static let stateLimit = 10_000

    /// `transitions[state << 8 | byte]`: the next state, 0 (dead) when the byte kills it.
    let transitions: [Int32]
    /// Whether each state accepts (the prefix is a full match).
    let accepting: [Bool]
    /// The state before any byte (0 when the language is empty).
    let start: Int32

    /// Compiles `pattern` when it lies in the subset (`dot`: what PCRE2's `.` matches; `nil`
    /// leaves patterns with `.` to PCRE2).
    init?(pattern: String, dot: CodePointSet?) {
        guard Self.screen(pattern, allowsDot: dot != nil),
              let node = try? RegexParser.parse(pattern, dialect: .pcre2(dot: dot ?? .empty)) else {
            return nil
        }
        var nfa = ByteNFA()
        guard let (entry, exit) = nfa.build(node), nfa.isWithinLimit else { return nil }
        guard let dfa = nfa.determinize(from: entry, accept: exit, limit: Self.stateLimit) else { return nil }
        (transitions, accepting, start) = dfa
    }

    /// Advances `state` by `byte` (0 stays dead).
    @inline(__always)
    func next(_ state: Int32, _ byte: UInt8) -> Int32 {
        transitions[Int(state) << 8 | Int(byte)]
    }

    /// Number of states, the dead state included.
    var stateCount: Int { accepting.count }

    /// Whether the pattern text avoids every construct whose syntax or meaning differs between
    /// PCRE2 and the parser's shared subset.
    static func screen(_ pattern: String, allowsDot: Bool) -> Bool {
        let s = Array(pattern.unicodeScalars)
        var i = 0
        var inClass = false
        var classStart = 0
        while i < s.count {
            let c = s[i]
            if c == "\\" {
                guard i + 1 < s.count else { return false }
                if "uvx0".unicodeScalars.contains(s[i + 1]) {
                    // `\xhh` with exactly two hex digits means the same in both.
                    guard s[i + 1] == "x", i + 3 < s.count, s[i + 2].properties.isASCIIHexDigit,
                          s[i + 3].properties.isASCIIHexDigit else { return false }
                }
                i += 2
                continue
            }
            if inClass {
                if c == "[" && i + 1 < s.count && (s[i + 1] == ":" || s[i + 1] == "." || s[i + 1] == "=") { return false }
                if c == "]" && i > classStart { inClass = false }
                if c == "]" && i == classStart { return false }  // `[]…]` / `[^]…]`
            } else {
                switch c {
                case "[":
                    inClass = true
                    classStart = i + 1
                    if i + 1 < s.count && s[i + 1] == "^" { classStart = i + 2 }
                case "^", "$": return false
                case "." where !allowsDot: return false
                case "{" where i + 1 < s.count && s[i + 1] == ",": return false
                default: break
                }
            }
            i += 1
        }
        return true
    }
}

/// A Thompson NFA over bytes: states with byte-range edges and ε-edges; the building block of
/// ``RegexAutomaton``.
struct ByteNFA {
    /// Byte-range edges of each state.
    var edges: [[(range: ClosedRange<UInt8>, target: Int32)]] = []
    /// ε-edges of each state.
    var epsilons: [[Int32]] = []

    var isWithinLimit: Bool { edges.count <= RegexAutomaton.nfaLimit }

    mutating func add() -> Int32 {
        edges.append([])
        epsilons.append([])
        return Int32(edges.count - 1)
    }

    /// Builds `node` between a fresh entry and exit; `nil` for anchors or past the size limit.
    mutating func build(_ node: RegexNode) -> (Int32, Int32)? {
        guard isWithinLimit else { return nil }
        switch node {
        case .start, .end:
            return nil
        case .characters(let set):
            let entry = add(), exit = add()
            for range in set.intersection(.all).ranges {
                for sequence in CodePointSet.utf8Sequences(range) {
                    var from = entry
                    for (k, byteRange) in sequence.enumerated() {
                        let to = k == sequence.count - 1 ? exit : add()
                        edges[Int(from)].append((byteRange, to))
                        from = to
                    }
                }
            }
            return (entry, exit)
        case .sequence(let parts):
            let entry = add()
            var last = entry
            for part in parts {
                guard let (e, x) = build(part) else { return nil }
                epsilons[Int(last)].append(e)
                last = x
            }
            return (entry, last)
        case .alternation(let branches):
            let entry = add(), exit = add()
            for branch in branches {
                guard let (e, x) = build(branch) else { return nil }
                epsilons[Int(entry)].append(e)
                epsilons[Int(x)].append(exit)
            }
            return (entry, exit)
        case .repetition(let inner, let minimum, let maximum):
            guard minimum <= RegexAutomaton.nfaLimit, (maximum ?? 0) <= RegexAutomaton.nfaLimit else { return nil }
            let entry = add()
            var last = entry
            for _ in 0..<minimum {
                guard let (e, x) = build(inner) else { return nil }
                epsilons[Int(last)].append(e)
                last = x
            }
            let exit = add()
            epsilons[Int(last)].append(exit)
            if let maximum {
                for _ in minimum..<max(minimum, maximum) {
                    guard let (e, x) = build(inner) else { return nil }
                    epsilons[Int(last)].append(e)
                    epsilons[Int(x)].append(exit)
                    last = x
                }
            } else {
                guard let (e, x) = build(inner) else { return nil }
                epsilons[Int(last)].append(e)
                epsilons[Int(x)].append(e)
                epsilons[Int(x)].append(exit)
            }
            return (entry, exit)
        }
    }

    /// The subset construction, then dead-state merging; `nil` past `limit` states.
    func determinize(from entry: Int32, accept: Int32, limit: Int) -> (transitions: [Int32], accepting: [Bool], start: Int32)? {
        // Byte classes: bytes no edge range tells apart behave the same everywhere.
        var boundary = [Bool](repeating: false, count: 257)
        for list in edges {
            for (range, _) in list {
                boundary[Int(range.lowerBound)] = true
                boundary[Int(range.upperBound) + 1] = true
            }
        }
        var classOf = [Int](repeating: 0, count: 256)
        var representatives: [UInt8] = []
        for byte in 0..<256 {
            if byte == 0 || boundary[byte] { representatives.append(UInt8(byte)) }
            classOf[byte] = representatives.count - 1
        }
        var mark = [Int](repeating: -1, count: edges.count)
        var stamp = 0
        func closure(_ seeds: [Int32]) -> [Int32] {
            stamp += 1
            var stack = seeds
            var out: [Int32] = []
            for s in seeds { mark[Int(s)] = stamp }
            while let s = stack.popLast() {
                out.append(s)
                for t in epsilons[Int(s)] where mark[Int(t)] != stamp {
                    mark[Int(t)] = stamp
                    stack.append(t)
                }
            }
            // Only states with byte edges, or the accepting one, tell subsets apart.
            return out.filter { !edges[Int($0)].isEmpty || $0 == accept }.sorted()
        }
        var ids: [[Int32]: Int32] = [[]: 0]
        var sets: [[Int32]] = [[]]
        var classTransitions: [[Int32]] = [[Int32](repeating: 0, count: representatives.count)]
        let startSet = closure([entry])
        if ids[startSet] == nil {
            ids[startSet] = 1
            sets.append(startSet)
            classTransitions.append([])
        }
        var next = 1
        while next < sets.count {
            let set = sets[next]
            var row = [Int32](repeating: 0, count: representatives.count)
            for (k, byte) in representatives.enumerated() {
                var targets: [Int32] = []
                for s in set {
                    for (range, target) in edges[Int(s)] where range.contains(byte) { targets.append(target) }
                }
                guard !targets.isEmpty else { continue }
                let successor = closure(targets)
                if let id = ids[successor] {
                    row[k] = id
                } else {
                    guard sets.count < limit else { return nil }
                    let id = Int32(sets.count)
                    ids[successor] = id
                    sets.append(successor)
                    classTransitions.append([])
                    row[k] = id
                }
            }
            classTransitions[next] = row
            next += 1
        }
        let accepting = sets.map { $0.contains(accept) }
        // States that can reach an accepting state (reverse reachability); the rest are dead.
        var predecessors = [[Int32]](repeating: [], count: sets.count)
        for s in 1..<sets.count {
            for t in classTransitions[s] where t != 0 { predecessors[Int(t)].append(Int32(s)) }
        }
        var live = accepting
        var stack = accepting.indices.filter { accepting[$0] }
        while let s = stack.popLast() {
            for p in predecessors[s] where !live[Int(p)] {
                live[Int(p)] = true
                stack.append(Int(p))
            }
        }
        live[0] = false
        var transitions = [Int32](repeating: 0, count: sets.count << 8)
        for s in 1..<sets.count where live[s] {
            for byte in 0..<256 {
                let t = classTransitions[s][classOf[byte]]
                transitions[s << 8 | byte] = live[Int(t)] ? t : 0
            }
        }
        return (transitions, accepting, live[1] ? 1 : 0)
    }
}
