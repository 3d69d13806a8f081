import Decoding
import Foundation
import GGUF
import RemoteModel
import Serving
import Testing

/// The remote model against a live `decode serve` in this process (a real socket): greedy
/// through HTTP is local greedy, and with the whole vocabulary requested the rows are the
/// local distributions.
///
/// The remote model's calls block until the server answers, so they run on a dispatch queue,
/// never on the cooperative pool the server's handlers need.
@Suite(.enabled(if: DefaultModel.modelTestsEnabled), .serialized)
struct RemoteLanguageModelTests {
    /// Runs blocking `work` on a global dispatch queue.
    static func offPool<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }

    static func remote(_ url: String, topLogprobs: Int, model: String? = nil) throws -> RemoteLanguageModel {
        let served = try ServedModelFixture.served
        return try RemoteLanguageModel(
            configuration: RemoteModelConfiguration(baseURL: url, model: model, topLogprobs: topLogprobs),
            vocabularySize: served.model.vocabularySize, contextLength: served.maxContext,
            specialTokens: served.model.specialTokens)
    }

    @Test func greedyThroughTheServerIsLocalGreedy() async throws {
        let served = try ServedModelFixture.served
        let prompt = try served.tokenizer.encodeChat([.init(role: .user, content: "What is the capital of France?")],
                                                     template: served.chatTemplate)
        let local = try Generator(model: served.model, strategy: SamplingParameters.greedy.makeStrategy(),
                                  maxTokens: 12).run(prompt: prompt)
        try await LiveServer.run { client in
            let url = client.base
            let remote = try Self.remote(url, topLogprobs: 20)
            let result = try await Self.offPool {
                try Generator(model: remote, strategy: SamplingParameters.greedy.makeStrategy(), maxTokens: 12)
                    .run(prompt: prompt)
            }
            #expect(result.tokens == local.tokens)
            let missing = remote.truncation.missingMasses
            #expect(missing.count == result.tokens.count || missing.count == result.tokens.count + 1)
            #expect(missing.allSatisfy { $0 > 0 && $0 < 1 })
        }
    }

    @Test func theWholeVocabularyGivesTheLocalDistributionAndBatchesAndTrees() async throws {
        let served = try ServedModelFixture.served
        let prompt = try served.tokenizer.encode("The sky is", parseSpecial: true, addBOS: served.tokenizer.addsBOSByDefault)
        try await LiveServer.run { client in
            let url = client.base
            let remote = try Self.remote(url, topLogprobs: served.model.vocabularySize)
            try await Self.offPool {
                let session = try remote.makeSession(prompt: prompt)
                let local = try served.model.makeSession(prompt: prompt)
                func closeness(_ a: [Float], _ b: [Float]) throws -> Double {
                    let p = try Logits(a).probabilities, q = try Logits(b).probabilities
                    return zip(p, q).map { Double(abs($0 - $1)) }.max() ?? 0
                }
                #expect(try closeness(session.logits, local.logits) < 1e-5)
                #expect(remote.truncation.largestMissingMass < 1e-3)
                // A batch of two forks, and a two-node tree, row for row.
                let other = try session.fork()
                try remote.appendBatch([session, other], tokens: [3258, 1070])
                let localOther = try local.fork()
                try served.model.appendBatch([local, localOther], tokens: [3258, 1070])
                #expect(try closeness(session.logits, local.logits) < 1e-5)
                #expect(try closeness(other.logits, localOther.logits) < 1e-5)
                let tree = try TokenTree(tokens: [30, 31], parents: [-1, 0])
                let remoteRows = try remote.evaluateTree(tree, after: session)
                let localRows = try served.model.evaluateTree(tree, after: local)
                for (a, b) in zip(remoteRows, localRows) { #expect(try closeness(a, b) < 1e-5) }
            }
        }
    }

    @Test func engineErrorsAreTyped() async throws {
        try await LiveServer.run { client in
            let url = client.base
            let remote = try Self.remote(url, topLogprobs: 5, model: "another-model")
            let error = await #expect(throws: RemoteModelError.self) {
                _ = try await Self.offPool { _ = try remote.makeSession(prompt: [1, 2]) }
            }
            guard case .http(404, let message)? = error else {
                Issue.record("expected HTTP 404, got \(String(describing: error))")
                return
            }
            #expect(message.contains("another-model"))
        }
        #expect(throws: RemoteModelError.invalidURL("ftp://x")) {
            _ = try Self.remote("ftp://x", topLogprobs: 5)
        }
        #expect(throws: RemoteModelError.invalidTopLogprobs(0, vocabularySize: 49152)) {
            _ = try Self.remote("http://127.0.0.1:1", topLogprobs: 0)
        }
    }
}
