import Constraints
import Foundation
import Testing

/// What compiled JSON Schemas accept, checked through the real GBNF recognizer.
@Suite struct JSONSchemaCompilerTests {
    static func constraint(_ schema: String, _ options: JSONSchemaGrammar.Options = .init(whitespace: .compact)) throws -> GrammarConstraint {
        try JSONSchemaGrammar.compile(JSONSchema(parsing: schema), options: options).constraint()
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var schema: String
        var accepted: [String]
        var rejected: [String]
        var testDescription: String { schema }
    }

    static let cases: [Case] = [
        Case(schema: #"{"type":"integer"}"#, accepted: ["0", "-7", "123"], rejected: ["1.5", "01", "\"1\"", "-"]),
        Case(schema: #"{"type":["string","null"]}"#, accepted: ["null", "\"x\""], rejected: ["1", "true"]),
        Case(schema: #"{"type":"string","nullable":true}"#, accepted: ["null", "\"\""], rejected: ["0"]),
        Case(schema: #"{"type":"string"}"#, accepted: [#""a\"\\\/\b\f\n\r\t\u00e9""#, "\"é😀\""], rejected: ["\"a\nb\"", #""\x""#, "\"abc"]),
        Case(schema: #"{"type":"object","properties":{"a":{"type":"integer"},"b":{"type":"string"}},"required":["a"],"additionalProperties":false}"#,
             accepted: [#"{"a":1}"#, #"{"a":1,"b":"x"}"#, #"{"b":"x","a":1}"#],
             rejected: [#"{}"#, #"{"b":"x"}"#, #"{"a":1,"c":2}"#, #"{"a":"1"}"#, #"{"a":1,"a":2}"#]),
        Case(schema: #"{"type":"object","properties":{"a":{"type":"integer"}},"additionalProperties":{"type":"boolean"}}"#,
             accepted: [#"{"x":true}"#, #"{"a":2,"x":false,"y":true}"#, #"{"ab":true}"#],
             rejected: [#"{"x":1}"#, #"{"a":true}"#, #"{"\u0061":true}"#]),
        Case(schema: #"{"type":"array","items":{"type":"integer"},"minItems":2,"maxItems":3}"#,
             accepted: ["[1,2]", "[1,2,3]"], rejected: ["[]", "[1]", "[1,2,3,4]", "[1,\"2\"]"]),
        Case(schema: #"{"type":"array","prefixItems":[{"type":"string"},{"type":"integer"}],"items":false}"#,
             accepted: ["[]", "[\"a\"]", "[\"a\",1]"], rejected: ["[1]", "[\"a\",1,2]"]),
        Case(schema: #"{"enum":["red",1,null,{"k":[true]}]}"#, accepted: ["\"red\"", "1", "null", #"{"k":[true]}"#], rejected: ["\"blue\"", "2", #"{"k":[false]}"#]),
        Case(schema: #"{"const":"x","type":"string"}"#, accepted: ["\"x\""], rejected: ["\"y\""]),
        Case(schema: #"{"enum":["a","bb","ccc"],"maxLength":2,"not":{"const":"a"}}"#, accepted: ["\"bb\""], rejected: ["\"a\"", "\"ccc\""]),
        Case(schema: #"{"anyOf":[{"type":"integer","minimum":10},{"type":"string","maxLength":1}]}"#,
             accepted: ["10", "\"a\""], rejected: ["9", "\"ab\""]),
        Case(schema: #"{"oneOf":[{"type":"object","properties":{"kind":{"const":"a"},"x":{"type":"integer"}},"required":["kind"]},{"type":"object","properties":{"kind":{"const":"b"}},"required":["kind"]}]}"#,
             accepted: [#"{"kind":"a","x":1}"#, #"{"kind":"b"}"#], rejected: [#"{"kind":"c"}"#, #"{"kind":"a","x":"1"}"#]),
        Case(schema: #"{"allOf":[{"type":"object","properties":{"a":{"type":"integer"}},"required":["a"]},{"properties":{"a":{"minimum":5},"b":{"type":"string"}}}]}"#,
             accepted: [#"{"a":5}"#, #"{"a":7,"b":"x"}"#], rejected: [#"{"a":4}"#, #"{"b":"x"}"#, #"{"a":5,"b":1}"#]),
        Case(schema: ##"{"$defs":{"node":{"type":"object","properties":{"v":{"type":"integer"},"next":{"$ref":"#/$defs/node"}},"required":["v"],"additionalProperties":false}},"$ref":"#/$defs/node"}"##,
             accepted: [#"{"v":1}"#, #"{"v":1,"next":{"v":2,"next":{"v":3}}}"#], rejected: [#"{"v":1,"next":{}}"#, #"{"next":{"v":1}}"#]),
        Case(schema: #"{"type":"string","minLength":2,"maxLength":3}"#,
             accepted: ["\"ab\"", "\"abc\"", #""\n\u00e9""#, "\"😀😀\""], rejected: ["\"a\"", "\"abcd\"", #""\ud83d\ude00""#]),
        Case(schema: #"{"type":"string","pattern":"^[A-Z]{2}-\\d{3,4}$"}"#, accepted: ["\"AB-123\"", "\"ZZ-0000\""], rejected: ["\"AB-12\"", "\"ab-123\"", "\"AB-12345\""]),
        Case(schema: #"{"type":"string","pattern":"cat|dog"}"#, accepted: ["\"a cat\"", "\"dog!\""], rejected: ["\"cow\""]),
        Case(schema: #"{"type":"string","pattern":"^a\"b\\\\c$"}"#, accepted: [#""a\"b\\c""#], rejected: [#""a\u0022b\\c""#]),
        Case(schema: #"{"type":"string","format":"date"}"#, accepted: ["\"2024-02-29\"", "\"2000-02-29\"", "\"2023-12-31\""],
             rejected: ["\"2023-02-29\"", "\"1900-02-29\"", "\"2023-04-31\"", "\"2023-13-01\"", "\"23-01-01\""]),
        Case(schema: #"{"type":"string","format":"date-time"}"#, accepted: ["\"2024-01-02T03:04:05Z\"", "\"2024-01-02T03:04:05.123+05:30\""],
             rejected: ["\"2024-01-02 03:04:05Z\"", "\"2024-01-02T24:00:00Z\""]),
        Case(schema: #"{"type":"string","format":"uuid"}"#, accepted: ["\"123e4567-e89b-12d3-a456-426614174000\""], rejected: ["\"123e4567e89b12d3a456426614174000\""]),
        Case(schema: #"{"type":"string","format":"ipv4"}"#, accepted: ["\"192.168.0.1\"", "\"0.0.0.0\""], rejected: ["\"256.1.1.1\"", "\"01.1.1.1\"", "\"1.1.1\""]),
        Case(schema: #"{"type":"string","format":"email"}"#, accepted: ["\"a.b+c@example.com\""], rejected: ["\"a@\"", "\"@b.c\"", "\"a..b@c.d\"", "\"a b@c.d\""]),
        Case(schema: #"{"type":"number","minimum":-1.5e1,"maximum":20}"#, accepted: ["-15", "0.5", "20.0"], rejected: ["-15.5", "20.01", "1e1"]),
        Case(schema: #"{"type":"object","patternProperties":{"^.+$":{"type":"integer"}}}"#, accepted: [#"{"a":1,"b":2}"#], rejected: [#"{"a":"x"}"#]),
        Case(schema: #"{"type":"object","properties":{"id":{}},"patternProperties":{"^x-":{"type":"string"}},"additionalProperties":false}"#,
             accepted: [#"{"id":1,"x-a":"s"}"#], rejected: [#"{"id":1,"y":"s"}"#, #"{"x-a":1}"#]),
        Case(schema: #"{"type":"object","minProperties":1}"#, accepted: [#"{"a":1}"#], rejected: ["{}"]),
        Case(schema: #"{"type":"object","properties":{"a":{},"b":{}},"minProperties":1,"additionalProperties":false}"#,
             accepted: [#"{"b":1}"#, #"{"b":1,"a":2}"#], rejected: ["{}", #"{"c":1}"#]),
        Case(schema: #"{"type":"string","format":"uri-template"}"#, accepted: ["\"http://example.com/{user}/items{?page,limit*}\"", "\"/a/{+path:10}\""],
             rejected: ["\"http://x/{a b}\"", "\"/a/{x\"", "\"a b\""]),
        Case(schema: #"{"type":"string","format":"uri-reference"}"#, accepted: ["\"../a/b?x=1#f\"", "\"https://a.example/c\"", "\"\""],
             rejected: ["\"a b\"", "\"%zz\""]),
        Case(schema: #"{"type":"string","format":"uri"}"#, accepted: ["\"https://example.com:8080/a/b?q=1#top\""], rejected: ["\"example.com\"", "\"http://exa mple.com\""]),
        Case(schema: "true", accepted: ["1", "{\"a\":[null]}"], rejected: ["{", "nul"]),
    ]

    @Test(arguments: cases)
    func acceptsExactlyTheInstances(_ c: Case) throws {
        let constraint = try Self.constraint(c.schema)
        for text in c.accepted { #expect(try constraint.accepts(text), "should accept \(text)") }
        for text in c.rejected { #expect(try !constraint.accepts(text), "should reject \(text)") }
    }

    /// Integer bounds as digit ranges, checked by enumeration against the arithmetic.
    @Test(arguments: [(nil, nil), ("-5", "120"), ("0", nil), (nil, "-3"), ("-100", "-10"), ("7", "7"), ("9", "1000"), ("-99", "99")] as [(String?, String?)])
    func integerRangesAreExact(minimum: String?, maximum: String?) throws {
        var schema = #"{"type":"integer""#
        if let minimum { schema += #","minimum":\#(minimum)"# }
        if let maximum { schema += #","maximum":\#(maximum)"# }
        let constraint = try Self.constraint(schema + "}")
        let lo = minimum.flatMap { Int($0) } ?? Int.min
        let hi = maximum.flatMap { Int($0) } ?? Int.max
        for n in -1100...1100 {
            #expect(try constraint.accepts(String(n)) == (lo <= n && n <= hi), "\(n) in [\(lo), \(hi)]")
        }
    }

    /// Exclusive and fractional bounds on integers round inward.
    @Test func integerExclusiveAndFractionalBounds() throws {
        let constraint = try Self.constraint(#"{"type":"integer","exclusiveMinimum":-2.5,"exclusiveMaximum":4}"#)
        for n in -10...10 { #expect(try constraint.accepts(String(n)) == (-2 <= n && n <= 3), "\(n)") }
    }

    /// Number bounds (integer-valued) by sign and magnitude, checked on a grid of decimals.
    @Test(arguments: [("minimum", "maximum"), ("exclusiveMinimum", "maximum"), ("minimum", "exclusiveMaximum"), ("exclusiveMinimum", "exclusiveMaximum")])
    func numberRangesAreExact(lowerKeyword: String, upperKeyword: String) throws {
        for (lo, hi) in [(-3, 2), (0, 5), (-4, -1), (1, 1), (2, 12)] where lo < hi || (lowerKeyword == "minimum" && upperKeyword == "maximum") {
            let constraint = try Self.constraint(#"{"type":"number","\#(lowerKeyword)":\#(lo),"\#(upperKeyword)":\#(hi)}"#)
            for whole in -14...14 {
                for fraction in ["", ".0", ".5", ".00", ".05", ".99"] {
                    for sign in (whole == 0 ? ["", "-"] : [""]) {
                        let text = sign + String(whole) + fraction
                        let x = Double(text) ?? .nan
                        let aboveLow = lowerKeyword == "minimum" ? x >= Double(lo) : x > Double(lo)
                        let belowHigh = upperKeyword == "maximum" ? x <= Double(hi) : x < Double(hi)
                        let expected = aboveLow && belowHigh
                        // "-0…" forms are rejected (a documented narrowing); they must never be accepted wrongly.
                        if sign == "-" { #expect(try !constraint.accepts(text) || expected, "\(text)"); continue }
                        #expect(try constraint.accepts(text) == expected, "\(text) for \(lowerKeyword) \(lo), \(upperKeyword) \(hi)")
                    }
                }
            }
        }
    }

    /// Compact whitespace admits none; bounded whitespace admits runs up to the bound.
    @Test func whitespacePolicies() throws {
        let schema = #"{"type":"object","properties":{"a":{"type":"array","items":{"type":"integer"}}}}"#
        let compact = try Self.constraint(schema)
        #expect(try compact.accepts(#"{"a":[1,2]}"#))
        #expect(try !compact.accepts(#"{"a": [1,2]}"#))
        let bounded = try Self.constraint(schema, .init(whitespace: .bounded(maximumRun: 5)))
        #expect(try bounded.accepts("{\n  \"a\": [\n    1,\n    2\n  ]\n}"))
        #expect(try bounded.accepts("{     \"a\":[1]}"))
        #expect(try !bounded.accepts("{      \"a\":[1]}"))
        #expect(try !bounded.accepts(" {\"a\":[1]}"))
    }

    /// Objects above the any-order limit take members in `properties` order only.
    @Test func propertyOrderAboveTheLimit() throws {
        let schema = #"{"type":"object","properties":{"a":{},"b":{},"c":{}},"required":["a","c"]}"#
        let ordered = try Self.constraint(schema, .init(whitespace: .compact, anyOrderLimit: 0))
        #expect(try ordered.accepts(#"{"a":1,"b":2,"c":3}"#))
        #expect(try ordered.accepts(#"{"a":1,"c":3,"z":0}"#))
        #expect(try !ordered.accepts(#"{"c":3,"a":1}"#))
        #expect(try !ordered.accepts(#"{"a":1}"#))
        let free = try Self.constraint(schema)
        #expect(try free.accepts(#"{"c":3,"z":0,"a":1}"#))
        #expect(try !free.accepts(#"{"c":3,"a":1,"c":3}"#))
    }

    /// The emitted text is GBNF with a `root` rule, readable by llama.cpp's grammar parser.
    @Test func emitsGBNFText() throws {
        let grammar = try JSONSchemaGrammar.compile(JSONSchema(parsing: #"{"type":"object","properties":{"name":{"type":"string","maxLength":8}},"required":["name"]}"#))
        #expect(grammar.gbnf.hasPrefix("root ::= "))
        #expect(grammar.gbnf.contains("\"\\\"name\\\"\""))
        #expect(grammar.gbnf.contains("{0,8}"))
        _ = try Grammar(gbnf: grammar.gbnf)
    }
}
