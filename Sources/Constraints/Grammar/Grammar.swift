/// A compiled context-free grammar over bytes, from GBNF text (llama.cpp's format).
///
/// Compilation turns code points into UTF-8 bytes (a character class becomes alternatives of
/// byte classes), repetitions into helper rules (`x{m,n}` as m copies and a nested chain of
/// optionals, as llama.cpp does, so the recognizer never keeps counters), and every rule into
/// a flat array of elements: a terminal (a set of bytes), a rule reference, or the end of an
/// alternative. Left recursion is rejected with ``GrammarError/leftRecursion(rule:at:)``.
///
/// ```swift
/// let grammar = try Grammar(gbnf: #"root ::= "a" [0-9]+"#)
/// let constraint = GrammarConstraint(grammar)
/// ```
public struct Grammar: Sendable {
    /// Element kinds in ``kinds``.
    enum Kind: UInt8 { case terminal = 0, reference = 1, end = 2 }

    /// Kind of each element.
    let kinds: [UInt8]
    /// Terminal: index into ``byteSets``; reference: rule id; end: owning rule id.
    let arguments: [Int32]
    /// The distinct byte sets of the terminals.
    let byteSets: [ByteSet]
    /// Rule `r`'s alternatives start at `alternativeStarts[alternativeOffsets[r]..<alternativeOffsets[r + 1]]`.
    let alternativeOffsets: [Int32]
    /// First element of every alternative, grouped by rule.
    let alternativeStarts: [Int32]
    /// Names of the rules by id (helper rules are named `parent_n`).
    public let ruleNames: [String]
    /// Id of `root`.
    let root: Int32
    /// The limits it was compiled with; the recognizer uses ``GrammarLimits/maxStacks``.
    public let limits: GrammarLimits

    /// Parses and compiles GBNF text.
    ///
    /// - Throws: ``GrammarError`` naming what is wrong and where (line and column).
    /// - Complexity: linear in the text and the expanded repetitions (bounded by `limits`).
    public init(gbnf text: String, limits: GrammarLimits = GrammarLimits()) throws(GrammarError) {
        var parser = GBNFParser(text)
        let syntax = try parser.parse()
        var compiler = GrammarCompiler(limits: limits)
        let ir = try compiler.compile(syntax)
        try ir.checkLeftRecursion()
        var kinds: [UInt8] = []
        var arguments: [Int32] = []
        var offsets: [Int32] = [0]
        var starts: [Int32] = []
        for (id, rule) in ir.rules.enumerated() {
            for alternative in rule.alternatives {
                starts.append(Int32(kinds.count))
                for symbol in alternative {
                    switch symbol {
                    case .bytes(let set):
                        kinds.append(Kind.terminal.rawValue)
                        arguments.append(set)
                    case .rule(let r):
                        kinds.append(Kind.reference.rawValue)
                        arguments.append(r)
                    }
                }
                kinds.append(Kind.end.rawValue)
                arguments.append(Int32(id))
            }
            offsets.append(Int32(starts.count))
        }
        guard kinds.count <= limits.maxElements else {
            throw .grammarTooLarge(elements: kinds.count, limit: limits.maxElements)
        }
        self.kinds = kinds
        self.arguments = arguments
        self.byteSets = ir.byteSets
        self.alternativeOffsets = offsets
        self.alternativeStarts = starts
        self.ruleNames = ir.rules.map(\.name)
        self.root = ir.root
        self.limits = limits
    }

    /// Number of compiled elements (terminals, references and alternative ends).
    public var elementCount: Int { kinds.count }
}
