/// A ``Constraint`` recognizing a ``Grammar``'s language byte by byte with a set of pushdown
/// stacks, the way llama.cpp's grammar sampler does, at the byte level.
///
/// Every stack's top is a terminal (a byte set) still to be matched; below it are the positions
/// to return to when the rules above complete. Advancing by a byte keeps the stacks whose top
/// contains the byte, moves each past its terminal, and re-expands it until its top is again a
/// terminal (descending into referenced rules, popping finished alternatives; a reference in
/// tail position is not pushed, so `x*` loops run in constant stack depth). Identical stacks are
/// merged. Code points are never decoded: classes were compiled into UTF-8 byte sequences, so a
/// token ending inside a multi-byte character leaves the stacks inside that sequence.
///
/// - Complexity: per byte, linear in the number of live stacks times their re-expansion,
///   bounded by ``GrammarLimits/maxStacks`` and ``GrammarLimits/maxStackDepth`` (beyond them
///   ``ConstraintError/stateLimitExceeded(limit:)`` or
///   ``ConstraintError/stackDepthExceeded(limit:)``).
public struct GrammarConstraint: Constraint {
    /// The compiled grammar.
    public let grammar: Grammar
    /// The state before any byte: the root rule's alternatives expanded.
    public let start: GrammarState
    /// Deepest return stack a start expansion can add; sizes the scratch buffers.
    private let expansionDepth: Int

    /// A recognizer for `grammar`.
    ///
    /// - Throws: ``GrammarError/tooManyStartStacks(limit:)`` when expanding the root already
    ///   needs more than ``GrammarLimits/maxStacks`` stacks.
    public init(_ grammar: Grammar) throws(GrammarError) {
        self.grammar = grammar
        self.expansionDepth = grammar.ruleNames.count + 2
        var words: [Int32] = []
        do {
            _ = try Self.expand(grammar: grammar, base: [], depth: min(expansionDepth, grammar.limits.maxStackDepth + 1),
                                into: &words) { (closure: inout Expansion) throws(StackLimitHit) in
                try closure.alternatives(ofRule: grammar.root)
            }
        } catch {
            throw .tooManyStartStacks(limit: grammar.limits.maxStacks)
        }
        self.start = GrammarState(words: words)
    }

    /// Parses and compiles GBNF text into a recognizer.
    public init(gbnf text: String, limits: GrammarLimits = GrammarLimits()) throws(GrammarError) {
        try self.init(Grammar(gbnf: text, limits: limits))
    }

    /// Whether some stack is empty: the root rule can be complete here.
    public func canStop(_ state: GrammarState) -> Bool {
        var i = 0
        let words = state.words
        while i < words.count {
            if words[i] == 0 { return true }
            i += Int(words[i]) + 1
        }
        return false
    }

    /// Keeps the stacks whose top terminal contains `byte`, moves them past it and re-expands
    /// them, merging duplicates; `false` when none survives.
    public func advance(from state: GrammarState, byte: UInt8,
                        into next: inout GrammarState) throws(ConstraintError) -> Bool {
        next.words.removeAll(keepingCapacity: true)
        let words = state.words
        var maxDepth = 0
        var i = 0
        while i < words.count {
            maxDepth = max(maxDepth, Int(words[i]))
            i += Int(words[i]) + 1
        }
        let grammar = self.grammar
        let produced: Int
        do {
            produced = try Self.expand(grammar: grammar, base: words,
                                       depth: min(maxDepth + expansionDepth, grammar.limits.maxStackDepth + 1),
                                       into: &next.words) { (closure: inout Expansion) throws(StackLimitHit) in
                var i = 0
                while i < words.count {
                    let count = Int(words[i])
                    if count > 0 {
                        let top = Int(words[i + count])
                        if grammar.byteSets[Int(grammar.arguments[top])].contains(byte) {
                            try closure.continueStack(at: i + 1, count: count - 1, from: Int32(top + 1))
                        }
                    }
                    i += count + 1
                }
            }
        } catch .tooMany {
            throw .stateLimitExceeded(limit: grammar.limits.maxStacks)
        } catch {
            throw .stackDepthExceeded(limit: grammar.limits.maxStackDepth)
        }
        return produced > 0
    }
}
