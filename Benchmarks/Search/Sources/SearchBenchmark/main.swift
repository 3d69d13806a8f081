import Decoding
import Foundation
import GGUF
import Search
import Tokenizer
import Transformer

// Best-of-8 and beam-4 on the default model against one sampled / one greedy answer, each
// search run twice: as it is (forked sessions, one batched model call per position) and with
// the same work one session at a time (`TimedModel(oneByOne: true)`), plus eight separate
// sampling runs. Stop tokens are banned so every answer is exactly `--tokens` long and all
// runs do comparable work. Rounds interleave the configurations (so load spikes hit them
// alike); each row reports its best round.

struct Arguments {
    var rounds = 3
    var tokens = 32
    var threads = ProcessInfo.processInfo.activeProcessorCount
    var model: String?

    init() throws {
        var items = CommandLine.arguments.dropFirst()
        while let flag = items.popFirst() {
            guard let value = items.popFirst() else { throw BenchmarkError("\(flag) needs a value") }
            switch flag {
            case "--rounds": rounds = try Self.positive(flag, value)
            case "--tokens": tokens = try Self.positive(flag, value)
            case "--threads": threads = try Self.positive(flag, value)
            case "--model": model = value
            default: throw BenchmarkError("unknown option \(flag) (--rounds, --tokens, --threads, --model)")
            }
        }
    }

    static func positive(_ flag: String, _ value: String) throws -> Int {
        guard let number = Int(value), number >= 1 else { throw BenchmarkError("\(flag) needs a positive number, got \(value)") }
        return number
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// One measured configuration: runs every prompt and returns the generation results.
struct Configuration {
    let name: String
    /// The model wrapper whose time counts as model time (nil: appends bypass the wrapper).
    let timed: TimedModel?
    let run: ([Int]) throws -> [GenerationResult]
}

struct Measurement {
    var wall = Double.infinity
    var modelSeconds = 0.0
    var passes = 0
    var generated = 0
    var evaluated = 0
}

let arguments = try Arguments()
guard let url = arguments.model.map({ URL(fileURLWithPath: $0) }) ?? DefaultModel.locate() else {
    throw BenchmarkError("no model: pass --model PATH or set \(DefaultModel.environmentVariable)")
}
let file = try GGUFFile(contentsOf: url)
let tokenizer = try Tokenizer(file: file)
let llama = try LlamaModel(file: file, threads: arguments.threads)
let decoder = tokenizer
let template = try tokenizer.chatTemplate()
let questions = ["What is the capital of France?", "Give me two tips for better sleep.",
                 "Write one sentence about the sea.", "What is 17 + 25?"]
let prompts = try questions.map { question in
    try tokenizer.encode(template.render([ChatMessage(role: .user, content: question)], addGenerationPrompt: true),
                         parseSpecial: true, addBOS: tokenizer.addsBOSByDefault)
}
let stops = Set([llama.specialTokens.eos].compactMap { $0 }).union(llama.specialTokens.endOfTurn)
let banned = try BannedTokensProcessor(stops)
let sampleChain = LogitProcessorChain([banned, try TemperatureProcessor(0.7)])
let greedyChain = LogitProcessorChain([banned])
let batched = TimedModel(llama, oneByOne: false)
let oneByOne = TimedModel(llama, oneByOne: true)
let length = arguments.tokens

func generate<S: DecodingStrategy>(_ model: any LanguageModel, _ strategy: S, _ prompt: [Int]) throws -> GenerationResult {
    try Generator(model: model, strategy: strategy, decoder: decoder, maxTokens: length).run(prompt: prompt)
}
func bestOf8() throws -> BestOfNStrategy {
    try BestOfNStrategy(count: 8, options: SearchOptions(chain: sampleChain, seed: 1), decoder: decoder)
}
func beam4() throws -> BeamSearchStrategy {
    try BeamSearchStrategy(width: 4, candidatesPerBeam: 4, options: SearchOptions(chain: greedyChain), decoder: decoder)
}

let configurations = [
    Configuration(name: "sample (one answer)", timed: nil) { prompt in
        [try generate(batched, SamplingStrategy(chain: sampleChain, sampler: CategoricalSampler(seed: 1)), prompt)]
    },
    Configuration(name: "greedy (one answer)", timed: nil) { prompt in
        [try generate(batched, SamplingStrategy(chain: greedyChain, sampler: GreedySampler()), prompt)]
    },
    Configuration(name: "best-of-8, batched", timed: batched) { prompt in [try generate(batched, try bestOf8(), prompt)] },
    Configuration(name: "best-of-8, one by one", timed: oneByOne) { prompt in
        [try generate(oneByOne, try bestOf8(), prompt)]
    },
    Configuration(name: "8 separate sampling runs", timed: nil) { prompt in
        try (1...8).map { seed in
            try generate(batched, SamplingStrategy(chain: sampleChain, sampler: CategoricalSampler(seed: UInt64(seed))), prompt)
        }
    },
    Configuration(name: "beam-4 (C=4), batched", timed: batched) { prompt in [try generate(batched, try beam4(), prompt)] },
    Configuration(name: "beam-4 (C=4), one by one", timed: oneByOne) { prompt in
        [try generate(oneByOne, try beam4(), prompt)]
    },
]

// Warm-up: page the weights in and start the threads.
_ = try generate(batched, SamplingStrategy(chain: greedyChain, sampler: GreedySampler()), prompts[0])

var measurements = [Measurement](repeating: Measurement(), count: configurations.count)
let clock = ContinuousClock()
for round in 1...arguments.rounds {
    for (index, configuration) in configurations.enumerated() {
        configuration.timed?.reset()
        var results: [GenerationResult] = []
        let elapsed = try clock.measure {
            for prompt in prompts { results += try configuration.run(prompt) }
        }
        let (seconds, attoseconds) = elapsed.components
        let wall = Double(seconds) + Double(attoseconds) * 1e-18
        FileHandle.standardError.write(Data("round \(round) \(configuration.name): \(String(format: "%.2f", wall)) s\n".utf8))
        if wall < measurements[index].wall {
            let totals = configuration.timed?.totals ?? (seconds: 0, calls: 0)
            measurements[index] = Measurement(
                wall: wall, modelSeconds: totals.seconds, passes: totals.calls,
                generated: results.reduce(0) { $0 + $1.tokens.count },
                evaluated: results.reduce(0) { $0 + $1.statistics.tokensEvaluated })
        }
    }
}

let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3)
    .joined(separator: " ") ?? "unknown"
print("""
    Search benchmark — \(url.lastPathComponent), \(prompts.count) chat prompts × \(length) tokens (stop tokens banned), \
    \(arguments.threads) threads, best of \(arguments.rounds) interleaved rounds; load average at the end: \(load)

    | configuration | wall s | × sample | × greedy | tokens evaluated | forward passes | time in model | outside model per evaluated token |
    | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
    """)
let sample = measurements[0].wall, greedy = measurements[1].wall
for (configuration, m) in zip(configurations, measurements) {
    let inModel = configuration.timed == nil ? "–" : String(format: "%.0f %%", 100 * m.modelSeconds / m.wall)
    let outside = configuration.timed == nil ? "–"
        : String(format: "%.0f µs", 1e6 * (m.wall - m.modelSeconds) / Double(max(m.evaluated, 1)))
    let passes = configuration.timed == nil ? "–" : "\(m.passes)"
    print(String(format: "| %@ | %.2f | %.2f | %.2f | %d | %@ | %@ | %@ |", configuration.name, m.wall, m.wall / sample,
                 m.wall / greedy, m.evaluated, passes, inModel, outside))
}
print("""

    Targets (issue 8): best-of-8 ≤ 3× one sample; beam width 4 ≤ 2.5× greedy.
    best-of-8 batched: \(String(format: "%.2f", measurements[2].wall / sample))× sample; \
    beam-4 batched: \(String(format: "%.2f", measurements[5].wall / greedy))× greedy.
    """)
