/// Settings of ``CautiousStrategy`` (cautious next-token prediction, Wang et al., Findings of
/// ACL 2025, arXiv:2507.03038), with the reference code's thresholds (H_low 0.01, H_high 1.5,
/// m = 1) and M = 10 (the reference code's default is 40).
public struct CautiousOptions: Sendable, Hashable {
    /// Entropy (nats) at or below which one trial is run.
    public var entropyLow: Double
    /// Entropy (nats) at or above which ``maxTrials`` are run.
    public var entropyHigh: Double
    /// Trials at high entropy (M).
    public var maxTrials: Int
    /// Trials at low entropy (m).
    public var minTrials: Int
    /// Invert the mapping, `⌊M − (m + (M − m)·x) + 1⌋` (more trials when the model is
    /// confident), as the reference code's "negatively correlated" variant.
    public var inverse: Bool
    /// Always run this many trials, whatever the entropy (even 1: a one-trial segment).
    public var fixedTrialCount: Int?
    /// The longest segment a trial samples before it is cut.
    public var maxSegmentLength: Int
    /// Token texts that end a segment: a token ends one when its text is exactly one of these
    /// (the reference code takes the single token `tokenizer.encode(p)` of each).
    public var punctuation: Set<String>

    /// The punctuation of the paper's reference code: `. , \n ? ! : ; ) ] }`.
    public static let defaultPunctuation: Set<String> = [".", ",", "\n", "?", "!", ":", ";", ")", "]", "}"]

    /// Options; checked by ``validate()`` when a strategy is made.
    public init(entropyLow: Double = 0.01, entropyHigh: Double = 1.5, maxTrials: Int = 10, minTrials: Int = 1,
                inverse: Bool = false, fixedTrialCount: Int? = nil, maxSegmentLength: Int = 32,
                punctuation: Set<String> = CautiousOptions.defaultPunctuation) {
        self.entropyLow = entropyLow
        self.entropyHigh = entropyHigh
        self.maxTrials = maxTrials
        self.minTrials = minTrials
        self.inverse = inverse
        self.fixedTrialCount = fixedTrialCount
        self.maxSegmentLength = maxSegmentLength
        self.punctuation = punctuation
    }

    /// Throws ``SamplingError/invalidParameter(_:)`` naming the first bad setting.
    public func validate() throws {
        try require(entropyLow.isFinite && entropyLow >= 0, "entropyLow must be finite and non-negative, got \(entropyLow)")
        try require(entropyHigh.isFinite && entropyHigh > entropyLow,
                    "entropyHigh must be finite and above entropyLow (\(entropyLow)), got \(entropyHigh)")
        try require(minTrials >= 1, "minTrials must be positive, got \(minTrials)")
        try require(maxTrials >= minTrials, "maxTrials must be at least minTrials (\(minTrials)), got \(maxTrials)")
        if let fixedTrialCount {
            try require(fixedTrialCount >= 1, "fixedTrialCount must be positive, got \(fixedTrialCount)")
        }
        try require(maxSegmentLength >= 1, "maxSegmentLength must be positive, got \(maxSegmentLength)")
        try require(!punctuation.isEmpty && !punctuation.contains(""), "punctuation must be non-empty strings")
    }

    /// The number of trials at entropy `h`: with `x = clamp((h − H_low)/(H_high − H_low), 0, 1)`,
    /// `⌊m + (M − m)·x⌋`, or `⌊M − (m + (M − m)·x) + 1⌋` when ``inverse`` (the floor taken
    /// last, as the reference code's `int(...)`); ``fixedTrialCount`` when set.
    public func trialCount(entropy h: Double) -> Int {
        if let fixedTrialCount { return fixedTrialCount }
        let fraction = min(max((h - entropyLow) / (entropyHigh - entropyLow), 0), 1)
        let n = Double(minTrials) + Double(maxTrials - minTrials) * fraction
        return Int((inverse ? Double(maxTrials) - n + 1 : n).rounded(.down))
    }

    /// Whether a position whose processed distribution has entropy `h` branches into trials
    /// (always with a ``fixedTrialCount``).
    public func branches(atEntropy h: Double) -> Bool {
        fixedTrialCount != nil || trialCount(entropy: h) > 1
    }

    /// The tokens whose text is exactly one of ``punctuation``. O(vocabulary), once.
    public func punctuationTokens(vocabularySize: Int, decoder: any TokenDecoder) throws -> Set<Int> {
        let wanted = Set(punctuation.map { Array($0.utf8) })
        var tokens: Set<Int> = []
        for token in 0..<vocabularySize where wanted.contains(try decoder.bytes(for: token)) {
            tokens.insert(token)
        }
        return tokens
    }
}
