/// A configurable stage of the sampling chain, named as in llama.cpp's `--samplers` option.
public enum SamplerStage: String, Sendable, Hashable, CaseIterable {
    /// Repetition, frequency and presence penalties (``PenaltiesProcessor``).
    case penalties
    /// ``TopKProcessor``.
    case topK = "top_k"
    /// ``TypicalProcessor``.
    case typicalP = "typ_p"
    /// ``TopPProcessor``.
    case topP = "top_p"
    /// ``MinPProcessor``.
    case minP = "min_p"
    /// ``TemperatureProcessor``.
    case temperature

    /// llama.cpp's default order: penalties → top-k → typical → top-p → min-p → temperature.
    ///
    /// Penalties first, so truncation sees the penalized scores; top-k next, because it is
    /// cheap and shrinks the candidate set for the rest; the mass-based truncations (typical,
    /// top-p, min-p) on the model's untempered distribution; temperature last, so it
    /// reshapes only the survivors and does not change which tokens survive.
    public static let defaultOrder: [SamplerStage] = [.penalties, .topK, .typicalP, .topP, .minP, .temperature]

    /// Other spellings llama.cpp accepts for the same stages.
    static let aliases: [String: SamplerStage] = [
        "top-k": .topK, "top-p": .topP, "nucleus": .topP, "typical-p": .typicalP, "typical": .typicalP,
        "typ-p": .typicalP, "typ": .typicalP, "min-p": .minP, "temp": .temperature,
    ]

    /// The canonical names, in default order.
    public static var validNames: [String] { defaultOrder.map(\.rawValue) }

    /// Parses an order such as `"penalties;top_k;typ_p;top_p;min_p;temperature"` (names
    /// separated by `;`, case-insensitive, llama.cpp's aliases such as `temp` and `top-p`
    /// accepted).
    ///
    /// - Throws: ``SamplingError/unknownStage(_:valid:)`` naming the bad entry and listing the
    ///   valid names; ``SamplingError/duplicateStage(_:)``; ``SamplingError/emptyOrder`` for a
    ///   blank string (an order without stages would ignore every setting).
    public static func parseOrder(_ text: String) throws -> [SamplerStage] {
        let trimmed = text.trimmingWhitespace()
        if trimmed.isEmpty { throw SamplingError.emptyOrder }
        var order: [SamplerStage] = []
        for part in trimmed.split(separator: ";", omittingEmptySubsequences: false) {
            let name = String(part).trimmingWhitespace().lowercased()
            guard let stage = SamplerStage(rawValue: name) ?? aliases[name] else {
                throw SamplingError.unknownStage(name, valid: validNames)
            }
            guard !order.contains(stage) else { throw SamplingError.duplicateStage(stage.rawValue) }
            order.append(stage)
        }
        return order
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
