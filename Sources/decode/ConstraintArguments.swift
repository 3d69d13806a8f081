import ArgumentParser
import Constraints
import Foundation
import Strategies

/// How a constrained generation draws its tokens.
enum ConstrainMethod: String, ExpressibleByArgument, CaseIterable {
    /// Locally constrained decoding: mask every disallowed token (``LocallyConstrainedStrategy``).
    case lcd
    /// Adaptive weighted rejection sampling (``AWRSStrategy``).
    case awrs
    /// Sequential Monte Carlo with AWRS proposals (``SMCStrategy``).
    case smc
}

extension ConstraintArguments {
    /// The strategy `--constrain` names (smc with `--particles`, else the library's default).
    var specification: StrategySpecification {
        switch method {
        case .lcd: return StrategySpecification(.lcd)
        case .awrs: return StrategySpecification(.awrs)
        case .smc: return StrategySpecification(.smc(particles ?? SMCOptions().particles))
        }
    }
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
        do {
            try smcOptions(seed: 0).validate()
        } catch {
            throw ValidationError("\(error)")
        }
        if regex == "" { throw ValidationError("--regex: the pattern is empty.") }
    }

    /// Refuses the SMC flags unless `specification` is smc (chosen by `--constrain smc` or
    /// `--strategy smc:N`), and `--particles` beside `smc:N`, which gives the count already.
    func checkSMCFlags(for specification: StrategySpecification) throws {
        guard case .smc = specification.kind else {
            for (flag, value) in [("--particles", particles as Any?), ("--ess-threshold", essThreshold), ("--resample", resample)]
            where value != nil {
                throw ValidationError("\(flag) applies only to --constrain smc or --strategy smc:N.")
            }
            return
        }
        if particles != nil && constrain == nil {
            throw ValidationError("--particles and --strategy \(specification) both give the particle count; give one.")
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
                return try CompiledConstraint(regex: regex)
            } catch {
                throw GenerateError("--regex: \(error)")
            }
        }
        if let grammar {
            let text = try Self.read(grammar, flag: "--grammar")
            do {
                return try CompiledConstraint(gbnf: text)
            } catch {
                throw GenerateError("--grammar \(grammar): \(error)")
            }
        }
        if let jsonSchema {
            let text = try Self.read(jsonSchema, flag: "--json-schema")
            do {
                return try CompiledConstraint(jsonSchema: text)
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
}
