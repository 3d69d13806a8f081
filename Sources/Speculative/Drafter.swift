/// A source of draft distributions for speculative decoding: given the committed context
/// (prompt and generated tokens), the distribution `q` of the next token after the context
/// followed by any draft path.
///
/// Tree builders (``TreeShape``) ask for distributions in batches — every position they need
/// next in one ``draftDistributions(after:)`` call — so a model drafter can evaluate them in one
/// batched model call. The children of a position are then drawn from its `q` without
/// replacement, and verification uses the same `q`, so a drafter may return *any* distribution
/// (sharp, smoothed, truncated, even adversarial) without affecting the output distribution;
/// only the acceptance rate depends on it.
///
/// Drafters are classes: they keep state (a model session, an n-gram index) that follows the
/// context from step to step. Use one from one task at a time.
public protocol Drafter: AnyObject {
    /// The vocabulary the drafter proposes tokens from, or nil when it works on any (n-gram).
    var vocabularySize: Int? { get }

    /// The drafter's estimated cost of one draft position, in seconds (measured over its recent
    /// calls; 0 before the first). The budget planner weighs it against the target's cost.
    var costPerDraftToken: Double { get }

    /// Brings the drafter in line with the committed context. Called once per decoding step,
    /// before any ``draftDistributions(after:)``; successive contexts usually extend the previous
    /// one by the tokens just accepted.
    func synchronize(context: [Int]) throws

    /// The draft distribution after `context + paths[i]` for every `i`, where `context` is the
    /// one given to the last ``synchronize(context:)``. An empty distribution means "nothing to
    /// propose here" (the tree stops growing at that position).
    ///
    /// - Returns: exactly `paths.count` distributions.
    func draftDistributions(after paths: [[Int]]) throws -> [DraftDistribution]
}
