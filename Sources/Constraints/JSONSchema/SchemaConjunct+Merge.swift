extension SchemaConjunct {
    /// The conjunct that holds exactly when both hold (`allOf` of two branches), or `nil` when
    /// their `type`s or `enum`s cannot both hold. Property and item schemas that meet become
    /// `{"allOf": [a, b]}` and are expanded when compiled.
    func merged(with other: SchemaConjunct) -> SchemaConjunct? {
        var out = SchemaConjunct()
        let structural: Set<String> = ["properties", "additionalProperties", "prefixItems", "items", "type", "enum", "required"]
        for (member, path) in zip(keywords, paths) where !structural.contains(member.key) {
            out.append(member.key, member.value, path)
        }
        for (member, path) in zip(other.keywords, other.paths) where !structural.contains(member.key) {
            if !out.all(member.key).contains(where: { $0.value == member.value }) {
                out.append(member.key, member.value, path)
            }
        }
        // type: intersection, where integer ⊂ number.
        switch (first("type"), other.first("type")) {
        case (let a?, let b?):
            let left = Self.typeNames(a)
            let right = Self.typeNames(b)
            var both = left.intersection(right)
            if left.contains("number"), right.contains("integer") { both.insert("integer") }
            if right.contains("number"), left.contains("integer") { both.insert("integer") }
            if both.isEmpty { return nil }
            let order = ["null", "boolean", "object", "array", "string", "number", "integer"]
            out.append("type", .array(order.filter(both.contains).map { .string($0) }), path("type"))
        case (let a?, nil): out.append("type", a, path("type"))
        case (nil, let b?): out.append("type", b, other.path("type"))
        case (nil, nil): break
        }
        // enum: intersection by value.
        switch (first("enum"), other.first("enum")) {
        case (.array(let a)?, .array(let b)?):
            let both = a.filter(b.contains)
            if both.isEmpty { return nil }
            out.append("enum", .array(both), path("enum"))
        case (let a?, nil): out.append("enum", a, path("enum"))
        case (_, let b?): out.append("enum", b, other.path("enum"))
        case (nil, nil): break
        }
        // required: union.
        var required: [JSONValue] = []
        for source in [self, other] {
            if case .array(let names)? = source.first("required") {
                for name in names where !required.contains(name) { required.append(name) }
            }
        }
        if !required.isEmpty { out.append("required", .array(required), has("required") ? path("required") : other.path("required")) }
        mergeObjects(other, into: &out)
        mergeArrays(other, into: &out)
        return out
    }

    static func typeNames(_ value: JSONValue) -> Set<String> {
        guard case .array(let names) = value else { return [] }
        return Set(names.compactMap { if case .string(let s) = $0 { s } else { nil } })
    }

    private static func conjoin(_ a: JSONValue?, _ b: JSONValue?) -> JSONValue? {
        switch (a, b) {
        case (nil, nil): return nil
        case (let x?, nil), (nil, let x?): return x
        case (.bool(true)?, let y?): return y
        case (let x?, .bool(true)?): return x
        case (let x?, let y?): return x == y ? x : .object([JSONMember(key: "allOf", value: .array([x, y]))])
        }
    }

    private func mergeObjects(_ other: SchemaConjunct, into out: inout SchemaConjunct) {
        let mine = first("properties")?.members ?? []
        let theirs = other.first("properties")?.members ?? []
        let myAdditional = first("additionalProperties")
        let theirAdditional = other.first("additionalProperties")
        if mine.isEmpty, theirs.isEmpty, myAdditional == nil, theirAdditional == nil { return }
        var names = mine.map(\.key)
        for member in theirs where !names.contains(member.key) { names.append(member.key) }
        var properties: [JSONMember] = []
        for name in names {
            let left: JSONValue? = mine.first { $0.key == name }?.value ?? myAdditional
            let right: JSONValue? = theirs.first { $0.key == name }?.value ?? theirAdditional
            properties.append(JSONMember(key: name, value: Self.conjoin(left, right) ?? .bool(true)))
        }
        let base = has("properties") || has("additionalProperties") ? path("properties") : other.path("properties")
        if !properties.isEmpty { out.append("properties", .object(properties), base) }
        if let additional = Self.conjoin(myAdditional, theirAdditional) { out.append("additionalProperties", additional, base) }
    }

    private func mergeArrays(_ other: SchemaConjunct, into out: inout SchemaConjunct) {
        let mine: [JSONValue] = (first("prefixItems").flatMap { (v: JSONValue) -> [JSONValue]? in if case .array(let a) = v { a } else { nil } }) ?? []
        let theirs: [JSONValue] = (other.first("prefixItems").flatMap { (v: JSONValue) -> [JSONValue]? in if case .array(let a) = v { a } else { nil } }) ?? []
        let myItems = first("items")
        let theirItems = other.first("items")
        if mine.isEmpty, theirs.isEmpty, myItems == nil, theirItems == nil { return }
        var prefix: [JSONValue] = []
        for index in 0..<max(mine.count, theirs.count) {
            let left: JSONValue? = index < mine.count ? .some(mine[index]) : myItems
            let right: JSONValue? = index < theirs.count ? .some(theirs[index]) : theirItems
            prefix.append(Self.conjoin(left, right) ?? .bool(true))
        }
        let base = has("items") || has("prefixItems") ? path("items") : other.path("items")
        if !prefix.isEmpty { out.append("prefixItems", .array(prefix), base) }
        if let items = Self.conjoin(myItems, theirItems) { out.append("items", items, base) }
    }
}
