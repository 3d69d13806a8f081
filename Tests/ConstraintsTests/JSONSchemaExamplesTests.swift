import Constraints
import Foundation
import Testing

/// The example schemas in `Grammars/schemas/` compile strictly, accept their example and
/// reject their counterexample.
@Suite struct JSONSchemaExamplesTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Grammars/schemas")

    static let names: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
        .filter { $0.hasSuffix(".schema.json") }.map { String($0.dropLast(".schema.json".count)) }.sorted()

    @Test func examplesExist() {
        #expect(Self.names.count >= 5)
    }

    @Test(arguments: names)
    func exampleSchema(_ name: String) throws {
        let schema = try JSONSchema(parsing: Data(contentsOf: Self.folder.appendingPathComponent("\(name).schema.json")))
        let constraint = try JSONSchemaGrammar.compile(schema, options: .init(whitespace: .bounded(maximumRun: 12))).constraint()
        let example = try JSONValue(parsing: Data(contentsOf: Self.folder.appendingPathComponent("\(name).example.json")))
        #expect(try constraint.accepts(example.compactText))
        #expect(try constraint.accepts(example.prettyText(indent: 2)))
        let counter = try JSONValue(parsing: Data(contentsOf: Self.folder.appendingPathComponent("\(name).counterexample.json")))
        #expect(try !constraint.accepts(counter.compactText))
        #expect(try !constraint.accepts(counter.prettyText(indent: 2)))
    }
}
