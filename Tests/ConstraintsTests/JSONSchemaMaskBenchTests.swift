import Constraints
import Foundation
import Testing

/// MaskBench (JSONSchemaBench) schemas with valid and invalid instances: the compiled grammar
/// must never accept an invalid instance, and should compile most schemas and accept almost
/// every valid instance.
@Suite struct JSONSchemaMaskBenchTests {
    @Test func maskBenchAgreement() throws {
        let outcomes = try JSONSchemaFixtures.maskBench(folder: JSONSchemaFixtures.directory.appendingPathComponent("maskbench"))
        print(JSONSchemaFixtures.table(outcomes) { $0.source })
        var errors: [String: Int] = [:]
        for o in outcomes where !o.compiled {
            let kind = o.error.map { e in String(e.prefix(while: { $0 != "," })) } ?? ""
            errors[kind, default: 0] += 1
        }
        for (k, v) in errors.sorted(by: { $0.value > $1.value }) { print("  \(v) \(k)") }
        for o in outcomes where !o.compiled { print("NOT COMPILED \(o.name): \(o.error ?? "")") }
        for o in outcomes where !o.falseAccepts.isEmpty { print("FALSE ACCEPT \(o.name): \(o.falseAccepts.first ?? "")") }
        for o in outcomes where !o.falseRejects.isEmpty { print("FALSE REJECT \(o.name): \(o.falseRejects.first?.prefix(300) ?? "")") }
    }
}
