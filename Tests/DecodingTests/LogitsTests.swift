import Foundation
import Testing
import Decoding

@Suite struct LogitsTests {
    @Test(arguments: [
        ([Float.nan, 0], SamplingError.nonFiniteLogit(index: 0, value: .nan)),
        ([0, Float.infinity], SamplingError.nonFiniteLogit(index: 1, value: .infinity)),
        ([-Float.infinity, -Float.infinity], SamplingError.allTokensMasked),
        ([Float](), SamplingError.emptyLogits),
    ])
    func rejectsInvalidRows(row: [Float], error: SamplingError) {
        #expect {
            _ = try Logits(row)
        } throws: { thrown in
            // NaN payloads never compare equal, so compare the case and index.
            switch (thrown as? SamplingError, error) {
            case (.nonFiniteLogit(let i, let v)?, .nonFiniteLogit(let j, let w)):
                return i == j && (v == w || (v.isNaN && w.isNaN))
            case (let e?, _): return e == error
            default: return false
            }
        }
    }

    @Test func softmaxEntropyAndTopTokens() throws {
        let row = try logits(fromProbabilities: [0.1, 0.2, 0.3, 0.4])
        expectClose(row.probabilities, [0.1, 0.2, 0.3, 0.4])
        expectClose(row.logProbabilities, [0.1, 0.2, 0.3, 0.4].map { logf($0) })
        let entropy = -[0.1, 0.2, 0.3, 0.4].reduce(0.0) { $0 + $1 * log($1) }
        #expect(abs(row.entropy - entropy) < 1e-6)
        #expect(row.argmax == 3)
        #expect(row.topTokens(2) == [3, 2])
        #expect(row.topTokens(10) == [3, 2, 1, 0])
        #expect(row.topTokens(1) == [3])
        #expect(abs(row.probability(of: 1) - 0.2) < 1e-6)
    }

    @Test func maskedTokensHaveZeroProbabilityAndTiesKeepLowerIds() throws {
        let row = try Logits([1, -.infinity, 1, 0])
        #expect(row.probabilities[1] == 0)
        #expect(row.unmaskedCount == 3)
        #expect(row.argmax == 0)
        #expect(row.topTokens(2) == [0, 2])
        #expect(row.logProbability(of: 1) == -.infinity)
    }

    @Test func mutationInvalidatesOnlyTheMutatedCopy() throws {
        let original = try Logits([0, 0, 0, 0])
        #expect(original.probabilities == [0.25, 0.25, 0.25, 0.25])
        var copy = original
        try copy.ban([0, 1])
        expectClose(copy.probabilities, [0, 0, 0.5, 0.5])
        #expect(original.probabilities == [0.25, 0.25, 0.25, 0.25])
        try copy.withMutableValues { $0[3] = 100 }
        #expect(copy.argmax == 3)
        #expect(copy.entropy < 1e-6)
        #expect(original.entropy > 1.38)
    }

    @Test func masksReportTypedErrors() throws {
        var row = try Logits([0, 1, 2])
        #expect(throws: SamplingError.allTokensMasked) { try row.ban([0, 1, 2]) }
        #expect(row.values == [0, 1, 2])
        #expect(throws: SamplingError.tokenOutOfRange(3, vocabularySize: 3)) { try row.ban([3]) }
        #expect(throws: SamplingError.tokenOutOfRange(-1, vocabularySize: 3)) { try row.keepOnly([-1]) }
        try row.ban([2])
        #expect(throws: SamplingError.allTokensMasked) { try row.keepOnly([2]) }
        try row.keepOnly([1, 2])
        #expect(row.probabilities == [0, 1, 0])
        #expect(throws: SamplingError.nonFiniteLogit(index: 0, value: .infinity)) {
            try row.withMutableValues { $0[0] = .infinity }
        }
    }

    @Test func convertsHalfBFloatAndInt8Buffers() throws {
        // 1.0, -2.0, 0.5, smallest subnormal, -inf in binary16.
        let half = try Logits(float16Bits: [0x3C00, 0xC000, 0x3800, 0x0001, 0xFC00] as [UInt16])
        #expect(half.values == [1, -2, 0.5, Float(sign: .plus, exponent: -24, significand: 1), -.infinity])
        #expect(throws: SamplingError.self) { try Logits(float16Bits: [0x7E00] as [UInt16]) }  // NaN
        #expect(throws: SamplingError.nonFiniteLogit(index: 0, value: .infinity)) {
            try Logits(float16Bits: [0x7C00] as [UInt16])
        }
        #if !(os(macOS) && arch(x86_64))
        let native = try Logits([1, -2, 0.5] as [Float16])
        #expect(native.values == [1, -2, 0.5])
        #endif
        let bf16 = try Logits(bfloat16Bits: [0x3F80, 0xC040] as [UInt16])  // 1.0, -3.0
        #expect(bf16.values == [1, -3])
        let int8 = try Logits(int8: [-128, 0, 127] as [Int8], scale: 0.5)
        #expect(int8.values == [-64, 0, 63.5])
        #expect(throws: SamplingError.invalidParameter("int8 logits scale must be finite and positive, got 0.0")) {
            try Logits(int8: [1] as [Int8], scale: 0)
        }
    }
}
