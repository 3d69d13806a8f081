import Foundation
import Testing
import Constraints
import Evaluation
import Search

/// The task sets that ship in `Tasks/`: every line parses; every constrained task has a
/// constraint, and its own reference passes its checker (so a perfect answer scores 1).
@Suite struct BuiltinTaskSetTests {
    @Test("both built-in sets parse with unique ids", arguments: BuiltinTaskSet.allCases)
    func parses(set: BuiltinTaskSet) throws {
        let tasks = try TaskSet(contentsOf: set.url)
        #expect(tasks.errors.isEmpty, "\(tasks.errors)")
        #expect(!tasks.tasks.isEmpty)
        #expect(BuiltinTaskSet(name: set.rawValue) == set)
        #expect(set.url.lastPathComponent == set.fileName)
    }

    @Test func unknownNamesChooseNoSet() {
        #expect(BuiltinTaskSet(name: "general") == nil)
        #expect(BuiltinTaskSet(name: "Tasks/constrained.jsonl") == nil)
    }

    @Test func everyConstrainedTaskHasAConstraintAndItsReferenceScoresOne() throws {
        let set = try TaskSet(contentsOf: BuiltinTaskSet.constrained.url)
        let fieldTasks = set.tasks.filter { !$0.fields.isEmpty }
        let regexTasks = set.tasks.filter { $0.regex != nil }
        #expect(fieldTasks.count >= 6 && regexTasks.count >= 4)
        #expect(fieldTasks.count + regexTasks.count == set.tasks.count)
        for task in set.tasks {
            #expect(try task.constraint() != nil, "\(task.id)")
            let checker = try #require(try task.checker(), "\(task.id)")
            if !task.fields.isEmpty {
                #expect(task.schema != nil && checker.name == "fields" && !task.isValidityTask)
                // The reference object printed as JSON is a perfect answer.
                let perfect = "{" + task.fields.map { "\(JSONValue.string($0.key).compactText):\($0.value.compactText)" }
                    .joined(separator: ",") + "}"
                #expect(try checker.score(VerifierCandidate(text: perfect)) == 1, "\(task.id): \(perfect)")
                #expect(try checker.score(VerifierCandidate(text: "{}")) == 0, "\(task.id)")
            } else if let reference = task.reference, let regex = task.regex {
                // A regex task's reference is in the regex's language and agrees with itself.
                #expect(try PatternVerifier(regex: regex).score(VerifierCandidate(text: reference)) == 1, "\(task.id)")
                #expect(try checker.score(VerifierCandidate(text: reference)) == 1, "\(task.id)")
            } else {
                #expect(task.isValidityTask, "\(task.id)")
            }
        }
    }
}
