extension GrammarError: CustomStringConvertible {
    /// One sentence that says what the GBNF parser rejected, led by its `line:column`.
    public var description: String {
        switch self {
        case .expectedRuleName(let at): return "\(at): expected a rule name"
        case .expectedDefinition(let rule, let at): return "\(at): expected '::=' after rule '\(rule)'"
        case .unexpectedCharacter(let text, let at): return "\(at): unexpected '\(text)'"
        case .undefinedRule(let rule, let at): return "\(at): rule '\(rule)' is never defined"
        case .duplicateRule(let rule, let at): return "\(at): rule '\(rule)' is defined twice"
        case .missingRoot: return "no rule named 'root'"
        case .unterminatedLiteral(let at): return "\(at): unterminated string literal"
        case .unterminatedCharacterClass(let at): return "\(at): unterminated character class"
        case .unclosedParenthesis(let at): return "\(at): '(' is never closed"
        case .unmatchedClosingParenthesis(let at): return "\(at): ')' without '('"
        case .badEscape(let text, let at): return "\(at): bad escape '\(text)'"
        case .invalidCodePoint(let value, let at): return "\(at): code point \(value) has no UTF-8 encoding"
        case .invalidRange(let from, let to, let at): return "\(at): range end \(to) is before its start \(from)"
        case .emptyCharacterClass(let at): return "\(at): the character class matches nothing"
        case .emptyAlternation(let at): return "\(at): empty rule or group"
        case .missingRepetitionOperand(let at): return "\(at): repetition with nothing to repeat"
        case .badRepetition(let text, let at): return "\(at): malformed repetition '\(text)'"
        case .repetitionTooLarge(let count, let limit, let at): return "\(at): repetition count \(count) is above \(limit)"
        case .grammarTooLarge(let elements, let limit): return "the grammar needs \(elements) elements; the limit is \(limit)"
        case .leftRecursion(let rule, let at):
            return "\(at): rule '\(rule)' is left-recursive (rewrite a ::= a x | y as a ::= y x*)"
        case .unsupportedTokenReference(let at): return "\(at): token references are not supported (constraints read bytes)"
        case .tooManyStartStacks(let limit):
            return "the grammar is ambiguous from its first byte (more than \(limit) parser stacks)"
        case .expectedNewline(let at): return "\(at): expected a newline after the rule"
        }
    }
}
