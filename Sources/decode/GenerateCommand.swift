import ArgumentParser
import Decoding
import Foundation
import GGUF
import Logging
import Tokenizer
import Transformer

/// `decode generate`: runs the built-in transformer on a prompt and streams the continuation.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate a continuation of a prompt with the built-in CPU runtime.",
        discussion: """
            Text streams to stdout as it is produced (whole UTF-8 characters only); timing and \
            memory statistics go to stderr. Sampling follows llama.cpp's chain: top-k, top-p, \
            min-p, then temperature (0 = greedy). Generation stops at the model's end-of-turn \
            tokens, a --stop string, or --max-tokens.
            """)

    @Argument(help: "The prompt. Special-token text such as <|im_start|> is parsed as one token.")
    var prompt: String

    @OptionGroup var modelArguments: ModelArguments

    @Flag(name: .long, help: "Wrap the prompt in the model's chat template as one user turn.")
    var chat = false

    @Option(name: .long, help: "Most tokens to generate.")
    var maxTokens = 128

    @Option(name: .customLong("temp"), help: "Temperature; 0 picks the most likely token.")
    var temperature: Float = 0.8

    @Option(name: .long, help: "Keep the k most likely tokens (0 disables).")
    var topK = 40

    @Option(name: .long, help: "Keep the smallest set of tokens with this much probability, in (0, 1].")
    var topP: Float = 0.95

    @Option(name: .long, help: "Drop tokens below this fraction of the top probability, in [0, 1).")
    var minP: Float = 0.05

    @Option(name: .long, help: "Random seed (default: drawn at random and reported).")
    var seed: UInt64?

    @Option(name: .long, help: "Stop when the text contains this string (repeatable); it is not printed.")
    var stop: [String] = []

    @Flag(name: .long, help: "Print one JSON object (ids, text, log-probabilities, statistics) instead of streaming.")
    var json = false

    @Option(name: .long, help: "With --json: the K most likely tokens at each step, with log-probabilities.")
    var topLogprobs = 0

    func validate() throws {
        if prompt.isEmpty { throw ValidationError("The prompt is empty.") }
        if maxTokens < 1 { throw ValidationError("--max-tokens must be at least 1, got \(maxTokens).") }
        if !temperature.isFinite || temperature < 0 {
            throw ValidationError("--temp must be a finite number >= 0, got \(temperature).")
        }
        if !(topP > 0 && topP <= 1) { throw ValidationError("--top-p must be in (0, 1], got \(topP).") }
        if !(minP >= 0 && minP < 1) { throw ValidationError("--min-p must be in [0, 1), got \(minP).") }
        if topK < 0 { throw ValidationError("--top-k must be >= 0, got \(topK).") }
        if topLogprobs < 0 { throw ValidationError("--top-logprobs must be >= 0, got \(topLogprobs).") }
        if stop.contains("") { throw ValidationError("--stop strings must not be empty.") }
    }

    func run() throws {
        do {
            try generate()
        } catch let error as ValidationError {
            throw error
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }

    private func generate() throws {
        let file = try GGUFFile(contentsOf: try modelArguments.modelURL())
        let tokenizer = try Tokenizer(file: file)
        let model = try LlamaModel(file: file, threads: modelArguments.threads, logger: modelArguments.logger)
        var text = prompt
        if chat {
            text = try tokenizer.chatTemplate().render([ChatMessage(role: .user, content: prompt)], addGenerationPrompt: true)
        }
        let promptIDs = try tokenizer.encode(text, parseSpecial: true, addBOS: tokenizer.addsBOSByDefault)
        guard !promptIDs.isEmpty else { throw ValidationError("The prompt tokenizes to nothing.") }
        guard promptIDs.count < model.contextLength else {
            throw ValidationError(
                "The prompt is \(promptIDs.count) tokens; the model's context holds \(model.contextLength).")
        }
        let seed = self.seed ?? UInt64.random(in: 0...UInt64.max)
        let parameters = SamplingParameters(
            temperature: temperature, topK: topK, topP: topP, minP: minP, seed: seed)
        var chain = try parameters.makeChain()
        var sampler = parameters.makeSampler()

        let clock = ContinuousClock()
        let prefillStart = clock.now
        let session = try model.makeSession(prompt: promptIDs)
        let prefillTime = clock.now - prefillStart

        var generated: [Int] = []
        var logprobs: [Double] = []
        var topEntries: [[TopLogprob]] = []
        var stream = StopStringStream(stops: stop)
        var detokenizer = StreamingDetokenizer(tokenizer: tokenizer, skipSpecialTokens: true)
        var decodeTime = Duration.zero
        var evaluated = 0
        while generated.count < maxTokens {
            let logits = try Logits(session.logits)
            let token = sampler.sample(try chain.processed(logits, history: session.tokens))
            chain.accept(token)
            generated.append(token)
            logprobs.append(logits.logProbability(of: token))
            if topLogprobs > 0 {
                let all = logits.logProbabilities
                topEntries.append(Self.top(all, topLogprobs).map { TopLogprob(id: $0, logprob: Double(all[$0])) })
            }
            if model.specialTokens.isStop(token) { break }
            let finished = stream.append(try detokenizer.append(token))
            if !json { emit(stream.takeReady()) }
            if finished || generated.count == maxTokens { break }
            guard session.count < model.contextLength else { break }
            let start = clock.now
            try session.append([token])
            decodeTime += clock.now - start
            evaluated += 1
        }
        if !stream.stopped { _ = stream.append(detokenizer.finish()) }
        stream.finish()
        if !json { emit(stream.takeReady()) }

        let stats = Stats(
            prompt_token_count: promptIDs.count,
            prompt_tokens_per_second: Double(promptIDs.count) / Self.seconds(prefillTime),
            generated_token_count: generated.count,
            decode_tokens_per_second: evaluated == 0 ? 0 : Double(evaluated) / Self.seconds(decodeTime),
            peak_memory_bytes: peakMemoryBytes(), threads: model.threadCount, seed: seed)
        if json {
            let output = Output(
                prompt_tokens: promptIDs, tokens: generated, text: stream.text, logprobs: logprobs,
                top_logprobs: topLogprobs > 0 ? topEntries : nil, stats: stats)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(output), as: UTF8.self))
        } else {
            print("")
            FileHandle.standardError.write(Data(stats.summary.utf8))
        }
    }

    private func emit(_ text: String) {
        guard !text.isEmpty else { return }
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (s, attoseconds) = duration.components
        return max(1e-9, Double(s) + Double(attoseconds) * 1e-18)
    }

    /// Indices of the `k` largest values, largest first.
    static func top(_ values: [Float], _ k: Int) -> [Int] {
        Array(values.indices.sorted { values[$0] > values[$1] }.prefix(k))
    }

    struct TopLogprob: Encodable {
        let id: Int
        let logprob: Double
    }

    struct Stats: Encodable {
        let prompt_token_count: Int
        let prompt_tokens_per_second: Double
        let generated_token_count: Int
        let decode_tokens_per_second: Double
        let peak_memory_bytes: Int
        let threads: Int
        let seed: UInt64

        var summary: String {
            let mib = Double(peak_memory_bytes) / 1_048_576
            return """
                prompt: \(prompt_token_count) tokens, \(String(format: "%.1f", prompt_tokens_per_second)) tok/s
                generated: \(generated_token_count) tokens, \(String(format: "%.1f", decode_tokens_per_second)) tok/s
                peak memory: \(String(format: "%.1f", mib)) MiB, threads: \(threads), seed: \(seed)

                """
        }
    }

    struct Output: Encodable {
        let prompt_tokens: [Int]
        let tokens: [Int]
        let text: String
        let logprobs: [Double]
        let top_logprobs: [[TopLogprob]]?
        let stats: Stats
    }
}

/// Generated text with stop strings: holds back any tail that could still become a stop string,
/// and cuts the text where one appears.
struct StopStringStream {
    let stops: [[UInt8]]
    private(set) var bytes: [UInt8] = []
    private var released = 0
    private(set) var stopped = false

    init(stops: [String]) {
        self.stops = stops.map { Array($0.utf8) }
    }

    /// All text kept so far (complete once finished).
    var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Adds a piece of text; returns true when a stop string has appeared (the text ends before it).
    mutating func append(_ piece: String) -> Bool {
        guard !stopped else { return true }
        bytes.append(contentsOf: piece.utf8)
        let longest = stops.map(\.count).max() ?? 0
        let searchStart = max(0, released - longest)
        var cut: Int?
        for stop in stops {
            if let index = Self.find(stop, in: bytes, from: searchStart) { cut = min(cut ?? index, index) }
        }
        if let cut {
            bytes.removeLast(bytes.count - cut)
            stopped = true
        }
        return stopped
    }

    /// Releases everything (end of generation).
    mutating func finish() { stopped = true }

    /// The text that can no longer turn into a stop string and has not been returned yet.
    mutating func takeReady() -> String {
        var end = bytes.count
        if !stopped {
            for stop in stops {
                for length in stride(from: min(stop.count - 1, bytes.count), through: 1, by: -1)
                where bytes[(bytes.count - length)...].elementsEqual(stop[..<length]) {
                    end = min(end, bytes.count - length)
                    break
                }
            }
        }
        guard end > released else { return "" }
        defer { released = end }
        return String(decoding: bytes[released..<end], as: UTF8.self)
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        var i = start
        while i + needle.count <= haystack.count {
            if haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}
