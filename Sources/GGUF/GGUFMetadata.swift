/// The key-value metadata of a GGUF file, in file order, with O(1) lookup by key.
///
/// Typed accessors that throw `GGUFError.missingKey` / `.typeMismatch` are in
/// `GGUFMetadata+Accessors.swift`.
public struct GGUFMetadata: Sendable, Equatable {
    /// One key-value pair.
    public struct Entry: Sendable, Equatable {
        /// The key, e.g. `"llama.block_count"`.
        public let key: String
        /// The value.
        public let value: GGUFValue

        /// A key-value pair.
        public init(key: String, value: GGUFValue) {
            self.key = key
            self.value = value
        }
    }

    /// The pairs in the order the file lists them.
    public private(set) var entries: [Entry] = []
    private var indexByKey: [String: Int] = [:]

    /// Empty metadata.
    public init() {}

    /// Metadata from pairs in order.
    ///
    /// - Throws: `GGUFError.emptyKey` or `.duplicateKey`.
    public init(entries: [Entry]) throws(GGUFError) {
        for entry in entries { try append(entry, offset: 0) }
    }

    /// Adds a pair at the end; `offset` names where it was read, for errors.
    mutating func append(_ entry: Entry, offset: Int) throws(GGUFError) {
        guard !entry.key.isEmpty else { throw .emptyKey(index: entries.count, offset: offset) }
        guard indexByKey[entry.key] == nil else { throw .duplicateKey(entry.key) }
        indexByKey[entry.key] = entries.count
        entries.append(entry)
    }

    /// The keys in file order.
    public var keys: [String] { entries.map(\.key) }

    /// Number of pairs.
    public var count: Int { entries.count }

    /// The value for `key`, or `nil` when absent.
    public subscript(key: String) -> GGUFValue? {
        indexByKey[key].map { entries[$0].value }
    }

    /// Whether `key` is present.
    public func contains(_ key: String) -> Bool { indexByKey[key] != nil }
}
