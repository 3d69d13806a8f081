import Testing
import Evaluation
import Strategies

/// A task's schema or regex as the constraint of the strategy language's lcd, awrs and smc:N.
@Suite struct SearchTaskConstraintTests {
    @Test("a schema task compiles to a grammar; a task with neither has no constraint")
    func taskConstraints() throws {
        let schema = try SearchTask(line: #"{"prompt": "x", "schema": {"type": "integer"}}"#, number: 1)
        #expect(try schema.constraint()?.kindName == "json-schema")
        let regex = try SearchTask(line: #"{"prompt": "x", "regex": "a+"}"#, number: 2)
        #expect(try regex.constraint()?.kindName == "regex")
        let plain = try SearchTask(line: #"{"prompt": "x", "reference": "4"}"#, number: 3)
        #expect(try plain.constraint()?.kindName == nil)
        #expect(try CompiledConstraint(gbnf: #"root ::= "a""#).kindName == "grammar")
    }
}
