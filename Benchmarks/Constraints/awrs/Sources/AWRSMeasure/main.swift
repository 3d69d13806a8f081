// AWRS, locally constrained decoding (LCD, full mask) and unconstrained sampling on the default
// model (SmolLM2-135M-Instruct, 49 152 tokens), side by side in one run, on a JSON Schema from
// Grammars/schemas, a GBNF grammar from Grammars/ and a regex: constraint checks per generated
// token, constraint time per token, time per token outside the model, end-to-end tokens/s
// (same prompt, seed and max tokens). Prints a Markdown table and, with an output folder, writes
// `awrs-table.json` and `vocabulary.json` there for `llguidance_compare.py --awrs`, which adds
// llguidance's mask time on the same constraint, vocabulary and tokens.
//
//   swift run -c release AWRSMeasure [maxTokens=48] [repeats=5] [outputFolder] [model]
//
// `model` is a GGUF path or a fetched model's name (`gemma3-270m`: 262 144 tokens); default:
// the default model.
import Constraints
import Decoding
import Foundation
import GGUF
import Tokenizer
import Transformer

@inline(__always) func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

/// Nanoseconds spent in the constraint, shared by the timed wrapper and the loop.
final class ConstraintClock: @unchecked Sendable {
    var ns: UInt64 = 0
}

/// A constraint that times every call into `inner`: the checks AWRS makes, the whole mask LCD
/// computes (one call), and the advance by the chosen token either makes.
struct TimedConstraint<C: Constraint>: Constraint {
    let inner: C
    let clock: ConstraintClock
    var start: C.State { inner.start }

    func advance(from state: C.State, byte: UInt8, into next: inout C.State) throws(ConstraintError) -> Bool {
        let t0 = now()
        defer { clock.ns += now() - t0 }
        return try inner.advance(from: state, byte: byte, into: &next)
    }

    func advance(_ state: C.State, by bytes: [UInt8]) throws(ConstraintError) -> C.State? {
        let t0 = now()
        defer { clock.ns += now() - t0 }
        return try inner.advance(state, by: bytes)
    }

    func canStop(_ state: C.State) -> Bool {
        let t0 = now()
        defer { clock.ns += now() - t0 }
        return inner.canStop(state)
    }

    func allowedTokens(after state: C.State, trie: TokenTrie, stopTokens: Set<Int>) throws(ConstraintError) -> TokenMask {
        let t0 = now()
        defer { clock.ns += now() - t0 }
        return try inner.allowedTokens(after: state, trie: trie, stopTokens: stopTokens)
    }
}

/// A session that times its model calls, so the time a step spends outside the model is known.
final class TimedSession: ModelSession {
    let inner: any ModelSession
    var modelNs: UInt64 = 0
    init(_ inner: any ModelSession) { self.inner = inner }
    var tokens: [Int] { inner.tokens }
    var logits: [Float] { inner.logits }
    var hiddenState: [Float] { inner.hiddenState }
    func append(_ tokens: [Int]) throws {
        let t0 = now()
        defer { modelNs += now() - t0 }
        try inner.append(tokens)
    }
    func fork() throws -> any ModelSession { TimedSession(try inner.fork()) }
    func rollback(to count: Int) throws { try inner.rollback(to: count) }
}

let arguments = CommandLine.arguments
// The fifth argument picks the model: a fetched model's name (gemma3-270m) or a path.
let modelName = arguments.count > 4 ? arguments[4] : nil
let located = modelName.map { name in KnownModel(rawValue: name).map { $0.locate() } ?? URL(fileURLWithPath: name) }
    ?? DefaultModel.locate()
guard DefaultModel.modelTestsEnabled, let url = located else {
    print("model not found or SKIP_MODEL_TESTS set: nothing measured")
    exit(0)
}
let maxTokens = arguments.count > 1 ? Int(arguments[1]) ?? 48 : 48
let repeats = arguments.count > 2 ? max(1, Int(arguments[2]) ?? 5) : 5
let outputFolder = arguments.count > 3 ? URL(fileURLWithPath: arguments[3]) : nil
let seed: UInt64 = 1
let file = try GGUFFile(contentsOf: url)
let tokenizer = try Tokenizer(file: file)
let model = try LlamaModel(file: file, threads: ProcessInfo.processInfo.activeProcessorCount)
let table = TokenBytes(tokenizer.byteTable)
let trie = TokenTrie(table)
let stop = tokenizer.specialTokens.endOfTurn.union(tokenizer.specialTokens.eos.map { [$0] } ?? [])
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../../..").standardized

@MainActor func prompt(_ text: String) throws -> [Int] {
    // A named model gets its own chat template (or its family's built-in), as `decode --chat` does;
    // the default model keeps plain ChatML with no system turn, as its table was measured.
    guard modelName != nil else {
        let rendered = try ChatTemplate(builtIn: .chatML).render([ChatMessage(role: .user, content: text)],
                                                                 addGenerationPrompt: true)
        return try tokenizer.encode(rendered, parseSpecial: true)
    }
    let template = try tokenizer.chatTemplate(architecture: try file.metadata.stringIfPresent("general.architecture"))
    return try tokenizer.encodeChat([ChatMessage(role: .user, content: text)], template: template)
}

/// One generation: tokens, time in steps, time in the model, time in the constraint.
struct Run {
    var tokens: [Int] = []
    var stepNs: UInt64 = 0
    var modelNs: UInt64 = 0
    var constraintNs: UInt64 = 0
    var checks = 0
    var tokensPerSecond: Double { Double(tokens.count) / max(Double(stepNs) / 1e9, 1e-9) }
    var nsPerToken: Double { Double(stepNs) / Double(max(tokens.count, 1)) }
}

/// Generates up to `maxTokens` with `strategy` after `prompt`, timing only the steps (the
/// prompt's prefill is not counted).
@MainActor func generate(_ strategy: inout some DecodingStrategy, prompt: [Int], clock: ConstraintClock?) throws -> Run {
    let timed = TimedSession(try model.makeSession(prompt: prompt))
    var session: any ModelSession = timed
    var run = Run()
    clock?.ns = 0
    while run.tokens.count < maxTokens {
        let t0 = now()
        let step = try strategy.step(&session, context: StepContext(model: model, remainingTokens: maxTokens - run.tokens.count))
        run.stepNs += now() - t0
        run.tokens += step.tokens
        if let last = step.tokens.last, stop.contains(last) { break }
    }
    run.modelNs = timed.modelNs
    run.constraintNs = clock?.ns ?? 0
    return run
}

/// The run with the median tokens/s of `runs`.
func median(_ runs: [Run]) -> Run {
    runs.sorted { $0.tokensPerSecond < $1.tokensPerSecond }[runs.count / 2]
}

struct Workload {
    var name: String
    var kind: String       // llguidance grammar kind: "gbnf" or "regex"
    var source: String     // the same constraint for llguidance
    var prompt: String
}

struct Row: Codable {
    var name: String
    var kind: String
    var source: String
    var awrsTokens: [Int]
    var awrsChecksPerToken: Double
    var awrsConstraintMicroseconds: Double
    var awrsOutsideModelMicroseconds: Double
    var awrsTokensPerSecond: Double
    var lcdTokens: Int
    var lcdConstraintMicroseconds: Double
    var lcdOutsideModelMicroseconds: Double
    var lcdTokensPerSecond: Double
    var plainTokens: Int
    var plainOutsideModelMicroseconds: Double
    var plainModelMicroseconds: Double
    var plainTokensPerSecond: Double
    var awrsText: String
    var awrsLogWeight: Double
    /// A full mask (the raw trie walk, no cache) at each state AWRS passed, µs per token.
    var fullMaskMicroseconds: Double
    /// AWRS draws per token that computed the mask / found it cached (then drew from the
    /// allowed tokens only).
    var awrsComputedMasksPerToken: Double
    var awrsCachedMasksPerToken: Double
}

@MainActor func measure<C: Constraint>(_ workload: Workload, _ constraint: C) throws -> Row {
    let clock = ConstraintClock()
    let timed = TimedConstraint(inner: constraint, clock: clock)
    let ids = try prompt(workload.prompt)
    var statistics = AWRSStatistics()
    var awrsRuns: [Run] = [], lcdRuns: [Run] = [], plainRuns: [Run] = []
    func runAWRS() throws {
        var strategy = try AWRSStrategy(constraint: timed, table: table, stopTokens: stop, seed: seed)
        var run = try generate(&strategy, prompt: ids, clock: clock)
        run.checks = strategy.statistics.checks
        statistics = strategy.statistics
        awrsRuns.append(run)
    }
    func runLCD() throws {
        var strategy = try LocallyConstrainedStrategy(constraint: timed, table: table, trie: trie, stopTokens: stop,
                                                  sampler: CategoricalSampler(seed: seed))
        lcdRuns.append(try generate(&strategy, prompt: ids, clock: clock))
    }
    func runPlain() throws {
        var strategy = SamplingStrategy(chain: LogitProcessorChain(), sampler: CategoricalSampler(seed: seed))
        plainRuns.append(try generate(&strategy, prompt: ids, clock: nil))
    }
    // Interleaved, the order rotating each round, so every method sees the same load on average.
    let order = [runPlain, runAWRS, runLCD]
    for round in 0..<repeats {
        for k in 0..<order.count { try order[(round + k) % order.count]() }
    }
    let awrs = median(awrsRuns), lcd = median(lcdRuns), plain = median(plainRuns)
    func perToken(_ ns: UInt64, _ run: Run) -> Double { Double(ns) / Double(max(run.tokens.count, 1)) / 1000 }
    let text = String(decoding: awrs.tokens.filter { !stop.contains($0) }.flatMap { table[$0] }, as: UTF8.self)
    // The raw full mask at every state the median AWRS run passed through.
    var state = constraint.start
    var maskNs: UInt64 = 0
    for token in awrs.tokens where !stop.contains(token) {
        let t0 = now()
        _ = try constraint.allowedTokens(after: state, trie: trie, stopTokens: stop)
        maskNs += now() - t0
        guard let next = try constraint.advance(state, by: table[token]) else { break }
        state = next
    }
    let draws = Double(max(statistics.draws, 1))
    return Row(name: workload.name, kind: workload.kind, source: workload.source, awrsTokens: awrs.tokens,
               awrsChecksPerToken: Double(awrs.checks) / Double(max(awrs.tokens.count, 1)),
               awrsConstraintMicroseconds: perToken(awrs.constraintNs, awrs),
               awrsOutsideModelMicroseconds: perToken(awrs.stepNs - awrs.modelNs, awrs),
               awrsTokensPerSecond: awrs.tokensPerSecond,
               lcdTokens: lcd.tokens.count, lcdConstraintMicroseconds: perToken(lcd.constraintNs, lcd),
               lcdOutsideModelMicroseconds: perToken(lcd.stepNs - lcd.modelNs, lcd), lcdTokensPerSecond: lcd.tokensPerSecond,
               plainTokens: plain.tokens.count, plainOutsideModelMicroseconds: perToken(plain.stepNs - plain.modelNs, plain),
               plainModelMicroseconds: perToken(plain.modelNs, plain),
               plainTokensPerSecond: plain.tokensPerSecond, awrsText: text, awrsLogWeight: statistics.logWeight,
               fullMaskMicroseconds: perToken(maskNs, awrs),
               awrsComputedMasksPerToken: Double(statistics.fullMasks) / draws,
               awrsCachedMasksPerToken: Double(statistics.cachedMasks) / draws)
}

let schemaURL = root.appendingPathComponent("Grammars/schemas/person.schema.json")
let schemaGrammar = try JSONSchemaGrammar.compile(try JSONSchema(parsing: Data(contentsOf: schemaURL)))
let json = try String(contentsOf: root.appendingPathComponent("Grammars/json.gbnf"), encoding: .utf8)
let sentence = #"[A-Z][a-z]+ (was born|lived|died) in [A-Z][a-z]+ in [12][0-9]{3}\."#
let workloads = [
    Workload(name: "json-schema (schemas/person)", kind: "gbnf", source: schemaGrammar.gbnf,
             prompt: "Describe a fictional person as a JSON object with name, age, email and tags."),
    Workload(name: "gbnf (json.gbnf)", kind: "gbnf", source: json, prompt: "Give a JSON object describing the city of Paris."),
    Workload(name: "regex (date sentence)", kind: "regex", source: sentence,
             prompt: "Write one sentence about a famous scientist."),
]
let rows = [
    try measure(workloads[0], try schemaGrammar.constraint()),
    try measure(workloads[1], try GrammarConstraint(gbnf: json)),
    try measure(workloads[2], try RegexConstraint(pattern: sentence)),
]

func f(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }
print("\(maxTokens) max tokens, seed \(seed), median of \(repeats) interleaved runs each; vocabulary \(table.count) tokens; "
      + "\(ProcessInfo.processInfo.activeProcessorCount) threads")
print("")
print("| constraint | AWRS checks/token | AWRS masks computed / cached per token | AWRS constraint µs/token | "
      + "full mask µs/token | full mask / AWRS | LCD constraint µs/token | LCD/AWRS | "
      + "outside-model µs/token plain / AWRS / LCD | tok/s plain | tok/s AWRS | tok/s LCD | AWRS/plain |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for row in rows {
    print("| \(row.name) | \(f(row.awrsChecksPerToken, 2)) | "
          + "\(f(row.awrsComputedMasksPerToken, 2)) / \(f(row.awrsCachedMasksPerToken, 2)) | \(f(row.awrsConstraintMicroseconds)) | "
          + "\(f(row.fullMaskMicroseconds)) | \(f(row.fullMaskMicroseconds / max(row.awrsConstraintMicroseconds, 0.001), 0))× | "
          + "\(f(row.lcdConstraintMicroseconds)) | \(f(row.lcdConstraintMicroseconds / max(row.awrsConstraintMicroseconds, 0.001), 0))× | "
          + "\(f(row.plainOutsideModelMicroseconds)) / \(f(row.awrsOutsideModelMicroseconds)) / \(f(row.lcdOutsideModelMicroseconds)) | "
          + "\(f(row.plainTokensPerSecond)) | \(f(row.awrsTokensPerSecond)) | \(f(row.lcdTokensPerSecond)) | "
          + "\(f(row.awrsTokensPerSecond / row.plainTokensPerSecond, 2)) |")
}
print("")
for row in rows {
    print("- \(row.name): AWRS \(row.awrsTokens.count) tokens, LCD \(row.lcdTokens), plain \(row.plainTokens); "
          + "AWRS text \(row.awrsText.debugDescription) (Σ log w = \(f(row.awrsLogWeight, 2)))")
}

if let outputFolder {
    try FileManager.default.createDirectory(at: outputFolder, withIntermediateDirectories: true)
    let encoder = JSONEncoder()
    try encoder.encode(rows).write(to: outputFolder.appendingPathComponent("awrs-table.json"))
    let hex = (0..<table.count).map { table[$0].map { String(format: "%02x", $0) }.joined() }
    let control = (0..<tokenizer.vocabularySize).filter { tokenizer.isControl($0) }
    let vocabulary: [String: [String]] = ["tokens": hex]
    var object = try JSONSerialization.jsonObject(with: try encoder.encode(vocabulary)) as? [String: Any] ?? [:]
    object["control"] = control
    object["eos"] = [tokenizer.specialTokens.eos ?? -1]
    try JSONSerialization.data(withJSONObject: object).write(to: outputFolder.appendingPathComponent("vocabulary.json"))
}
