// Constraint work per generated token on the default model (SmolLM2-135M-Instruct, 49 152
// tokens): AWRS (checks only the tokens its draw visits) against locally constrained decoding's
// full mask (one trie walk over the whole vocabulary), measured side by side on the same
// positions of the same sequences. Writes a Markdown table to stdout.
//
//   swift run -c release AWRSMeasure [maxTokens] [particles]
import Constraints
import Decoding
import Foundation
import GGUF
import Tokenizer
import Transformer

@inline(__always) func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

guard DefaultModel.modelTestsEnabled, let url = DefaultModel.locate() else {
    print("default model not found or SKIP_MODEL_TESTS set: nothing measured")
    exit(0)
}
let arguments = CommandLine.arguments
let maxTokens = arguments.count > 1 ? Int(arguments[1]) ?? 40 : 40
let particles = arguments.count > 2 ? Int(arguments[2]) ?? 4 : 4
let file = try GGUFFile(contentsOf: url)
let tokenizer = try Tokenizer(file: file)
let model = try LlamaModel(file: file, threads: ProcessInfo.processInfo.activeProcessorCount)
let table = TokenBytes((0..<tokenizer.vocabularySize).map { tokenizer.isControl($0) ? [] : tokenizer.tokenBytes($0) })
let trie = TokenTrie(table)
let stop = tokenizer.specialTokens.endOfTurn.union(tokenizer.specialTokens.eos.map { [$0] } ?? [])
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../../..").standardized

@MainActor func prompt(_ text: String) throws -> [Int] {
    let rendered = ChatTemplate.chatML.render([ChatMessage(role: .user, content: text)], addGenerationPrompt: true)
    return try tokenizer.encode(rendered, parseSpecial: true)
}

struct Row {
    var name: String
    var tokens = 0
    var checks = 0
    var awrsConstraintNs: UInt64 = 0
    var awrsDrawNs: UInt64 = 0
    var maskNs: UInt64 = 0
    var allowed = 0
    var text = ""
    var logWeight = 0.0
}

/// Generates with AWRS (recursive/automatic) and, at every position, also computes LCD's full
/// mask for the same state, checking that the AWRS token is in it.
@MainActor func measure<C: Constraint>(_ name: String, _ constraint: C, prompt text: String) throws -> Row {
    var row = Row(name: name)
    let session = try model.makeSession(prompt: try prompt(text))
    var sampler = try AWRSSampler(options: AWRSOptions())
    var rng = Xoshiro256StarStar(seed: 1)
    var state = constraint.start
    var generated: [UInt8] = []
    let neverAllowed = (0..<table.count).filter { table[$0].isEmpty && !stop.contains($0) }
    for _ in 0..<maxTokens {
        let logits = try Logits(session.logits)
        let m0 = now()
        let mask = try constraint.allowedTokens(after: state, trie: trie, stopTokens: stop)
        row.maskNs += now() - m0
        row.allowed += mask.count
        var constraintNs: UInt64 = 0
        var next: C.State?
        let d0 = now()
        let draw = try sampler.draw(from: logits, pruned: neverAllowed, using: &rng) { token in
            let c0 = now()
            defer { constraintNs += now() - c0 }
            if stop.contains(token) { return constraint.canStop(state) }
            guard let advanced = try constraint.advance(state, by: table[token]) else { return false }
            if next == nil { next = advanced }
            return true
        }
        row.awrsDrawNs += now() - d0
        row.awrsConstraintNs += constraintNs
        row.checks += draw.checks
        row.tokens += 1
        guard let token = draw.token else { row.text += " [dead end]"; break }
        precondition(mask.contains(token), "AWRS drew a token outside LCD's mask")
        row.logWeight += draw.logWeight
        if stop.contains(token) { break }
        state = try constraint.advance(state, by: table[token]) ?? state
        generated += table[token]
        try session.append([token])
    }
    row.text = String(decoding: generated, as: UTF8.self) + row.text
    return row
}

let schema = try JSONSchema(parsing: #"""
{"type": "object", "properties": {"name": {"type": "string", "maxLength": 24}, "age": {"type": "integer", "minimum": 0, "maximum": 120},
 "city": {"type": "string", "maxLength": 24}}, "required": ["name", "age", "city"], "additionalProperties": false}
"""#)
let json = try String(contentsOf: root.appendingPathComponent("Grammars/json.gbnf"), encoding: .utf8)
let rows = [
    try measure("json-schema (person)", try JSONSchemaGrammar.compile(schema).constraint(),
                prompt: "Describe a fictional person as a JSON object with name, age and city."),
    try measure("gbnf (Grammars/json.gbnf)", try GrammarConstraint(gbnf: json),
                prompt: "Give a JSON object describing the city of Paris."),
    try measure("regex (date sentence)", try RegexConstraint(pattern: #"[A-Z][a-z]+ (was born|lived|died) in [A-Z][a-z]+ in [12][0-9]{3}\."#),
                prompt: "Write one sentence about a famous scientist."),
]

print("| constraint | tokens | AWRS checks/token | AWRS constraint µs/token | AWRS draw µs/token (incl. keys) | LCD mask µs/token | allowed/token | constraint-time ratio LCD/AWRS |")
print("| --- | --- | --- | --- | --- | --- | --- | --- |")
for row in rows {
    let n = Double(max(row.tokens, 1))
    let awrs = Double(row.awrsConstraintNs) / n / 1000
    let mask = Double(row.maskNs) / n / 1000
    print("| \(row.name) | \(row.tokens) | \(String(format: "%.2f", Double(row.checks) / n)) | \(String(format: "%.1f", awrs)) | "
          + "\(String(format: "%.1f", Double(row.awrsDrawNs) / n / 1000)) | \(String(format: "%.1f", mask)) | "
          + "\(row.allowed / max(row.tokens, 1)) | \(String(format: "%.0f", mask / max(awrs, 0.001)))× |")
}
print("")
for row in rows { print("- \(row.name): \(row.text.debugDescription) (Σ log w = \(String(format: "%.2f", row.logWeight)))") }

// SMC with a few particles on the regex: one batched model call per step.
let regex = try RegexConstraint(pattern: #"[A-Z][a-z]+ (was born|lived|died) in [A-Z][a-z]+ in [12][0-9]{3}\."#)
let smc = try SMCStrategy(constraint: regex, table: table, stopTokens: stop, options: SMCOptions(particles: particles, seed: 3))
let t0 = now()
let result = try smc.run(model: model, prompt: try prompt("Write one sentence about a famous scientist."), maxTokens: maxTokens)
let seconds = Double(now() - t0) / 1e9
print("")
print("SMC, \(particles) particles, regex: \(result.statistics.steps) steps, \(result.statistics.modelCalls) batched model calls, "
      + "\(result.statistics.resamplings) resamplings, \(String(format: "%.2f", Double(result.statistics.awrs.checks) / Double(max(result.statistics.awrs.draws, 1)))) checks/draw, "
      + "log Ẑ = \(String(format: "%.2f", result.logMarginalLikelihood)), \(String(format: "%.1f", seconds)) s")
for output in result.posterior.prefix(3) {
    let text = String(decoding: output.tokens.filter { !stop.contains($0) }.flatMap { table[$0] }, as: UTF8.self)
    print("  \(String(format: "%.3f", output.probability)) \(text.debugDescription)")
}
