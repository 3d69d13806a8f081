/// Thrown inside an expansion when it produces more stacks than allowed.
struct StackLimitHit: Error {}

extension GrammarConstraint {
    /// Runs `body` with an ``Expansion`` writing stacks into `output`, then returns how many
    /// distinct stacks it wrote. `base` is the buffer the body's ``Expansion/continueStack``
    /// calls copy prefixes from; `depth` bounds the scratch stack.
    static func expand(grammar: Grammar, base: [Int32], depth: Int, into output: inout [Int32],
                       _ body: (inout Expansion) throws(StackLimitHit) -> Void) throws(StackLimitHit) -> Int {
        try base.withUnsafeBufferPointer { (base) throws(StackLimitHit) -> Int in
            try grammar.kinds.withUnsafeBufferPointer { (kinds) throws(StackLimitHit) -> Int in
                try grammar.arguments.withUnsafeBufferPointer { (arguments) throws(StackLimitHit) -> Int in
                    try withUnsafeTemporaryAllocation(of: Int32.self, capacity: max(depth, 1)) { (work) throws(StackLimitHit) -> Int in
                        var expansion = Expansion(
                            kinds: kinds, arguments: arguments, offsets: grammar.alternativeOffsets,
                            starts: grammar.alternativeStarts, base: base, work: work,
                            limit: grammar.limits.maxStacks, output: output)
                        output = []
                        defer { output = expansion.output }
                        try body(&expansion)
                        return expansion.emitted
                    }
                }
            }
        }
    }

    /// The closure step of the recognizer: expands stacks until their tops are terminals,
    /// writing each distinct result once.
    struct Expansion {
        let kinds: UnsafeBufferPointer<UInt8>
        let arguments: UnsafeBufferPointer<Int32>
        let offsets: [Int32]
        let starts: [Int32]
        let base: UnsafeBufferPointer<Int32>
        let work: UnsafeMutableBufferPointer<Int32>
        let limit: Int
        var output: [Int32]
        var emitted = 0
        /// Hash and start offset of every stack written, for merging duplicates.
        private var written: [(hash: Int, offset: Int)] = []

        init(kinds: UnsafeBufferPointer<UInt8>, arguments: UnsafeBufferPointer<Int32>, offsets: [Int32],
             starts: [Int32], base: UnsafeBufferPointer<Int32>, work: UnsafeMutableBufferPointer<Int32>,
             limit: Int, output: [Int32]) {
            self.kinds = kinds
            self.arguments = arguments
            self.offsets = offsets
            self.starts = starts
            self.base = base
            self.work = work
            self.limit = limit
            self.output = output
        }

        /// Expands every alternative of `rule` on an empty stack.
        mutating func alternatives(ofRule rule: Int32) throws(StackLimitHit) {
            for a in Int(offsets[Int(rule)])..<Int(offsets[Int(rule) + 1]) {
                try close(Int(starts[a]), depth: 0)
            }
        }

        /// Expands the stack `base[offset..<offset+count]` with `position` on top.
        mutating func continueStack(at offset: Int, count: Int, from position: Int32) throws(StackLimitHit) {
            for k in 0..<count { work[k] = base[offset + k] }
            try close(Int(position), depth: count)
        }

        /// Expands `work[0..<depth]` with `position` on top; leaves `work[0..<depth]` unchanged.
        private mutating func close(_ position: Int, depth: Int) throws(StackLimitHit) {
            switch kinds[position] {
            case Grammar.Kind.terminal.rawValue:
                work[depth] = Int32(position)
                try emit(count: depth + 1)
            case Grammar.Kind.end.rawValue:
                if depth == 0 {
                    try emit(count: 0)
                } else {
                    let back = work[depth - 1]
                    try close(Int(back), depth: depth - 1)
                    work[depth - 1] = back
                }
            default:
                let rule = Int(arguments[position])
                let returnTo = position + 1
                var d = depth
                if kinds[returnTo] != Grammar.Kind.end.rawValue {
                    work[depth] = Int32(returnTo)
                    d += 1
                }
                for a in Int(offsets[rule])..<Int(offsets[rule + 1]) {
                    try close(Int(starts[a]), depth: d)
                    if d > depth { work[depth] = Int32(returnTo) }
                }
            }
        }

        private mutating func emit(count: Int) throws(StackLimitHit) {
            var hasher = Hasher()
            for k in 0..<count { hasher.combine(work[k]) }
            let hash = hasher.finalize()
            for w in written where w.hash == hash && Int(output[w.offset]) == count {
                var same = true
                for k in 0..<count where output[w.offset + 1 + k] != work[k] {
                    same = false
                    break
                }
                if same { return }
            }
            emitted += 1
            if emitted > limit { throw StackLimitHit() }
            written.append((hash, output.count))
            output.append(Int32(count))
            for k in 0..<count { output.append(work[k]) }
        }
    }
}
