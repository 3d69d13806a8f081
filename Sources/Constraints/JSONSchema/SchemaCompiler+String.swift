extension SchemaCompiler {
    private static let hex = GrammarExpression.characters(CodePointSet(ranges: [0x30...0x39, 0x41...0x46, 0x61...0x66]))
    private static let rawCharacter = GrammarExpression.characters(
        CodePointSet.all.subtracting(CodePointSet(ranges: [0...0x1F, 0x22...0x22, 0x5C...0x5C])))

    /// Any JSON string character: raw, or any escape JSON allows.
    var anyCharacter: GrammarExpression {
        mutating get {
        builder.rule("char", .choice([Self.rawCharacter,
            .seq(.literal("\\"), .choice([.characters(CodePointSet(ranges: [0x22...0x22, 0x2F...0x2F, 0x5C...0x5C, 0x62...0x62, 0x66...0x66, 0x6E...0x6E, 0x72...0x72, 0x74...0x74])),
                                          .seq(.literal("u"), .repetition(Self.hex, minimum: 4, maximum: 4))]))]))
        }
    }

    /// One code point of a JSON string: as ``anyCharacter`` without surrogate `\u` escapes, so
    /// each match is exactly one code point (for `minLength`/`maxLength`).
    var countedCharacter: GrammarExpression {
        mutating get {
        let nonSurrogate = GrammarExpression.choice([
            .seq(.characters(CodePointSet(ranges: [0x30...0x39, 0x41...0x43, 0x45...0x46, 0x61...0x63, 0x65...0x66])), .repetition(Self.hex, minimum: 3, maximum: 3)),
            .seq(.characters(CodePointSet(ranges: [0x44...0x44, 0x64...0x64])), .characters(CodePointSet("0"..."7")), .repetition(Self.hex, minimum: 2, maximum: 2)),
        ])
        return builder.rule("counted-char", .choice([Self.rawCharacter,
            .seq(.literal("\\"), .choice([.characters(CodePointSet(ranges: [0x22...0x22, 0x2F...0x2F, 0x5C...0x5C, 0x62...0x62, 0x66...0x66, 0x6E...0x6E, 0x72...0x72, 0x74...0x74])),
                                          .seq(.literal("u"), nonSurrogate)]))]))
        }
    }

    /// A JSON string meeting the conjunct's `minLength`, `maxLength`, `pattern` and `format`.
    mutating func compileString(_ conjunct: SchemaConjunct) throws(JSONSchemaError) -> GrammarExpression? {
        let minimum = try lengthBound(conjunct, "minLength").max()
        let maximum = try lengthBound(conjunct, "maxLength").min()
        if let minimum, let maximum, minimum > maximum {
            throw .unsatisfiable(path: conjunct.path("minLength"), reason: "minLength \(minimum) > maxLength \(maximum)")
        }
        var regexes: [(node: RegexNode, keyword: String, path: String)] = []
        for (value, path) in conjunct.all("pattern") {
            guard case .string(let text) = value else {
                throw .invalidKeyword(keyword: "pattern", path: path + "/pattern", reason: "expected a string")
            }
            do {
                regexes.append((try RegexParser.parse(text), "pattern", path + "/pattern"))
            } catch {
                switch error {
                case .invalid(let why): throw .invalidKeyword(keyword: "pattern", path: path + "/pattern", reason: why)
                case .unsupported(let why): try unsupported("pattern", path + "/pattern", why)
                }
            }
        }
        for (value, path) in conjunct.all("format") {
            guard case .string(let name) = value else {
                throw .invalidKeyword(keyword: "format", path: path + "/format", reason: "expected a string")
            }
            if let text = StringFormat.patterns[name] {
                let node: RegexNode
                do { node = try RegexParser.parse(text) } catch { preconditionFailure("format pattern \(name) does not parse: \(error)") }
                regexes.append((node, "format", path + "/format"))
            } else if StringFormat.unenforced.contains(name) {
                try unsupported("format", path + "/format", "format \"\(name)\" is not enforced")
            }
        }
        if regexes.count > 1 {
            try unsupported(regexes[1].keyword, regexes[1].path, "several patterns/formats on one string")
        }
        guard let regex = regexes.first else {
            if minimum == nil, maximum == nil { return builder.rule("string", .seq(.literal("\""), .repetition(anyCharacter, minimum: 0, maximum: nil), .literal("\""))) }
            let low = try repetitionCount(minimum ?? 0, keyword: "minLength", path: conjunct.path("minLength"))
            let high = maximum.map { Swift.min($0, options.repetitionLimit) }
            return builder.rule("string-length", .seq(.literal("\""), .repetition(countedCharacter, minimum: low, maximum: high), .literal("\"")))
        }
        return try patternString(regex.node, minimum: minimum, maximum: maximum, path: regex.path)
    }

    private func lengthBound(_ conjunct: SchemaConjunct, _ keyword: String) throws(JSONSchemaError) -> [Int] {
        try conjunct.all(keyword).map { (value, path) throws(JSONSchemaError) -> Int in
            guard case .number(let text) = value, let d = DecimalText(text), d.isInteger, !d.negative else {
                throw .invalidKeyword(keyword: keyword, path: path + "/" + keyword, reason: "expected a non-negative integer")
            }
            return Int(d.truncatedMagnitude) ?? Int.max
        }
    }

    /// `count` when within the repetition limit, else `repetitionTooLarge`.
    func repetitionCount(_ count: Int, keyword: String, path: String) throws(JSONSchemaError) -> Int {
        if count > options.repetitionLimit {
            throw .repetitionTooLarge(keyword: keyword, path: path + "/" + keyword, count: count, limit: options.repetitionLimit)
        }
        return count
    }
}
