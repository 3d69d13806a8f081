import Foundation
import Testing
import Evaluation
import Search

/// `Scripts/tasks-gsm8k.py` turns GSM8K lines into tasks that parse, with the number after
/// `####` as a numeric reference and the last number as the extracted answer. The input below
/// is three problems of the GSM8K test split (openai/grade-school-math, MIT licence,
/// © 2021 OpenAI), the last with a thousands separator.
@Suite struct GSM8KScriptTests {
    static let sample = #"""
        {"question": "Janet\u2019s ducks lay 16 eggs per day. She eats three for breakfast every morning and bakes muffins for her friends every day with four. She sells the remainder at the farmers' market daily for $2 per fresh duck egg. How much in dollars does she make every day at the farmers' market?", "answer": "Janet sells 16 - 3 - 4 = <<16-3-4=9>>9 duck eggs a day.\nShe makes 9 * 2 = $<<9*2=18>>18 every day at the farmer\u2019s market.\n#### 18"}
        {"question": "A robe takes 2 bolts of blue fiber and half that much white fiber.  How many bolts in total does it take?", "answer": "It takes 2/2=<<2/2=1>>1 bolt of white fiber\nSo the total amount of fabric is 2+1=<<2+1=3>>3 bolts of fabric\n#### 3"}
        {"question": "Josh decides to try flipping a house.  He buys a house for $80,000 and then puts in $50,000 in repairs.  This increased the value of the house by 150%.  How much profit did he make?", "answer": "The cost of the house and repairs came out to 80,000+50,000=$<<80000+50000=130000>>130,000\nHe increased the value of the house by 80,000*1.5=<<80000*1.5=120000>>120,000\nSo the new value of the house is 120,000+80,000=$<<120000+80000=200000>>200,000\nSo he made a profit of 200,000-130,000=$<<200000-130000=70000>>70,000\n#### 70000"}

        """#

    static var script: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Scripts/tasks-gsm8k.py")
    }

    static let hasPython = FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")
        || (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/python3")
        }

    @Test("GSM8K lines become parseable numeric tasks", .enabled(if: hasPython))
    func converts() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gsm8k-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("test.jsonl")
        try Data(Self.sample.utf8).write(to: input)
        let output = folder.appendingPathComponent("tasks/gsm8k-test.jsonl")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script.path, "--input", input.path, "--out", output.path, "--limit", "3"]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)

        let set = try TaskSet(contentsOf: output.deletingLastPathComponent())
        #expect(set.errors.isEmpty, "\(set.errors)")
        #expect(set.tasks.map(\.id) == ["gsm8k-test-0001", "gsm8k-test-0002", "gsm8k-test-0003"])
        #expect(set.tasks.map(\.reference) == ["18", "3", "70000"])
        #expect(set.tasks.allSatisfy { $0.mode == .numeric && $0.extraction == .lastNumber && $0.messages.count == 1 })
        #expect(set.tasks[0].messages[0].content.hasPrefix("Janet’s ducks lay 16 eggs per day."))
        let checker = try #require(try set.tasks[2].checker())
        #expect(try checker.score(VerifierCandidate(text: "He made 200000 - 130000 = 70000.\nAnswer: 70000")) == 1)
        #expect(try checker.score(VerifierCandidate(text: "Answer: 7000")) == 0)
    }
}
