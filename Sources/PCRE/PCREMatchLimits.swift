/// Per-call resource limits for a match (PCRE2 match context). `nil` keeps PCRE2's default.
///
/// A limit reached is reported as ``PCREMatchResult/limitExceeded(_:)``, so a pathological
/// pattern such as `(a+)+$` finishes quickly instead of hanging. The JIT honours `match` only;
/// the interpreter honours all three.
public struct PCREMatchLimits: Sendable, Hashable {
    /// Maximum calls of PCRE2's internal match function (PCRE2 default 10 000 000).
    public var match: UInt32?
    /// Maximum backtracking depth (PCRE2 default: as `match`).
    public var depth: UInt32?
    /// Maximum backtracking heap in KiB (PCRE2 default 20 000 000).
    public var heapKiB: UInt32?

    /// Limits as given; `nil` keeps PCRE2's default for that limit.
    public init(match: UInt32? = nil, depth: UInt32? = nil, heapKiB: UInt32? = nil) {
        self.match = match
        self.depth = depth
        self.heapKiB = heapKiB
    }

    /// Whether any limit differs from PCRE2's defaults (a match context is then needed).
    var isDefault: Bool { match == nil && depth == nil && heapKiB == nil }
}
