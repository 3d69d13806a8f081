/// A position in grammar text: 1-based line and column (columns count Unicode scalars).
public struct GrammarLocation: Sendable, Hashable, CustomStringConvertible {
    /// 1-based line number.
    public var line: Int
    /// 1-based column, in Unicode scalars.
    public var column: Int

    /// Creates a location.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// `line:column`.
    public var description: String { "\(line):\(column)" }
}

/// Why a GBNF grammar was rejected, with where in its text.
public enum GrammarError: Error, Equatable, Sendable {
    /// A rule name was expected (at the start of a rule).
    case expectedRuleName(at: GrammarLocation)
    /// `::=` was expected after a rule name.
    case expectedDefinition(rule: String, at: GrammarLocation)
    /// A character that cannot start or continue an expression here.
    case unexpectedCharacter(String, at: GrammarLocation)
    /// A rule reference to a rule that is never defined.
    case undefinedRule(String, at: GrammarLocation)
    /// The same rule is defined twice.
    case duplicateRule(String, at: GrammarLocation)
    /// No rule named `root`.
    case missingRoot
    /// A `"` literal that is not closed before the end of the text.
    case unterminatedLiteral(at: GrammarLocation)
    /// A `[` class that is not closed before the end of the text.
    case unterminatedCharacterClass(at: GrammarLocation)
    /// A `(` without its `)`.
    case unclosedParenthesis(at: GrammarLocation)
    /// A `)` without its `(`.
    case unmatchedClosingParenthesis(at: GrammarLocation)
    /// An unknown escape, or `\x`/`\u`/`\U` without enough hex digits.
    case badEscape(String, at: GrammarLocation)
    /// A code point that has no UTF-8 encoding (a surrogate or above U+10FFFF).
    case invalidCodePoint(UInt32, at: GrammarLocation)
    /// A class range whose end comes before its start (`[z-a]`).
    case invalidRange(from: UInt32, to: UInt32, at: GrammarLocation)
    /// A class that matches nothing (`[^\x00-\U0010FFFF]`).
    case emptyCharacterClass(at: GrammarLocation)
    /// A rule or group with no content at all (`x ::=` or `()`); an empty *alternative*
    /// beside others (`ws ::= | " "`) is allowed, as in llama.cpp.
    case emptyAlternation(at: GrammarLocation)
    /// `*`, `+`, `?` or `{…}` with nothing before it.
    case missingRepetitionOperand(at: GrammarLocation)
    /// A malformed `{m}`, `{m,}` or `{m,n}` (missing number, `m > n`, missing `}`).
    case badRepetition(String, at: GrammarLocation)
    /// A repetition count above ``GrammarLimits/maxRepetition``.
    case repetitionTooLarge(count: Int, limit: Int, at: GrammarLocation)
    /// The compiled grammar would exceed ``GrammarLimits/maxElements`` elements.
    case grammarTooLarge(elements: Int, limit: Int)
    /// Rule `rule` can derive itself without consuming input first. Left recursion is rejected
    /// (as llama.cpp does): rewrite `a ::= a x | y` as `a ::= y x*`.
    case leftRecursion(rule: String, at: GrammarLocation)
    /// A llama.cpp token reference (`<[id]>`, `<token>`, `!<…>`): these match token ids, which
    /// byte-level constraints never see.
    case unsupportedTokenReference(at: GrammarLocation)
    /// Expanding `root` before any byte already needs more than ``GrammarLimits/maxStacks``
    /// stacks (a grammar ambiguous from its first byte).
    case tooManyStartStacks(limit: Int)
    /// Something after a rule's body other than a newline or the end of the text.
    case expectedNewline(at: GrammarLocation)
}
