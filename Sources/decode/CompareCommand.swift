import ArgumentParser
import Decoding
import Evaluation
import Foundation
import GGUF
import RemoteModel
import Search
import Strategies
import Tokenizer
import Transformer

/// `decode compare`: runs several decoding strategies on a task set over seeds and prints one
/// row per strategy (score with its 95 % interval, the paired difference from a baseline with its
/// interval, wins / ties / losses, p-value and minimum detectable difference, verifier score,
/// model calls, tokens evaluated, wall time, tokens/s), with the run's configuration in the
/// header. Records stream to `--out`, `--resume` continues a record file, `--shard` runs a share
/// of the tasks and `--merge` prints the table of record files. The statistics, the record
/// files, the shards and the progress text all come from the `Evaluation` library.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare decoding strategies on a task set.",
        discussion: """
            Tasks are JSON lines: {"prompt": "…"} or {"messages": [{"role": "user", "content": "…"}]} with an \
            optional "reference" (and "match": exact|contains|numeric, "extract": whole|last-number|answer|regex:P), \
            "schema" (a JSON Schema; with a "reference" object of field values it scores the fraction of fields \
            right) or "regex"; --tasks takes a file or a folder of .jsonl files. \
            Strategies: \(StrategySpecification.validList). lcd, awrs and smc:N sample under each task's "schema" \
            or "regex" (a task with neither is recorded as a failure of that strategy), at --temperature with \
            no truncation, as generate does under a constraint.

            With no arguments: the 30 built-in tasks of Tasks/builtin.jsonl, strategies \
            greedy,sample,best-of-n:4,beam:2, one seed, at most 16 tokens per answer, searches guided by the mean \
            token log-probability (about 2 min on a 2-core machine busy with other builds, see Tasks/README.md). \
            --tasks constrained: the 13 constrained tasks of Tasks/constrained.jsonl (JSON extraction scored by the \
            fraction of fields right, regex answers), strategies lcd,awrs,smc:4, at most 40 tokens per answer. \
            Each task's prompt is evaluated once and shared by every strategy and seed; the table still counts that \
            prefill in every row, as a standalone run would.

            Statistics: each score carries a 95 % percentile cluster-bootstrap interval over tasks (a task's seeds \
            resampled together, 10 000 resamples, seed 0: reruns print the same table); each strategy is paired \
            with the baseline (--baseline, default the first strategy) by task: the mean difference with its \
            paired-bootstrap interval (* when it excludes 0), wins/ties/losses, a p-value (exact McNemar for 0/1 \
            scores, else a paired sign-flip permutation test) and the minimum detectable difference at 80 % power, \
            2.80·s_d/√n.

            Runs: --out FILE.jsonl writes a header and one record per task × strategy × seed as each finishes; \
            --resume FILE.jsonl skips what the file has and appends the rest (a file of another task set, model or \
            settings is refused); --shard I/N runs tasks I, I+N, I+2N, …; --merge A.jsonl B.jsonl … prints the \
            table of record files without a model. Progress: a bar with an ETA on stderr when it is a terminal, \
            else a line per task (each strategy's score on it); --quiet prints neither.
            """)

    @Option(name: .long, help: "Task file (JSON lines), folder of .jsonl files, or a built-in set: builtin (the default) or constrained.")
    var tasks: String?

    @Option(name: .long, help: "Comma-separated strategies (\(StrategySpecification.validList)). Default: greedy,sample,best-of-n:4,beam:2 (lcd,awrs,smc:4 on --tasks constrained).")
    var strategies: String?

    @Option(name: .long, help: "The strategy every other one is compared with (default: the first).")
    var baseline: String?

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

    @Option(name: .long, help: "GGUF file of the draft model (same vocabulary) for the strategies with +draft:model.")
    var draftModel: String?

    @Option(name: .long, parsing: .unconditional, help: "Number of seeds (1, 2, …); greedy, beam and lookahead ignore the seed and run seed 0 only.")
    var seeds = 1

    @Option(name: .long, parsing: .unconditional, help: "The most tokens generated per task (default 16; 40 on --tasks constrained).")
    var maxTokens: Int?

    @Option(name: .long, parsing: .unconditional, help: "Sampling temperature for the sampling strategies.")
    var temperature: Float = 0.7

    @Option(name: .long, parsing: .unconditional, help: "Cap on tokens evaluated per search step (none by default).")
    var budget: Int?

    @Option(name: .long, help: "Output format: md, csv, json or jsonl.")
    var format = "md"

    @Option(name: .long, help: "Also write score (with its interval) against compute as an SVG chart to this file.")
    var plot: String?

    @Option(name: .long, help: "Write a header and one JSON record per run to this new file as runs finish.")
    var out: String?

    @Option(name: .long, help: "Continue this record file: skip the runs it has, append the rest.")
    var resume: String?

    @Option(name: .long, parsing: .unconditional, help: "Run shard I of N (every N-th task from task I), e.g. 2/4.")
    var shard: String?

    @Option(name: .long, parsing: .upToNextOption, help: "Print the table of these record files (no model needed).")
    var merge: [String] = []

    @Flag(name: .long, help: "No progress bar or per-task lines on stderr.")
    var quiet = false

    @Option(name: .long, help: "\(ModelArguments.modelHelp) (default: \(DefaultModel.environmentVariable) or .models/\(DefaultModel.fileName)).")
    var model: String?

    @Option(name: .long, parsing: .unconditional, help: "Threads for the forward pass (default: every core).")
    var threads: Int?

    @Option(name: .long, help: ArgumentHelp(
        "Evaluate on an OpenAI-compatible completions server (decode serve, vLLM, llama.cpp's server) instead of the built-in runtime; --model still gives the tokenizer and vocabulary.",
        valueName: "URL"))
    var remote: String?

    @Option(name: .long, parsing: .unconditional, help: "With --remote: the most likely tokens read per evaluation; the rest of each distribution counts as impossible.")
    var remoteTopLogprobs = 20

    /// The built-in set `--tasks` names (the general one when it is not given), or nil for a file or folder.
    var builtinSet: BuiltinTaskSet? {
        guard let tasks else { return .general }
        // A file or folder of that name wins over a built-in set.
        if FileManager.default.fileExists(atPath: tasks) { return nil }
        return BuiltinTaskSet(name: tasks)
    }

    /// `--strategies`, else the built-in set's default.
    var strategyList: String { strategies ?? (builtinSet ?? .general).defaultStrategies }

    /// `--max-tokens`, else the built-in set's default.
    var maxTokenCount: Int { maxTokens ?? (builtinSet ?? .general).defaultMaxTokens }

    func validate() throws {
        guard seeds >= 1 else { throw ValidationError("--seeds must be at least 1, got \(seeds).") }
        if let maxTokens, maxTokens < 1 { throw ValidationError("--max-tokens must be at least 1, got \(maxTokens).") }
        guard ["md", "csv", "json", "jsonl"].contains(format) else {
            throw ValidationError("--format must be md, csv, json or jsonl, not '\(format)'.")
        }
        guard ["sum", "rank"].contains(combine) else { throw ValidationError("--combine must be sum or rank, not '\(combine)'.") }
        if let budget, budget < 1 { throw ValidationError("--budget must be at least 1, got \(budget).") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads).") }
        if remoteTopLogprobs < 1 { throw ValidationError("--remote-top-logprobs must be at least 1, got \(remoteTopLogprobs).") }
        guard verifierTimeout > 0 && verifierTimeout.isFinite else {
            throw ValidationError("--verifier-timeout must be a positive number of seconds, got \(verifierTimeout).")
        }
        guard temperature > 0 && temperature.isFinite else {
            throw ValidationError("--temperature must be positive, got \(temperature).")
        }
        let specs = try StrategySpecification.parseOption(strategyList)
        _ = try VerifierSpecification.parseOption(verifier)
        if let shard {
            do { _ = try TaskShard(parsing: shard) } catch { throw ValidationError("--shard: \(error).") }
        }
        if !merge.isEmpty {
            if out != nil || resume != nil || shard != nil {
                throw ValidationError("--merge prints the table of record files; it takes no --out, --resume or --shard.")
            }
        } else if let baseline = try baselineName(), !specs.map(\.description).contains(baseline) {
            throw ValidationError("--baseline: \(ComparisonError.unknownBaseline(baseline, strategies: specs.map(\.description))).")
        }
        if draftModel == nil, let spec = specs.first(where: { $0.drafter == .model }) {
            throw ValidationError("--strategies: '\(spec)' needs --draft-model (a GGUF file with the model's vocabulary).")
        }
        if let out, let resume, out != resume {
            throw ValidationError("--resume appends to its own file; give --out the same file or leave it out.")
        }
        if format == "jsonl" && (out != nil || resume != nil) {
            throw ValidationError("--format jsonl prints the records; with --out or --resume they are already in the file.")
        }
    }

    /// `--baseline` in its canonical form (`sample + draft:ngram` is `sample+draft:ngram`), so it
    /// matches the strategies' names however it was written.
    ///
    /// - Throws: `ValidationError` with the strategy language's sentence.
    func baselineName() throws -> String? {
        guard let baseline else { return nil }
        do {
            return try StrategySpecification(parsing: baseline).description
        } catch {
            throw ValidationError("--baseline: \(error).")
        }
    }

    func run() throws {
        do {
            if merge.isEmpty { try compare() } else { try mergeRecords() }
        } catch let error as ExitCode {
            throw error
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }

    private func compare() throws {
        let specs = try StrategySpecification.parseOption(strategyList)
        let verifierSpecs = try VerifierSpecification.parseOption(verifier)
        if verifierSpecs.contains(where: { $0.kind == .command }) && verifierCommand == nil {
            throw CompareError("the command verifier needs --verifier-command")
        }
        if verifierSpecs.contains(where: { $0.kind == .judge }) && judgeModel == nil {
            throw CompareError("the judge verifier needs --judge-model")
        }
        let taskURL = builtinSet?.url ?? URL(fileURLWithPath: tasks ?? "")
        let taskSet = try TaskSet(contentsOf: taskURL)
        // A malformed task file is refused before the model loads, every bad line named.
        guard taskSet.errors.isEmpty else {
            for error in taskSet.errors { FileHandle.standardError.write(Data("error: \(error)\n".utf8)) }
            throw ExitCode.failure
        }
        guard !taskSet.tasks.isEmpty else { throw CompareError("no task to run in '\(taskURL.path)'") }
        let shard = try shard.map { try TaskShard(parsing: $0) } ?? .all
        let taskList = shard.select(taskSet.tasks)
        guard !taskList.isEmpty else { throw CompareError("shard \(shard) of \(taskSet.tasks.count) tasks has no task") }
        try checkPlotFolder()
        let resumed = try resume.map { try ComparisonLog(contentsOf: URL(fileURLWithPath: $0)) }
        if let out, resume == nil, FileManager.default.fileExists(atPath: out) {
            throw CompareError("'\(out)' exists; continue it with --resume \(out), or give another --out")
        }
        let settingsHash = settingsFingerprint()
        if let resumed, let resume {
            // Checked again with the model's hash once it loads; the task set is known already.
            if resumed.header.taskSet != taskSet.hash {
                throw ComparisonError.mismatchedRecords(file: resume, field: "task-set hash", expected: taskSet.hash,
                                                         found: resumed.header.taskSet)
            }
        }

        let modelURL = try locate(model)
        let file = try GGUFFile(contentsOf: modelURL)
        let tokenizer = try Tokenizer(file: file)
        let threadCount = threads ?? ProcessInfo.processInfo.activeProcessorCount
        let llama: any LanguageModel = try remote.map {
            try RemoteLanguageModel(configuration: RemoteModelConfiguration(baseURL: $0, topLogprobs: remoteTopLogprobs),
                                    describedBy: file)
        } ?? LlamaModel(file: file, threads: threadCount)
        let judge = try judgeModel.map { try LlamaModel(file: try GGUFFile(contentsOf: URL(fileURLWithPath: $0)), threads: threadCount) }
        let draft = try draftModel.map { try LlamaModel(file: try GGUFFile(contentsOf: URL(fileURLWithPath: $0)), threads: threadCount) }
        let template = try tokenizer.chatTemplate(architecture: try file.metadata.stringIfPresent("general.architecture"))
        let chain = try SamplingParameters(temperature: temperature, seed: 0).makeChain()
        var strategyContext = try StrategyContext(model: llama, decoder: tokenizer, chain: chain, seed: 0)
        strategyContext.maxTokensEvaluated = budget
        strategyContext.draftModel = draft
        var constrained = SamplingParameters.constrainedDefaults
        constrained.temperature = temperature
        let runner = ComparisonRunner(model: llama, judge: judge, strategies: strategyContext,
                                      constrainedChain: try constrained.makeChain(),
                                      maxTokens: maxTokenCount, verifiers: verifierSpecs,
                                      combine: combine == "rank" ? .rank : .weightedSum, command: verifierCommand,
                                      commandTimeout: verifierTimeout)
        var modelHash = FNV1a64()
        modelHash.update(file.rawBytes)
        let header = configurationHeader(file: file, url: modelURL, model: llama, chain: chain, modelHash: modelHash.hex,
                                         taskSet: taskSet, shard: shard)
        let logHeader = ComparisonLogHeader(taskSet: taskSet.hash, tasks: taskSet.tasks.count, model: modelHash.hex,
                                            settings: settingsHash, strategies: specs.map(\.description), seeds: seeds, shard: shard,
                                            configuration: header)
        if let resumed, let resume { try logHeader.requireSameRun(as: resumed.header, file: resume) }
        let sink = try RecordSink(path: out ?? resume, header: resumed == nil ? logHeader : nil)

        // The runs still to do, task by task (a resumed file's records are skipped).
        let plan = ComparisonPlan(tasks: taskList, strategies: specs, seeds: seeds, recorded: resumed?.keys ?? [])
        var progress = ComparisonProgress(totalRuns: plan.runsToDo, totalTasks: plan.tasksToDo, skippedRuns: plan.runsSkipped)
        let reporter = ProgressReporter(quiet: quiet)
        reporter.start(progress)
        var records: [ComparisonRecord] = []
        // Task by task: the prompt is evaluated once and every strategy and seed continues a fork
        // of that session (each record still counts the prefill, as a standalone run would).
        for (index, item) in plan.items.enumerated() where !item.runs.isEmpty {
            let task = item.task
            let prefill = try runner.prefill(try task.promptTokens(tokenizer: tokenizer, template: template))
            var taskRecords: [ComparisonRecord] = []
            for run in item.runs {
                let record = try runner.run(run.strategy, task: task, prefill: prefill, seed: run.seed)
                if let failure = record.failure {
                    reporter.warn("task \(task.id), \(run.strategy.description), seed \(run.seed): \(failure)")
                }
                try sink.append(record)
                taskRecords.append(record)
                progress.doneRuns += 1
                reporter.update(progress)
            }
            records += taskRecords
            progress.doneTasks += 1
            reporter.finishedTask(progress, line: ComparisonProgress.taskLine(index: index + 1, of: taskList.count, task: task.id,
                                                                              records: taskRecords, strategies: specs.map(\.description)))
        }
        reporter.finish(progress)
        // The table covers this run's tasks, strategies and seeds, recorded before or now.
        let ids = Set(taskList.map(\.id))
        let names = specs.map(\.description)
        let all = (resumed?.records ?? []).filter { ids.contains($0.task) && plan.covers($0) } + records
        try report(header: header, records: all, strategies: names)
    }

    /// `--merge`: the table of record files of one run (shards, resumed parts), with no model.
    private func mergeRecords() throws {
        let logs = try merge.map { (file: $0, log: try ComparisonLog(contentsOf: URL(fileURLWithPath: $0))) }
        let merged = try ComparisonLog.merge(logs)
        var names = merged.strategies
        if let strategies {
            names = try StrategySpecification.parseOption(strategies).map(\.description)
            if let missing = names.first(where: { !merged.strategies.contains($0) }) {
                throw CompareError("no record of strategy '\(missing)' in the merged files (they have \(merged.strategies.joined(separator: ", ")))")
            }
        }
        try checkPlotFolder()
        let records = merged.records.filter { names.contains($0.strategy) }
        let covered = Set(records.map(\.task)).count
        var header = merged.header.configurationPairs.filter { $0.key != "shard" }
        header.append(("records", "\(records.count) from \(merge.count) file(s), covering \(covered) of \(merged.header.tasks) tasks"))
        try report(header: header, records: records, strategies: names)
    }

    /// Prints the table in `--format` (and writes `--plot`).
    private func report(header: [(key: String, value: String)], records: [ComparisonRecord], strategies names: [String]) throws {
        let started = Date()
        let table = try ComparisonTable(header: header, records: records, strategies: names, baseline: try baselineName())
        if !quiet {
            let seconds = Date().timeIntervalSince(started)
            FileHandle.standardError.write(Data(String(format: "statistics computed in %.3f s\n", seconds).utf8))
        }
        switch format {
        case "csv": print(table.csv(), terminator: "")
        case "json": print(try table.json(), terminator: "")
        case "jsonl": print(try ComparisonTable.jsonLines(records), terminator: "")
        default: print(table.markdown(), terminator: "")
        }
        if let plot {
            do { try Data(ScorePlot.svg(table.rows, statistics: table.statistics).utf8).write(to: URL(fileURLWithPath: plot)) } catch {
                throw CompareError("cannot write the plot to '\(plot)'")
            }
        }
    }

    /// Checks the plot's folder before spending minutes on the model (without touching the
    /// file itself, so a failed run leaves an existing plot as it was).
    private func checkPlotFolder() throws {
        guard let plot else { return }
        let folder = URL(fileURLWithPath: plot).deletingLastPathComponent().path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue,
              FileManager.default.isWritableFile(atPath: folder) else {
            throw CompareError("cannot write the plot to '\(plot)'")
        }
    }

    /// A fingerprint of the settings that change an answer: a record file made with others is refused.
    private func settingsFingerprint() -> String {
        var hasher = FNV1a64()
        let text = "max-tokens=\(maxTokenCount);temperature=\(temperature);verifier=\(verifier);combine=\(combine);"
            + "budget=\(budget.map(String.init) ?? "none");verifier-command=\(verifierCommand ?? "");judge=\(judgeModel ?? "")"
            + (draftModel.map { ";draft=\($0)" } ?? "")
        hasher.update(text.utf8)
        return hasher.hex
    }

    private func configurationHeader(file: GGUFFile, url: URL, model: any LanguageModel, chain: LogitProcessorChain, modelHash: String,
                                     taskSet: TaskSet, shard: TaskShard) -> [(key: String, value: String)] {
        var types: [String: Int] = [:]
        for tensor in file.tensors { types["\(tensor.type)", default: 0] += 1 }
        let quantization = types.sorted { $0.value > $1.value }.map { "\($0.key)×\($0.value)" }.joined(separator: " ")
        var header: [(key: String, value: String)] = [
            ("model", url.lastPathComponent),
            ("model fnv1a64", modelHash),
            ("quantization (tensors by type)", quantization),
            ("tasks", "\(taskSet.tasks.count) (\(self.tasks ?? "built-in"), fnv1a64 \(taskSet.hash))"),
        ]
        if shard != .all { header.append(("shard", "\(shard): \(shard.select(taskSet.tasks).count) tasks")) }
        header += [
            ("seed values", (0..<seeds).map(String.init).joined(separator: ",")
                + (seeds > 1 ? " (seed 0 only for the strategies that ignore the seed: greedy, beam, lookahead)" : "")),
            ("max tokens", "\(maxTokenCount)"),
            ("processor order", (chain.name.isEmpty ? "none" : chain.name) + " (lcd, awrs, smc: temperature only)"),
            ("verifier", verifier + (combine == "rank" ? " (rank)" : "")),
            ("budget", budget.map { "\($0) tokens evaluated per step" } ?? "none"),
            remote.map { ("remote engine", "\($0), top \(remoteTopLogprobs) log-probabilities per step") }
                ?? ("threads", "\((model as? LlamaModel)?.threadCount ?? 0)"),
        ]
        return header
    }

    private func locate(_ path: String?) throws -> URL {
        if let path {
            do {
                return try ModelArguments.url(of: path)
            } catch {
                throw CompareError("\(error)")
            }
        }
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
