import Constraints

/// Feeds `bytes` through `constraint` one byte at a time, as a generator would, then checks the
/// walk against the whole-text entry point over the same bytes.
///
/// Oracle: a state limit (`ConstraintError`) ends the walk quietly; otherwise the byte-by-byte
/// walk and `advance(_:by:)` agree on where the text dies, and a walk that lives to the end
/// agrees with `accepts` on whether the text is complete.
public func walk<C: Constraint>(_ constraint: C, over bytes: [UInt8]) {
    var state = constraint.start
    var next = state
    var read = 0
    do {
        while read < bytes.count, try constraint.advance(from: state, byte: bytes[read], into: &next) {
            swap(&state, &next)
            read += 1
        }
        let whole = try constraint.advance(constraint.start, by: bytes)
        if read < bytes.count {
            let prefix = try constraint.advance(constraint.start, by: Array(bytes[..<read]))
            precondition(whole == nil, "byte \(read) kills the walk but not advance(_:by:)")
            precondition(prefix != nil, "the live prefix of \(read) bytes is dead for advance(_:by:)")
        } else {
            let accepted = try constraint.accepts(bytes)
            precondition(whole != nil, "the walk lives but advance(_:by:) dies")
            precondition(constraint.canStop(state) == accepted, "canStop disagrees with accepts")
        }
    } catch {
        return
    }
}
