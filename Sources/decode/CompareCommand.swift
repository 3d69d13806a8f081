import ArgumentParser
import Decoding
import Foundation
import GGUF
import Search
import Tokenizer
import Transformer

/// `decode compare`: runs several decoding strategies on a task set over seeds and prints one
/// row per strategy (score mean ± std, verifier score, model calls, tokens evaluated, wall
/// time, tokens/s), with the run's configuration in the header.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare decoding strategies on a task set.",
        discussion: """
            Tasks are JSON lines: {"prompt": "…"} or {"messages": [{"role": "user", "content": "…"}]} with an \
            optional "reference" (and "match": exact|contains|numeric, "extract": whole|last-number|answer|regex:P), \
            "schema" (a JSON Schema) or "regex". Strategies: \(StrategySpec.valid).

            With no arguments: the 30 built-in tasks of Tasks/builtin.jsonl, strategies \
            greedy,sample,best-of-n:4,beam:2, one seed, at most 16 tokens per answer, searches guided by the mean \
            token log-probability (about 60 s of CPU on SmolLM2-135M; 2 min on a 2-core machine busy with other \
            builds, see Tasks/README.md). Each task's prompt is evaluated once and shared by every strategy and seed; \
            the table still counts that prefill in every row, as a standalone run would. A line per task on stderr \
            shows progress (each strategy's score on it) and any verifier failure; a malformed task file is refused, \
            every bad line named, before the model loads.
            """)

    @Option(name: .long, help: "Task file (JSON lines). Default: the built-in task set.")
    var tasks: String?

    @Option(name: .long, help: "Comma-separated strategies (\(StrategySpec.valid)).")
    var strategies = "greedy,sample,best-of-n:4,beam:2"

    @Option(name: .long, help: "Verifier guiding the searches: logprob | task | command | judge, or name:weight,… combined.")
    var verifier = "logprob"

    @Option(name: .long, help: "How several verifiers combine: sum or rank.")
    var combine = "sum"

    @Option(name: .long, help: "Shell command for the command verifier (reads JSON lines, prints one score per line).")
    var verifierCommand: String?

    @Option(name: .long, parsing: .unconditional, help: "Seconds the verifier command may run per call.")
    var verifierTimeout: Double = 30

    @Option(name: .long, help: "GGUF file of the judge model (same vocabulary) for the judge verifier.")
    var judgeModel: String?

    @Option(name: .long, parsing: .unconditional, help: "Number of seeds (1, 2, …).")
    var seeds = 1

    @Option(name: .long, parsing: .unconditional, help: "The most tokens generated per task.")
    var maxTokens = 16

    @Option(name: .long, parsing: .unconditional, help: "Sampling temperature for the sampling strategies.")
    var temperature: Float = 0.7

    @Option(name: .long, parsing: .unconditional, help: "Cap on tokens evaluated per search step (none by default).")
    var budget: Int?

    @Option(name: .long, help: "Output format: md, csv, json or jsonl.")
    var format = "md"

    @Option(name: .long, help: "Also write score against compute as an SVG chart to this file.")
    var plot: String?

    @Option(name: .long, help: "GGUF model file (default: \(DefaultModel.environmentVariable) or .models/\(DefaultModel.fileName)).")
    var model: String?

    @Option(name: .long, parsing: .unconditional, help: "Threads for the forward pass (default: every core).")
    var threads: Int?

    func validate() throws {
        guard seeds >= 1 else { throw ValidationError("--seeds must be at least 1, got \(seeds).") }
        guard maxTokens >= 1 else { throw ValidationError("--max-tokens must be at least 1, got \(maxTokens).") }
        guard ["md", "csv", "json", "jsonl"].contains(format) else {
            throw ValidationError("--format must be md, csv, json or jsonl, not '\(format)'.")
        }
        guard ["sum", "rank"].contains(combine) else { throw ValidationError("--combine must be sum or rank, not '\(combine)'.") }
        if let budget, budget < 1 { throw ValidationError("--budget must be at least 1, got \(budget).") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads).") }
        guard verifierTimeout > 0 && verifierTimeout.isFinite else {
            throw ValidationError("--verifier-timeout must be a positive number of seconds, got \(verifierTimeout).")
        }
        guard temperature > 0 && temperature.isFinite else {
            throw ValidationError("--temperature must be positive, got \(temperature).")
        }
        _ = try StrategySpec.parseList(strategies)
        _ = try VerifierSpec.parseList(verifier)
    }

    func run() throws {
        do {
            try compare()
        } catch let error as ExitCode {
            throw error
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }

    private func compare() throws {
        let specs = try StrategySpec.parseList(strategies)
        let verifierSpecs = try VerifierSpec.parseList(verifier)
        if verifierSpecs.contains(where: { $0.name == "command" }) && verifierCommand == nil {
            throw CompareError("the command verifier needs --verifier-command")
        }
        if verifierSpecs.contains(where: { $0.name == "judge" }) && judgeModel == nil {
            throw CompareError("the judge verifier needs --judge-model")
        }
        let (taskURL, taskList, taskErrors) = try loadTasks()
        // A malformed task file is refused before the model loads, every bad line named.
        guard taskErrors.isEmpty else {
            for error in taskErrors {
                FileHandle.standardError.write(Data("error: task file '\(taskURL.path)' \(error)\n".utf8))
            }
            throw ExitCode.failure
        }
        guard !taskList.isEmpty else { throw CompareError("no task to run in '\(taskURL.path)'") }
        // Check the plot's folder before spending minutes on the model (without touching the
        // file itself, so a failed run leaves an existing plot as it was).
        if let plot {
            let folder = URL(fileURLWithPath: plot).deletingLastPathComponent().path
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue,
                  FileManager.default.isWritableFile(atPath: folder) else {
                throw CompareError("cannot write the plot to '\(plot)'")
            }
        }
        let modelURL = try locate(model)
        let file = try GGUFFile(contentsOf: modelURL)
        let tokenizer = try Tokenizer(file: file)
        let llama = try LlamaModel(file: file, threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
        let judge = try judgeModel.map { try LlamaModel(file: try GGUFFile(contentsOf: URL(fileURLWithPath: $0)), threads: llama.threadCount) }
        let template = try? tokenizer.chatTemplate()
        let chain = try SamplingParameters(temperature: temperature, seed: 0).makeChain()
        let delimiters = try CautiousOptions().punctuationTokens(vocabularySize: llama.vocabularySize, decoder: tokenizer)
        let context = CompareContext(model: llama, judge: judge, decoder: tokenizer, chain: chain, delimiters: delimiters,
                                     maxTokens: maxTokens, budget: budget, verifiers: verifierSpecs,
                                     combine: combine == "rank" ? .rank : .weightedSum, command: verifierCommand,
                                     commandTimeout: verifierTimeout)
        var records: [ComparisonRecord] = []
        // Task by task: the prompt is evaluated once and every strategy and seed continues a fork
        // of that session (each record still counts the prefill, as a standalone run would).
        for (index, task) in taskList.enumerated() {
            let prefill = try context.prefill(try promptTokens(task, tokenizer: tokenizer, template: template))
            var taskRecords: [ComparisonRecord] = []
            for spec in specs {
                for seed in 0..<UInt64(seeds) {
                    let record = try context.run(spec, task: task, prefill: prefill, seed: seed)
                    if let failure = record.failure {
                        FileHandle.standardError.write(Data("warning: task \(task.id), \(spec.text), seed \(seed): \(failure)\n".utf8))
                    }
                    taskRecords.append(record)
                }
            }
            records += taskRecords
            FileHandle.standardError.write(Data(progressLine(index: index, of: taskList.count, task: task, records: taskRecords,
                                                             strategies: specs).utf8))
        }
        let rows = ComparisonRow.summarize(records, strategies: specs.map(\.text))
        let header = try configurationHeader(file: file, url: modelURL, model: llama, chain: chain, tasks: taskList, specs: specs)
        let table = ComparisonTable(header: header, rows: rows)
        switch format {
        case "csv": print(table.csv(), terminator: "")
        case "json": print(try table.json(), terminator: "")
        case "jsonl": print(try ComparisonTable.jsonLines(records), terminator: "")
        default: print(table.markdown(), terminator: "")
        }
        if let plot {
            do { try Data(ScorePlot.svg(rows).utf8).write(to: URL(fileURLWithPath: plot)) } catch {
                throw CompareError("cannot write the plot to '\(plot)'")
            }
        }
    }

    /// `[3/30] task-id: greedy 1, beam:2 0.5, sample failed` — each strategy's score on the
    /// task (mean over seeds), after the task ran.
    private func progressLine(index: Int, of count: Int, task: SearchTask, records: [ComparisonRecord],
                              strategies: [StrategySpec]) -> String {
        let rows = ComparisonRow.summarize(records, strategies: strategies.map(\.text))
        let scores = rows.map { row in
            let runs = records.filter { $0.strategy == row.strategy }.count
            return "\(row.strategy) " + (row.failed == runs ? "failed" : String(format: "%.3g", row.scoreMean))
        }
        return "[\(index + 1)/\(count)] \(task.id): \(scores.joined(separator: ", "))\n"
    }

    private func loadTasks() throws -> (url: URL, tasks: [SearchTask], errors: [TaskFileError]) {
        let url: URL
        if let tasks { url = URL(fileURLWithPath: tasks) } else {
            let besideSources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("Tasks/builtin.jsonl")
            let inDirectory = URL(fileURLWithPath: "Tasks/builtin.jsonl")
            url = FileManager.default.fileExists(atPath: inDirectory.path) ? inDirectory : besideSources
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw CompareError("cannot read the task file '\(url.path)'")
        }
        let (tasks, errors) = SearchTask.parse(jsonLines: String(decoding: data, as: UTF8.self))
        return (url, tasks, errors)
    }

    private func promptTokens(_ task: SearchTask, tokenizer: Tokenizer, template: ChatTemplate?) throws -> [Int] {
        var messages = task.messages.compactMap { m in ChatRole(rawValue: m.role).map { ChatMessage(role: $0, content: m.content) } }
        if let prompt = task.prompt { messages = [ChatMessage(role: .user, content: prompt)] }
        guard let template else {
            return try tokenizer.encode(messages.map(\.content).joined(separator: "\n"), addBOS: tokenizer.addsBOSByDefault)
        }
        return try tokenizer.encode(template.render(messages, addGenerationPrompt: true), parseSpecial: true,
                                    addBOS: tokenizer.addsBOSByDefault)
    }

    private func configurationHeader(file: GGUFFile, url: URL, model: LlamaModel, chain: LogitProcessorChain,
                                     tasks: [SearchTask], specs: [StrategySpec]) throws -> [(key: String, value: String)] {
        var types: [String: Int] = [:]
        for tensor in file.tensors { types["\(tensor.type)", default: 0] += 1 }
        let quantization = types.sorted { $0.value > $1.value }.map { "\($0.key)×\($0.value)" }.joined(separator: " ")
        return [
            ("model", url.lastPathComponent),
            ("model fnv1a64", fnv1a64(file.rawBytes)),
            ("quantization (tensors by type)", quantization),
            ("tasks", "\(tasks.count) (\(self.tasks ?? "built-in"))"),
            ("seed values", (0..<seeds).map(String.init).joined(separator: ",")),
            ("max tokens", "\(maxTokens)"),
            ("processor order", chain.name.isEmpty ? "none" : chain.name),
            ("verifier", verifier + (combine == "rank" ? " (rank)" : "")),
            ("budget", budget.map { "\($0) tokens evaluated per step" } ?? "none"),
            ("threads", "\(model.threadCount)"),
        ]
    }

    private func fnv1a64(_ bytes: UnsafeRawBufferPointer) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return String(hash, radix: 16)
    }

    private func locate(_ path: String?) throws -> URL {
        if let path { return URL(fileURLWithPath: path) }
        guard let url = DefaultModel.locate() else {
            throw CompareError("no model found: pass --model PATH, set \(DefaultModel.environmentVariable), or run Scripts/setup.sh")
        }
        return url
    }
}

/// A failure of the compare command itself.
struct CompareError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
