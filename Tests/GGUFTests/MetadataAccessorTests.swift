import GGUF
import Testing

/// Typed metadata accessors: values, absent keys, wrong types, out-of-range integers.
@Suite struct MetadataAccessorTests {
    let metadata: GGUFMetadata

    init() throws {
        metadata = try GGUFMetadata(entries: [
            .init(key: "u32", value: .uint32(30)),
            .init(key: "u64", value: .uint64(7)),
            .init(key: "huge", value: .uint64(UInt64.max)),
            .init(key: "i8", value: .int8(-3)),
            .init(key: "f32", value: .float32(1e-5)),
            .init(key: "f64", value: .float64(0.5)),
            .init(key: "name", value: .string("llama")),
            .init(key: "flag", value: .bool(true)),
            .init(key: "tokens", value: .array(.string(["a", "b"]))),
            .init(key: "types", value: .array(.int32([1, -2]))),
            .init(key: "big", value: .array(.uint64([1, UInt64.max]))),
            .init(key: "scores", value: .array(.float32([0.25]))),
            .init(key: "doubles", value: .array(.float64([0.5]))),
        ])
    }

    @Test func values() throws {
        #expect(try metadata.uint32("u32") == 30)
        #expect(try metadata.integer("u32") == 30)
        #expect(try metadata.integer("u64") == 7)
        #expect(try metadata.integer("i8") == -3)
        #expect(try metadata.float("f32") == 1e-5)
        #expect(try metadata.float("f64") == 0.5)
        #expect(try metadata.string("name") == "llama")
        #expect(try metadata.bool("flag"))
        #expect(try metadata.stringArray("tokens") == ["a", "b"])
        #expect(try metadata.intArray("types") == [1, -2])
        #expect(try metadata.floatArray("scores") == [0.25])
        #expect(try metadata.floatArray("doubles") == [0.5])
        #expect(metadata.keys.first == "u32" && metadata.keys.last == "doubles")
    }

    @Test func absentKeys() throws {
        #expect(ggufError { () throws(GGUFError) in try metadata.uint32("nope") } == .missingKey("nope"))
        #expect(ggufError { () throws(GGUFError) in try metadata.stringArray("nope") } == .missingKey("nope"))
        #expect(try metadata.uint32IfPresent("nope") == nil)
        #expect(try metadata.floatIfPresent("nope") == nil)
        #expect(try metadata.stringIfPresent("nope") == nil)
    }

    @Test func wrongTypes() {
        #expect(ggufError { () throws(GGUFError) in try metadata.uint32("u64") }
            == .typeMismatch(key: "u64", expected: "UINT32", found: "UINT64"))
        #expect(ggufError { () throws(GGUFError) in try metadata.string("u32") }
            == .typeMismatch(key: "u32", expected: "STRING", found: "UINT32"))
        #expect(ggufError { () throws(GGUFError) in try metadata.stringArray("types") }
            == .typeMismatch(key: "types", expected: "ARRAY of STRING", found: "ARRAY of INT32"))
        #expect(ggufError { () throws(GGUFError) in try metadata.intArray("scores") }
            == .typeMismatch(key: "scores", expected: "ARRAY of integers", found: "ARRAY of FLOAT32"))
        #expect(ggufError { () throws(GGUFError) in try metadata.float("name") }
            == .typeMismatch(key: "name", expected: "FLOAT32", found: "STRING"))
        #expect(ggufError { () throws(GGUFError) in try metadata.uint32IfPresent("name") }
            == .typeMismatch(key: "name", expected: "UINT32", found: "STRING"))
    }

    @Test func integersOutOfRange() {
        #expect(ggufError { () throws(GGUFError) in try metadata.integer("huge") }
            == .valueOutOfRange(key: "huge", value: "\(UInt64.max)", expected: "at most \(Int.max)"))
        #expect(ggufError { () throws(GGUFError) in try metadata.intArray("big") }
            == .valueOutOfRange(key: "big", value: "\(UInt64.max)", expected: "at most \(Int.max)"))
    }

    @Test func constructionRejectsEmptyAndDuplicateKeys() {
        #expect(ggufError { () throws(GGUFError) in try GGUFMetadata(entries: [.init(key: "", value: .bool(true))]) }
            == .emptyKey(index: 0, offset: 0))
        #expect(ggufError { () throws(GGUFError) in
            try GGUFMetadata(entries: [.init(key: "a", value: .bool(true)), .init(key: "a", value: .bool(false))])
        } == .duplicateKey("a"))
    }
}
