import Decoding

extension LlamaModel {
    /// A model made of this model's first `layers` decoder layers, then its final norm and output
    /// head (early exit): the self-drafter of layer-skipping speculative decoding (as in
    /// LayerSkip, Elhoushi et al. 2024, and Draft & Verify, Zhang et al. 2024), with no second
    /// file.
    ///
    /// The returned model shares this one's weights (the same memory-mapped, quantized tensors:
    /// nothing is copied or loaded) and thread pool, and has its own key/value cache of `layers`
    /// layers, scratch space and forward lock. Its sessions are its own (a session of one model is
    /// foreign to the other). A token costs about `layers / layerCount` of a full token plus the
    /// output head.
    ///
    /// - Throws: ``TransformerError/invalidEarlyExit(layers:layerCount:)`` unless
    ///   `1 <= layers <= layerCount - 1` (all layers would be the model itself).
    public func earlyExit(layers: Int) throws -> LlamaModel {
        guard layers >= 1, layers < configuration.layerCount else {
            throw TransformerError.invalidEarlyExit(layers: layers, layerCount: configuration.layerCount)
        }
        var shallow = configuration
        shallow.layerCount = layers
        shallow.options.slidingLayers = Array(shallow.options.slidingLayers.prefix(layers))
        var shared = weights
        shared.layers = Array(weights.layers.prefix(layers))
        return LlamaModel(
            configuration: shallow, weights: shared, specialTokens: specialTokens, threads: pool.threads,
            logger: logger, pool: pool)
    }

    /// Number of decoder layers.
    public var layerCount: Int { configuration.layerCount }
}
