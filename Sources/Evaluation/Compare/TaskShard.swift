/// Which share of a task set one job runs: shard `index` of `count` takes every `count`-th
/// task starting at task `index` (1-based), so `1/2` and `2/2` together run every task once.
public struct TaskShard: Sendable, Hashable, CustomStringConvertible {
    /// 1-based shard number.
    public var index: Int
    /// Number of shards.
    public var count: Int

    /// The whole task set.
    public static let all = TaskShard(uncheckedIndex: 1, count: 1)

    /// Shard `index` of `count`.
    ///
    /// - Throws: ``ComparisonError/invalidShard(_:)`` unless 1 ≤ index ≤ count.
    public init(index: Int, count: Int) throws(ComparisonError) {
        guard count >= 1, (1...count).contains(index) else { throw .invalidShard("\(index)/\(count)") }
        self.init(uncheckedIndex: index, count: count)
    }

    /// Parses `I/N` (`2/4`).
    ///
    /// - Throws: ``ComparisonError/invalidShard(_:)`` for anything else, `0/0` and `3/2` included.
    public init(parsing text: String) throws(ComparisonError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else { throw .invalidShard(text) }
        do { try self.init(index: index, count: count) } catch { throw .invalidShard(text) }
    }

    private init(uncheckedIndex: Int, count: Int) {
        index = uncheckedIndex
        self.count = count
    }

    /// The elements of `items` in this shard: those at 0-based positions ≡ index − 1 (mod count).
    public func select<T>(_ items: [T]) -> [T] {
        items.enumerated().filter { $0.offset % count == index - 1 }.map(\.element)
    }

    /// `I/N`.
    public var description: String { "\(index)/\(count)" }
}
