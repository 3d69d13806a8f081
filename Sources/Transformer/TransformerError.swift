/// Errors from loading a model file that the file format itself allows but this runtime cannot
/// run. A missing tensor or a tensor of the wrong shape is reported as the `GGUF.GGUFError` the
/// file check raises (`missingTensor`, `tensorShapeMismatch`).
///
/// Errors a caller can cause while running a loaded model (empty prompt, full context, bad
/// token ids, foreign sessions) are ``Decoding/LanguageModelError``s instead.
public enum TransformerError: Error, Equatable, Sendable {
    /// `general.architecture` names an architecture this runtime does not run; `supported` lists
    /// those it does (``ModelArchitecture``).
    case unsupportedArchitecture(String, supported: [String])
    /// A tensor is stored in a type the matrix kernels cannot use for its role.
    case unsupportedTensorType(name: String, type: String)
    /// A hyper-parameter this runtime does not implement (e.g. an unknown RoPE scaling type).
    case unsupportedHyperparameter(name: String, value: String)
    /// The token embedding or output head (`tensor`) has `rows` rows, but the vocabulary
    /// (`tokenizer.ggml.tokens`) has `tokens` entries.
    case vocabularyMismatch(tensor: String, rows: Int, tokens: Int)
    /// A thread count below one.
    case invalidThreadCount(Int)
    /// An early exit (``LlamaModel/earlyExit(layers:)``) after `layers` layers of a model with
    /// `layerCount`: it must keep at least one layer and drop at least one.
    case invalidEarlyExit(layers: Int, layerCount: Int)
}
