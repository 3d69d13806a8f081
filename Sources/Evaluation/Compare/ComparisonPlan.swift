import Strategies

/// The runs of a comparison still to do, task by task: every strategy with each seed (a
/// strategy that ignores the seed runs seed 0 only), less the runs a resumed record file holds.
public struct ComparisonPlan: Sendable {
    /// One run: a strategy with a seed.
    public struct Run: Sendable, Hashable {
        /// The strategy.
        public var strategy: StrategySpecification
        /// The seed.
        public var seed: UInt64

        /// `strategy` with `seed`.
        public init(strategy: StrategySpecification, seed: UInt64) {
            self.strategy = strategy
            self.seed = seed
        }
    }

    /// Each task with its runs still to do, in the tasks' order (a task may have none).
    public let items: [(task: SearchTask, runs: [Run])]
    /// Every run per task, before the recorded ones are left out.
    public let runsPerTask: [Run]

    /// The plan for `strategies` × `seeds` seeds on `tasks`, leaving out `recorded` runs.
    public init(tasks: [SearchTask], strategies: [StrategySpecification], seeds: Int, recorded: Set<ComparisonKey> = []) {
        let runs = strategies.flatMap { strategy in
            (0..<UInt64(strategy.usesSeed ? max(seeds, 1) : 1)).map { Run(strategy: strategy, seed: $0) }
        }
        runsPerTask = runs
        items = tasks.map { task in
            (task, runs.filter { !recorded.contains(ComparisonKey(task: task.id, strategy: $0.strategy.description, seed: $0.seed)) })
        }
    }

    /// Runs still to do.
    public var runsToDo: Int { items.reduce(0) { $0 + $1.runs.count } }
    /// Tasks with a run still to do.
    public var tasksToDo: Int { items.filter { !$0.runs.isEmpty }.count }
    /// Runs left out because they are recorded.
    public var runsSkipped: Int { items.count * runsPerTask.count - runsToDo }

    /// Whether `record` belongs to this plan's strategies and seeds (for the table of a resumed run).
    public func covers(_ record: ComparisonRecord) -> Bool {
        runsPerTask.contains { $0.strategy.description == record.strategy && $0.seed == record.seed }
    }
}
