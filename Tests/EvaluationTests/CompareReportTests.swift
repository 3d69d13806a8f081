import Foundation
import Testing
import Evaluation
import Search

@Suite struct CompareReportTests {
    @Test func parsesTaskLinesAndNamesBadOnes() throws {
        let text = """
        # comment
        {"id":"a","prompt":"2+2?","reference":4,"match":"numeric","extract":"last-number"}
        {"messages":[{"role":"user","content":"Capital of France?"}],"reference":"Paris","match":"contains"}

        not json
        {"prompt":"x","match":"fuzzy","reference":"1"}
        {"prompt":"x","messages":[{"role":"user","content":"y"}]}
        {"prompt":"json","schema":{"type":"object"}}
        {"prompt":"x","extract":"regex:(","reference":"1"}
        {"prompt":"x","colour":"red"}
        {"prompt":"r","regex":"(yes|no)"}
        """
        let (tasks, errors) = SearchTask.parse(jsonLines: text)
        #expect(tasks.map(\.id) == ["a", "line 3", "line 8", "line 11"])
        #expect(tasks[0].reference == "4" && tasks[0].mode == .numeric && tasks[0].extraction == .lastNumber)
        #expect(tasks[1].messages == [SearchTask.Message(role: "user", content: "Capital of France?")])
        #expect(tasks[2].isValidityTask && !tasks[0].isValidityTask)
        #expect(errors.map(\.line) == [5, 6, 7, 9, 10])
        #expect(errors[0].description == "line 5: not a JSON object")
        #expect(errors[1].reason == "\"match\" must be exact, contains or numeric, not \"fuzzy\"")
        #expect(errors[2].reason == "give exactly one of \"prompt\" and \"messages\"")
        #expect(errors[3].reason.contains("invalid regular expression"))
        #expect(errors[4].reason.hasPrefix("unknown field \"colour\""))
        let checker = try #require(try tasks[0].checker())
        #expect(try checker.score(VerifierCandidate(text: "It is 4.")) == 1)
        let schema = try #require(try tasks[2].checker())
        #expect(try schema.score(VerifierCandidate(text: "{\"k\": 1}")) == 1)
        #expect(try schema.score(VerifierCandidate(text: "[1]")) == 0)
    }

    /// The built-in task set parses without errors and every task has a check.
    @Test func builtinTasksParse() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Tasks/builtin.jsonl")
        let text = try String(contentsOf: url, encoding: .utf8)
        let (tasks, errors) = SearchTask.parse(jsonLines: text)
        #expect(errors.isEmpty)
        #expect(tasks.count >= 24)
        #expect(try tasks.allSatisfy { try $0.checker() != nil })
        #expect(Set(tasks.map(\.id)).count == tasks.count)
    }

    private var records: [ComparisonRecord] {
        [
            ComparisonRecord(strategy: "greedy", task: "a", seed: 0, text: "4", tokens: [1], taskScore: 1, verifierScore: -0.5,
                             modelCalls: 2, tokensEvaluated: 10, seconds: 1),
            ComparisonRecord(strategy: "greedy", task: "b", seed: 0, text: "x", tokens: [1, 2], taskScore: 0, verifierScore: -1.5,
                             modelCalls: 3, tokensEvaluated: 11, seconds: 1),
            ComparisonRecord(strategy: "beam:2", task: "a", seed: 0, text: "4", tokens: [1], taskScore: 1, verifierScore: nil,
                             modelCalls: 4, tokensEvaluated: 20, seconds: 2),
            ComparisonRecord(strategy: "beam:2", task: "b", seed: 0, text: "", tokens: [], taskScore: nil, verifierScore: nil,
                             modelCalls: 0, tokensEvaluated: 0, seconds: 0, failure: "verifier command failed"),
            ComparisonRecord(strategy: "beam:2", task: "a", seed: 1, text: "4", tokens: [1], taskScore: 1, verifierScore: nil,
                             modelCalls: 4, tokensEvaluated: 20, seconds: 2),
            ComparisonRecord(strategy: "beam:2", task: "b", seed: 1, text: "4", tokens: [1], taskScore: 1, verifierScore: nil,
                             modelCalls: 4, tokensEvaluated: 20, seconds: 2),
        ]
    }

    @Test func rowsSummarizeOverSeeds() {
        let rows = ComparisonRow.summarize(records, strategies: ["greedy", "beam:2"])
        #expect(rows.map(\.strategy) == ["greedy", "beam:2"])
        #expect(rows[0].scoreMean == 0.5 && rows[0].scoreStd == 0)
        #expect(rows[0].verifierMean == -1)
        #expect(rows[0].modelCalls == 2.5 && rows[0].tokensEvaluated == 10.5)
        #expect(rows[0].tokensPerSecond == 1.5)
        // Seed 0: (1 + 0 failed) / 2 = 0.5; seed 1: 1; mean 0.75, sample std √0.125.
        #expect(rows[1].scoreMean == 0.75)
        #expect(abs(rows[1].scoreStd - 0.125.squareRoot()) < 1e-12)
        #expect(rows[1].failed == 1 && rows[1].verifierMean == nil)
    }

    @Test func tablesRenderEveryFormat() throws {
        let rows = ComparisonRow.summarize(records, strategies: ["greedy", "beam:2"])
        let table = ComparisonTable(header: [("model", "m.gguf"), ("seeds", "0,1")], rows: rows)
        let markdown = table.markdown()
        #expect(markdown.hasPrefix("- model: m.gguf\n- seeds: 0,1\n\n| strategy |"))
        #expect(markdown.contains("| greedy | 0.500 ± 0.000 | -1.000 | 2.5 | 10.5 | 2.0 | 1.5 | 0 |"))
        #expect(markdown.contains("| beam:2 | 0.750 ± 0.354 | – |"))
        let csv = table.csv().split(separator: "\n")
        #expect(csv[2].hasPrefix("strategy,score,score_std,score_low,score_high,difference,"))
        #expect(csv[3] == "greedy,0.5000,0.0000,,,,,,,,,,,,,-1.0000,2.50,10.50,2.000,1.50,0")
        let json = try JSONSerialization.jsonObject(with: Data(try table.json().utf8)) as? [String: Any]
        #expect((json?["rows"] as? [Any])?.count == 2)
        #expect((json?["configuration"] as? [String: String])?["model"] == "m.gguf")
        let lines = try ComparisonTable.jsonLines(records).split(separator: "\n")
        #expect(lines.count == 6)
        let decoded = try JSONDecoder().decode(ComparisonRecord.self, from: Data(lines[3].utf8))
        #expect(decoded == records[3])
    }

    @Test("with statistics: intervals, the paired columns, the tasks × seeds line and the method")
    func tableWithStatistics() throws {
        let table = try ComparisonTable(header: [("model", "m.gguf")], records: records, strategies: ["greedy", "beam:2"])
        let markdown = table.markdown()
        // greedy has one seed here, beam:2 two.
        #expect(markdown.contains("- behind each row: 2 tasks × 2 seeds (seeds per task: greedy 1)\n"), "\(markdown)")
        #expect(markdown.contains("- baseline: greedy "), "\(markdown)")
        #expect(markdown.contains("percentile cluster bootstrap over tasks"), "\(markdown)")
        #expect(markdown.contains("10000 resamples, seed 0"), "\(markdown)")
        #expect(markdown.contains("| strategy | score [95 % CI] | Δ vs greedy [95 % CI] | W/T/L | p | MDE |"), "\(markdown)")
        // greedy: tasks a = 1, b = 0; beam:2: a = 1, b = (0 failed + 1) / 2 = 0.5.
        #expect(markdown.contains("| greedy | 0.500 [0.000, 1.000] | baseline | | | | -1.000 |"), "\(markdown)")
        #expect(markdown.contains("| beam:2 | 0.750 [0.500, 1.000] | +0.250 [+0.000, +0.500] | 1/1/0 | 1.000 |"), "\(markdown)")
        let csv = table.csv().split(separator: "\n")
        let beam = csv.last.map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(beam?[5] == "0.2500" && beam?[8] == "1" && beam?[12] == "sign-flip (exact)" && beam?[14] == "0", "\(csv)")
        let json = try JSONSerialization.jsonObject(with: Data(try table.json().utf8)) as? [String: Any]
        let statistics = json?["statistics"] as? [String: Any]
        #expect(statistics?["baseline"] as? String == "greedy")
    }

    @Test("significant differences are marked with *")
    func marksSignificance() throws {
        var records: [ComparisonRecord] = []
        for task in 0..<20 {
            records.append(ComparisonRecord(strategy: "greedy", task: "t\(task)", seed: 0, text: "", tokens: [], taskScore: task < 5 ? 1 : 0,
                                            verifierScore: nil, modelCalls: 1, tokensEvaluated: 10, seconds: 0.1))
            records.append(ComparisonRecord(strategy: "beam:2", task: "t\(task)", seed: 0, text: "", tokens: [], taskScore: task < 17 ? 1 : 0,
                                            verifierScore: nil, modelCalls: 2, tokensEvaluated: 20, seconds: 0.2))
        }
        let table = try ComparisonTable(header: [], records: records, strategies: ["greedy", "beam:2"])
        let beam = try #require(table.statistics?["beam:2"]?.paired)
        #expect(beam.wins == 12 && beam.ties == 8 && beam.losses == 0 && beam.test == .exactMcNemar && beam.isSignificant)
        #expect(table.markdown().contains("| beam:2 | 0.850 [") && table.markdown().contains("+0.600 ["))
        #expect(table.markdown().contains("] * | 12/8/0 | <0.001 |"), "\(table.markdown())")
    }

    @Test("the Pareto front keeps the strategies nothing beats on both tokens and score")
    func paretoFront() {
        func row(_ name: String, _ tokens: Double, _ score: Double) -> ComparisonRow {
            ComparisonRow(strategy: name, scoreMean: score, scoreStd: 0, verifierMean: nil, modelCalls: 1, tokensEvaluated: tokens,
                          seconds: 1, tokensPerSecond: 1, failed: 0)
        }
        let rows = [row("greedy", 50, 0.63), row("sample", 52, 0.43), row("best-of-n:4", 89, 0.5), row("beam:2", 62, 0.77),
                    row("beam:4", 120, 0.77)]
        #expect(ScorePlot.paretoFront(rows) == ["greedy", "beam:2"])
    }

    @Test func plotIsAWellFormedSVGWithLegend() throws {
        let table = try ComparisonTable(header: [], records: records, strategies: ["greedy", "beam:2"])
        let svg = ScorePlot.svg(table.rows, statistics: table.statistics)
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.contains(">greedy</text>") && svg.contains(">beam:2</text>") && svg.contains(">Pareto front</text>"))
        #expect(svg.contains("tokens evaluated per task (log scale)"))
        #expect(svg.contains("score (mean, 95 % bootstrap interval)"))
        // Two points and two legend dots, one ring per front point (greedy and beam:2 are both on it) and the legend's ring.
        #expect(svg.components(separatedBy: "<circle").count - 1 == 7)
        #expect(svg.contains("<polyline"))
        #expect(svg.hasSuffix("</svg>\n"))
        #expect(svg.components(separatedBy: "<text").count == svg.components(separatedBy: "</text>").count)
    }
}
