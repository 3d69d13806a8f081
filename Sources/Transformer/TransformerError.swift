/// Errors from loading a model file into the transformer runtime.
///
/// Errors a caller can cause while running a loaded model (empty prompt, full context, bad
/// token ids, foreign sessions) are ``Decoding/LanguageModelError``s instead.
public enum TransformerError: Error, Equatable, Sendable {
    /// The file's `general.architecture` is not one this runtime implements.
    case unsupportedArchitecture(String)
    /// A tensor the architecture needs is not in the file.
    case missingTensor(name: String)
    /// A tensor has a shape other than the hyper-parameters imply (GGUF order: columns first).
    case tensorShapeMismatch(name: String, expected: [Int], found: [Int])
    /// A tensor is stored in a type the matrix kernels cannot multiply.
    case unsupportedTensorType(name: String, type: String)
    /// A hyper-parameter is missing, zero or inconsistent with the others.
    case invalidHyperparameter(name: String, reason: String)
    /// A thread count below one.
    case invalidThreadCount(Int)
}
