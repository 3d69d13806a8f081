/// Bounds that keep a grammar's compilation and recognition finite and small.
public struct GrammarLimits: Sendable, Hashable {
    /// Largest count allowed in `{m}`, `{m,}`, `{m,n}`; larger counts throw
    /// ``GrammarError/repetitionTooLarge(count:limit:at:)`` (llama.cpp's bound is 2000).
    public var maxRepetition: Int
    /// Largest number of compiled grammar elements (terminals, rule references, ends).
    public var maxElements: Int
    /// Largest number of live parser stacks after one byte; more throws
    /// ``ConstraintError/stateLimitExceeded(limit:)``. Bounds the work per byte.
    public var maxStacks: Int
    /// Largest depth of one stack (nesting of unfinished rules); deeper throws
    /// ``ConstraintError/stackDepthExceeded(limit:)``. With ``maxStacks`` it bounds the work and
    /// memory per byte (`maxStacks × maxStackDepth`) and the recognizer's recursion.
    public var maxStackDepth: Int

    /// Creates limits; the defaults suit grammars written by hand or from JSON Schemas.
    public init(maxRepetition: Int = 10_000, maxElements: Int = 1 << 20, maxStacks: Int = 4096,
                maxStackDepth: Int = 1024) {
        self.maxRepetition = maxRepetition
        self.maxElements = maxElements
        self.maxStacks = maxStacks
        self.maxStackDepth = maxStackDepth
    }
}
