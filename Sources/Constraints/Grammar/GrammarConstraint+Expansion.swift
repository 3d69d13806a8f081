/// Thrown inside an expansion when it produces more stacks, or deeper ones, than allowed.
enum StackLimitHit: Error {
    case tooMany
    case tooDeep
}

extension GrammarConstraint {
    /// Runs `body` with an ``Expansion`` writing stacks into `output`, then returns how many
    /// distinct stacks it wrote. `base` is the buffer the body's ``Expansion/continueStack``
    /// calls copy prefixes from; `depth` bounds the scratch stack.
    static func expand(grammar: Grammar, base: [Int32], depth: Int, into output: inout [Int32],
                       _ body: (inout Expansion) throws(StackLimitHit) -> Void) throws(StackLimitHit) -> Int {
        try base.withUnsafeBufferPointer { (base) throws(StackLimitHit) -> Int in
            try grammar.kinds.withUnsafeBufferPointer { (kinds) throws(StackLimitHit) -> Int in
                try grammar.arguments.withUnsafeBufferPointer { (arguments) throws(StackLimitHit) -> Int in
                    try grammar.alternativeOffsets.withUnsafeBufferPointer { (offsets) throws(StackLimitHit) -> Int in
                        try grammar.alternativeStarts.withUnsafeBufferPointer { (starts) throws(StackLimitHit) -> Int in
                            try withUnsafeTemporaryAllocation(of: Int32.self, capacity: max(depth, 1)) {
                                (work) throws(StackLimitHit) -> Int in
                                var expansion = Expansion(
                                    kinds: kinds, arguments: arguments, offsets: offsets, starts: starts,
                                    base: base, work: work, limit: grammar.limits.maxStacks,
                                    maxDepth: min(grammar.limits.maxStackDepth, work.count), output: output)
                                output = []
                                defer { output = expansion.output }
                                try body(&expansion)
                                return expansion.emitted
                            }
                        }
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
        let offsets: UnsafeBufferPointer<Int32>
        let starts: UnsafeBufferPointer<Int32>
        let base: UnsafeBufferPointer<Int32>
        let work: UnsafeMutableBufferPointer<Int32>
        let limit: Int
        let maxDepth: Int
        var output: [Int32]
        var emitted = 0
        /// Hashes of the stacks written, kept only once there are many.
        private var hashes: Set<Int> = []

        init(kinds: UnsafeBufferPointer<UInt8>, arguments: UnsafeBufferPointer<Int32>, offsets: UnsafeBufferPointer<Int32>,
             starts: UnsafeBufferPointer<Int32>, base: UnsafeBufferPointer<Int32>, work: UnsafeMutableBufferPointer<Int32>,
             limit: Int, maxDepth: Int, output: [Int32]) {
            self.kinds = kinds
            self.arguments = arguments
            self.offsets = offsets
            self.starts = starts
            self.base = base
            self.work = work
            self.limit = limit
            self.maxDepth = maxDepth
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
                guard depth < maxDepth else { throw .tooDeep }
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
                    guard depth + 1 < maxDepth else { throw .tooDeep }
                    work[depth] = Int32(returnTo)
                    d += 1
                }
                for a in Int(offsets[rule])..<Int(offsets[rule + 1]) {
                    try close(Int(starts[a]), depth: d)
                    if d > depth { work[depth] = Int32(returnTo) }
                }
            }
        }

        /// Writes `work[0..<count]` as a stack unless an identical one is already written.
        /// Duplicates are found by a scan comparing sizes and tops first; past 64 stacks a set
        /// of hashes skips the scan for stacks not seen before.
        private mutating func emit(count: Int) throws(StackLimitHit) {
            var hash: Int?
            if emitted >= 64 {
                var h: UInt64 = 0xcbf2_9ce4_8422_2325
                for k in 0..<count { h = (h ^ UInt64(UInt32(bitPattern: work[k]))) &* 0x1000_0000_01b3 }
                hash = Int(truncatingIfNeeded: h)
                if hashes.isEmpty { rehashWritten() }
            }
            if hash == nil || hashes.contains(hash!) {
                let top: Int32 = count > 0 ? work[count - 1] : -1
                var offset = 0
                while offset < output.count {
                    let size = Int(output[offset])
                    if size == count, count == 0 || output[offset + size] == top {
                        var same = true
                        for k in 0..<count where output[offset + 1 + k] != work[k] {
                            same = false
                            break
                        }
                        if same { return }
                    }
                    offset += size + 1
                }
            }
            emitted += 1
            if emitted > limit { throw .tooMany }
            if let hash { hashes.insert(hash) }
            output.append(Int32(count))
            for k in 0..<count { output.append(work[k]) }
        }

        /// Fills ``hashes`` from the stacks already written (done once, at 64 stacks).
        private mutating func rehashWritten() {
            var offset = 0
            while offset < output.count {
                let size = Int(output[offset])
                var h: UInt64 = 0xcbf2_9ce4_8422_2325
                for k in 0..<size { h = (h ^ UInt64(UInt32(bitPattern: output[offset + 1 + k]))) &* 0x1000_0000_01b3 }
                hashes.insert(Int(truncatingIfNeeded: h))
                offset += size + 1
            }
        }
    }
}
