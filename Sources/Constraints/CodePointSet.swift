/// A set of Unicode scalar values as sorted, disjoint, non-adjacent closed ranges; the
/// character classes of GBNF grammars, of patterns and of JSON string grammars.
struct CodePointSet: Hashable, Sendable {
    private(set) var ranges: [ClosedRange<UInt32>]

    static let empty = CodePointSet(ranges: [])
    /// Every Unicode scalar value (surrogates excluded).
    static let all = CodePointSet(ranges: [0...0xD7FF, 0xE000...0x10FFFF])
    static let ascii = CodePointSet(ranges: [0...0x7F])
    static let digits = CodePointSet("0"..."9")
    static let wordCharacters = CodePointSet(ranges: [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A])
    static let whitespace = CodePointSet(ranges: [0x09...0x0D, 0x20...0x20])

    /// The union of `ranges` (sorted and merged; surrogates are kept if given).
    init(ranges: [ClosedRange<UInt32>]) {
        self.ranges = CodePointSet.normalized(ranges)
    }

    init(_ range: ClosedRange<Unicode.Scalar>) {
        self.init(ranges: [range.lowerBound.value...range.upperBound.value])
    }

    init(scalar: Unicode.Scalar) { self.init(ranges: [scalar.value...scalar.value]) }

    var isEmpty: Bool { ranges.isEmpty }

    func contains(_ value: UInt32) -> Bool { ranges.contains { $0.contains(value) } }

    func isSuperset(of other: CodePointSet) -> Bool { other.subtracting(self).isEmpty }

    func union(_ other: CodePointSet) -> CodePointSet { CodePointSet(ranges: ranges + other.ranges) }

    /// Scalar values (surrogates excluded) not in the set.
    var complement: CodePointSet { complementIncludingSurrogates.intersection(.all) }

    func intersection(_ other: CodePointSet) -> CodePointSet {
        var out: [ClosedRange<UInt32>] = []
        for a in ranges {
            for b in other.ranges where a.overlaps(b) {
                out.append(max(a.lowerBound, b.lowerBound)...min(a.upperBound, b.upperBound))
            }
        }
        return CodePointSet(ranges: out)
    }

    func subtracting(_ other: CodePointSet) -> CodePointSet { intersection(other.complementIncludingSurrogates) }

    private var complementIncludingSurrogates: CodePointSet {
        var out: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for range in ranges {
            if range.lowerBound > next { out.append(next...(range.lowerBound - 1)) }
            next = range.upperBound + 1
        }
        if next <= 0x10FFFF { out.append(next...0x10FFFF) }
        return CodePointSet(ranges: out)
    }

    private static func normalized(_ input: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        let sorted = input.sorted { $0.lowerBound < $1.lowerBound }
        var out: [ClosedRange<UInt32>] = []
        for range in sorted {
            if let last = out.last, range.lowerBound <= last.upperBound &+ 1 {
                out[out.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                out.append(range)
            }
        }
        return out
    }
}
