import Decoding
import GGUF

extension RemoteLanguageModel {
    /// A remote model with the vocabulary size, context length and special tokens a local GGUF
    /// file of the same model declares (its weights are not read): the engine reports none of them.
    ///
    /// - Throws: ``GGUFError`` for a file without those keys, and the errors of
    ///   ``init(configuration:vocabularySize:contextLength:specialTokens:)``.
    public convenience init(configuration: RemoteModelConfiguration, describedBy file: GGUFFile) throws {
        let hyperparameters = try LlamaHyperparameters(file: file)
        let vocabulary = try VocabularySpecialTokens(metadata: file.metadata)
        try self.init(configuration: configuration, vocabularySize: hyperparameters.vocabularySize,
                      contextLength: hyperparameters.contextLength,
                      specialTokens: SpecialTokens(bos: vocabulary.bos, eos: vocabulary.eos,
                                                   endOfTurn: vocabulary.endOfTurn))
    }
}
