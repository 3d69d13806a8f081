/// An exponential moving average of measured durations per unit of work (seconds per token),
/// for drafters and the budget planner.
struct CostMeter: Sendable {
    private(set) var secondsPerUnit = 0.0
    private var samples = 0
    /// Weight of a new sample once warmed up.
    let smoothing = 0.2

    /// Records that `units` of work took `duration`.
    mutating func record(_ duration: Duration, units: Int) {
        guard units > 0 else { return }
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
        let perUnit = seconds / Double(units)
        samples += 1
        let weight = samples < 5 ? 1 / Double(samples) : smoothing
        secondsPerUnit += weight * (perUnit - secondsPerUnit)
    }
}
