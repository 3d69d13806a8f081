import Constraints
import Foundation
import Testing

@Test(arguments: ["JsonSchemaStore---yamllint.json", "MCPspec---GetPromptResult.json", "MCPspec---ServerRequest.json", "WashingtonPost---wp_29_Normalized.json", "Github_medium---o33693.json"])
func scratchPrefix(_ file: String) throws {
    let url = JSONSchemaFixtures.directory.appendingPathComponent("maskbench").appendingPathComponent(file)
    let doc = try JSONValue(parsing: Data(contentsOf: url))
    let g = try JSONSchemaGrammar.compile(JSONSchema(doc["schema"]!), options: JSONSchemaFixtures.options)
    let c = try g.constraint()
    guard case .array(let tests)? = doc["tests"] else { return }
    for t in tests where t["valid"] == .bool(true) {
        let text = t["data"]!.compactText
        if try c.accepts(text) { continue }
        let bytes = Array(text.utf8)
        var state = c.start
        var i = 0
        while i < bytes.count, let s = try c.advance(state, by: [bytes[i]]) { state = s; i += 1 }
        print("FILE \(file) fails at \(i): ...\(String(decoding: bytes[max(0, i - 80)..<i], as: UTF8.self))<HERE>\(String(decoding: bytes[i..<min(bytes.count, i + 40)], as: UTF8.self))")
    }
}
