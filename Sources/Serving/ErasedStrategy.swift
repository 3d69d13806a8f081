import Decoding

/// Any ``DecodingStrategy`` behind one concrete type, so one `Generator` type drives whatever
/// the strategy registry built.
struct ErasedStrategy: DecodingStrategy {
    /// The strategy.
    var base: any DecodingStrategy

    mutating func step(_ session: inout any ModelSession, context: StepContext) throws -> DecodingStep {
        try base.step(&session, context: context)
    }

    mutating func reset() {
        base.reset()
    }
}
