import Constraints
import Foundation

/// Runs JSON Schema fixtures (MaskBench files, JSON-Schema-Test-Suite cases) through
/// `JSONSchema` → `JSONSchemaGrammar` → `GrammarConstraint` and tallies the outcomes.
enum JSONSchemaFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// Whitespace wide enough for 2-space pretty printing 30 levels deep.
    static let options = JSONSchemaGrammar.Options(whitespace: .bounded(maximumRun: 61))

    /// One instance to check: its data and whether the schema accepts it.
    struct Instance {
        var data: JSONValue
        var valid: Bool
    }

    /// What happened to one schema and its instances.
    struct Outcome {
        var name: String
        var source: String
        var error: String?
        var compileSeconds: Double = 0
        var validAccepted = 0
        var validTotal = 0
        var invalidRejected = 0
        var invalidTotal = 0
        var recognizerErrors = 0
        var falseAccepts: [String] = []
        var falseRejects: [String] = []
        var compiled: Bool { error == nil }
    }

    /// Compiles `schema` and checks each instance in compact and in 2-space pretty form.
    static func evaluate(name: String, source: String, schema: JSONValue, instances: [Instance],
                         options: JSONSchemaGrammar.Options = options) -> Outcome {
        var outcome = Outcome(name: name, source: source)
        let clock = ContinuousClock()
        let started = clock.now
        let constraint: GrammarConstraint
        do {
            let grammar = try JSONSchemaGrammar.compile(JSONSchema(schema), options: options)
            constraint = try grammar.constraint()
        } catch {
            outcome.compileSeconds = seconds(clock.now - started)
            outcome.error = "\(error)"
            return outcome
        }
        outcome.compileSeconds = seconds(clock.now - started)
        for instance in instances {
            for text in [instance.data.compactText, instance.data.prettyText(indent: 2)] {
                let accepted: Bool
                do {
                    accepted = try constraint.accepts(text)
                } catch {
                    outcome.recognizerErrors += 1
                    accepted = false
                }
                if instance.valid {
                    outcome.validTotal += 1
                    if accepted { outcome.validAccepted += 1 } else { outcome.falseRejects.append(text) }
                } else {
                    outcome.invalidTotal += 1
                    if accepted { outcome.falseAccepts.append(text) } else { outcome.invalidRejected += 1 }
                }
            }
        }
        return outcome
    }

    /// The MaskBench source of a file name: `Github_easy---o1.json` → `Github_easy`,
    /// `BFCL_simple_12.json` → `BFCL_simple`.
    static func maskBenchSource(_ file: String) -> String {
        let stem = file.replacingOccurrences(of: ".json", with: "")
        if let range = stem.range(of: "---") { return String(stem[..<range.lowerBound]) }
        if let last = stem.lastIndex(of: "_"), Int(stem[stem.index(after: last)...]) != nil { return String(stem[..<last]) }
        return stem
    }

    /// Every MaskBench file in `folder`, evaluated.
    static func maskBench(folder: URL, options: JSONSchemaGrammar.Options = options) throws -> [Outcome] {
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
        return try files.map { file in
            let document = try JSONValue(parsing: Data(contentsOf: folder.appendingPathComponent(file)))
            var instances: [Instance] = []
            if case .array(let tests)? = document["tests"] {
                for test in tests {
                    if let data = test["data"], case .bool(let valid)? = test["valid"] { instances.append(Instance(data: data, valid: valid)) }
                }
            }
            return evaluate(name: file, source: maskBenchSource(file), schema: document["schema"] ?? .bool(true),
                            instances: instances, options: options)
        }
    }

    /// A text table: per group, schemas, compiled, valid accepted, invalid rejected, false accepts.
    static func table(_ outcomes: [Outcome], groupedBy key: (Outcome) -> String) -> String {
        var groups: [String: [Outcome]] = [:]
        for o in outcomes { groups[key(o), default: []].append(o) }
        var lines = ["| group | schemas | compiled | valid accepted | invalid rejected | false accepts |",
                     "| --- | ---: | ---: | ---: | ---: | ---: |"]
        func row(_ name: String, _ list: [Outcome]) -> String {
            let compiled = list.filter(\.compiled)
            let va = compiled.reduce(0) { $0 + $1.validAccepted }
            let vt = compiled.reduce(0) { $0 + $1.validTotal }
            let ir = compiled.reduce(0) { $0 + $1.invalidRejected }
            let it = compiled.reduce(0) { $0 + $1.invalidTotal }
            let fa = compiled.reduce(0) { $0 + $1.falseAccepts.count }
            return "| \(name) | \(list.count) | \(compiled.count) (\(percent(compiled.count, list.count))) | \(va)/\(vt) (\(percent(va, vt))) | \(ir)/\(it) (\(percent(ir, it))) | \(fa) |"
        }
        for name in groups.keys.sorted() { lines.append(row(name, groups[name] ?? [])) }
        lines.append(row("**all**", outcomes))
        return lines.joined(separator: "\n")
    }

    /// Median, 95th and 99th percentile and maximum compile time (schema → GBNF → recognizer,
    /// or until the typed error) over all schemas, and the slowest one.
    static func compileTimes(_ outcomes: [Outcome]) -> String {
        let sorted = outcomes.sorted { $0.compileSeconds < $1.compileSeconds }
        let times = sorted.map(\.compileSeconds)
        guard let last = sorted.last else { return "no schema" }
        func at(_ q: Double) -> Double { times[min(times.count - 1, Int((q * Double(times.count - 1)).rounded(.up)))] }
        return String(format: "compile time over %d schemas: median %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms",
                      times.count, at(0.5) * 1000, at(0.95) * 1000, at(0.99) * 1000, last.compileSeconds * 1000) + " (\(last.name))"
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    static func percent(_ a: Int, _ b: Int) -> String {
        b == 0 ? "–" : String(format: "%.1f%%", 100 * Double(a) / Double(b))
    }
}
