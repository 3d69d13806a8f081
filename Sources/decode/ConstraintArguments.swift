import ArgumentParser
import Constraints
import Foundation

/// How a constrained generation draws its tokens.
enum ConstrainMethod: String, ExpressibleByArgument, CaseIterable {
    /// Locally constrained decoding: mask every disallowed token (``LocallyConstrainedStrategy``).
    case lcd
    /// Adaptive weighted rejection sampling (``AWRSStrategy``).
    case awrs
    /// Sequential Monte Carlo with AWRS proposals (``SMCStrategy``).
    case smc
}

extension ResamplingScheme: ExpressibleByArgument {}

/// The constraint options of `decode generate`: one of `--regex`, `--grammar`, `--json-schema`,
/// and how to sample under it (`--constrain`, with `--particles`, `--ess-threshold` and
/// `--resample` for SMC).
struct ConstraintArguments: ParsableArguments {
    @Option(name: .long, help: "Constrain the output to match this regular expression (PCRE2, whole text).")
    var regex: String?

    @Option(name: .long, help: "Constrain the output to this GBNF grammar file (llama.cpp's format).")
    var grammar: String?

    @Option(name: .customLong("json-schema"), help: "Constrain the output to JSON valid under this JSON Schema file.")
    var jsonSchema: String?

    @Option(name: .long, help: """
        How to sample under the constraint: awrs (the default: adaptive weighted rejection sampling \
        checks only the tokens it draws and samples the same distribution as lcd), lcd (a full mask \
        of allowed tokens at every step) or smc (sequential Monte Carlo over --particles sequences, \
        for the distribution of whole outputs; not at --temp 0). Truncation (--top-k, --top-p, \
        --min-p, --typical) is off under a constraint unless given; given, it acts on the \
        constrained distribution with lcd and before the constraint with awrs and smc.
        """)
    var constrain: ConstrainMethod?

    @Option(name: .long, parsing: .unconditional, help: "SMC: number of particles.")
    var particles: Int?

    @Option(name: .long, parsing: .unconditional, help: "SMC: resample when the effective sample size falls below this fraction of the particles, in [0, 1].")
    var essThreshold: Double?

    @Option(name: .long, help: "SMC: resampling scheme: multinomial, stratified or systematic.")
    var resample: ResamplingScheme?

    /// Whether a constraint was given.
    var isConstrained: Bool { regex != nil || grammar != nil || jsonSchema != nil }

    /// The sampling method (awrs when a constraint is given without `--constrain`).
    var method: ConstrainMethod { constrain ?? .awrs }

    func validate() throws {
        let given = [("--regex", regex), ("--grammar", grammar), ("--json-schema", jsonSchema)].filter { $0.1 != nil }
        if given.count > 1 {
            throw ValidationError("\(given.map(\.0).joined(separator: " and ")) cannot be combined; give one constraint.")
        }
        if constrain != nil && !isConstrained {
            throw ValidationError("--constrain needs a constraint: --regex, --grammar or --json-schema.")
        }
        if method != .smc {
            for (flag, value) in [("--particles", particles as Any?), ("--ess-threshold", essThreshold), ("--resample", resample)]
            where value != nil {
                throw ValidationError("\(flag) applies only to --constrain smc.")
            }
        }
        do {
            try smcOptions(seed: 0).validate()
        } catch {
            throw ValidationError("\(error)")
        }
        if regex == "" { throw ValidationError("--regex: the pattern is empty.") }
        // A bad pattern, grammar or schema, or a file that cannot be read, is a usage error.
        do {
            _ = try makeConstraint()
        } catch let error as GenerateError {
            throw ValidationError(error.description)
        }
    }

    /// The SMC options from the flags (library defaults where not given).
    func smcOptions(seed: UInt64) -> SMCOptions {
        let defaults = SMCOptions()
        return SMCOptions(particles: particles ?? defaults.particles, essThreshold: essThreshold ?? defaults.essThreshold,
                          resampling: resample ?? defaults.resampling, seed: seed)
    }

    /// The compiled constraint, or nil when none was given. Reads and compiles the files, so a
    /// bad pattern, grammar or schema is reported before the model loads.
    ///
    /// - Throws: ``GenerateError`` for an unreadable file, and the library's
    ///   ``RegexError``, ``GrammarError`` and ``JSONSchemaError`` (wrapped with the flag's name).
    func makeConstraint() throws -> CompiledConstraint? {
        if let regex {
            do {
                return .regex(try RegexConstraint(pattern: regex))
            } catch {
                throw GenerateError("--regex: \(Self.describe(error))")
            }
        }
        if let grammar {
            let text = try Self.read(grammar, flag: "--grammar")
            do {
                return .grammar(try GrammarConstraint(gbnf: text), schema: nil)
            } catch {
                throw GenerateError("--grammar \(grammar): \(Self.describe(error))")
            }
        }
        if let jsonSchema {
            let text = try Self.read(jsonSchema, flag: "--json-schema")
            do {
                let schema = try JSONSchema(parsing: text)
                let compiled = try JSONSchemaGrammar.compile(schema)
                return .grammar(try compiled.constraint(), schema: schema)
            } catch let error as JSONSchemaError {
                throw GenerateError("--json-schema \(jsonSchema): \(Self.describe(error))")
            } catch let error as GrammarError {
                throw GenerateError("--json-schema \(jsonSchema): \(Self.describe(error))")
            } catch {
                throw GenerateError("--json-schema \(jsonSchema): \(error)")
            }
        }
        return nil
    }

    private static func read(_ path: String, flag: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GenerateError("\(flag): cannot read '\(path)'")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw GenerateError("\(flag): '\(path)' is not UTF-8 text")
        }
        return text
    }

    /// The kind of constraint given: regex, grammar or json-schema.
    var kindName: String { regex != nil ? "regex" : grammar != nil ? "grammar" : "json-schema" }

    /// A sentence for each of the library's constraint errors.
    static func describe(_ error: ConstraintError) -> String {
        switch error {
        case .stateLimitExceeded(let limit): return "the constraint needed more than \(limit) parser states for one byte"
        case .stackDepthExceeded(let limit): return "the grammar nests deeper than \(limit)"
        case .deadEnd(let position): return "the constraint allows no token after \(position) generated tokens and cannot stop there"
        case .rejectedToken(let token, let position): return "token \(token) at constrained position \(position) is not allowed"
        case .tokenOutOfRange(let token, let size): return "token \(token) is outside the vocabulary 0..<\(size)"
        case .vocabularyMismatch(let expected, let actual):
            return "a mask or logits row has \(actual) entries; the vocabulary has \(expected)"
        }
    }

    /// A sentence for a grammar the GBNF parser rejected, with its line and column.
    static func describe(_ error: GrammarError) -> String {
        switch error {
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
        case .leftRecursion(let rule, let at): return "\(at): rule '\(rule)' is left-recursive (rewrite a ::= a x | y as a ::= y x*)"
        case .unsupportedTokenReference(let at): return "\(at): token references are not supported (constraints read bytes)"
        case .tooManyStartStacks(let limit): return "the grammar is ambiguous from its first byte (more than \(limit) parser stacks)"
        case .expectedNewline(let at): return "\(at): expected a newline after the rule"
        }
    }

    /// A sentence for a pattern PCRE2 rejected.
    static func describe(_ error: RegexError) -> String {
        switch error {
        case .invalidPattern(let pattern, let message, let offset):
            return "invalid pattern '\(pattern)' at offset \(offset): \(message)"
        }
    }

    /// A sentence for a schema the compiler rejected.
    static func describe(_ error: JSONSchemaError) -> String {
        switch error {
        case .invalidJSON(let error): return "not JSON: \(error)"
        case .unsupported(let keyword, let path, let reason): return "unsupported keyword '\(keyword)' at \(path): \(reason)"
        case .remoteReference(let reference, let path): return "remote $ref '\(reference)' at \(path) is not supported"
        case .unresolvedReference(let reference, let path): return "$ref '\(reference)' at \(path) does not resolve"
        case .referenceCycle(let reference, let path): return "$ref '\(reference)' at \(path) loops without consuming input"
        case .invalidKeyword(let keyword, let path, let reason): return "invalid '\(keyword)' at \(path): \(reason)"
        case .unsatisfiable(let path, let reason): return "no instance can satisfy the schema at \(path): \(reason)"
        case .repetitionTooLarge(let keyword, let path, let count, let limit):
            return "'\(keyword)' at \(path) asks for \(count) repetitions; the limit is \(limit)"
        }
    }
}

/// A constraint compiled from the command line.
enum CompiledConstraint {
    /// A regular expression.
    case regex(RegexConstraint)
    /// A GBNF grammar, or the grammar of a JSON Schema (kept to check the output).
    case grammar(GrammarConstraint, schema: JSONSchema?)
}
