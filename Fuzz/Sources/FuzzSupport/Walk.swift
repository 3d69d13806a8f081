import Constraints

/// Feeds `bytes` through `constraint` one byte at a time, as a generator would, then checks the
/// walk against the whole-text entry points over the same bytes.
///
/// Oracle: a state limit (`ConstraintError`) ends the walk quietly; otherwise the byte-by-byte
/// walk and `advance(_:by:)` agree on where the text dies, a text the walk kills is not
/// accepted (an accepted text has every prefix live), and a walk that lives to the end agrees
/// with `accepts` on whether the text is complete. `approximate` as in
/// ``checkPrefixesLive(_:accepted:approximate:)``.
public func walk<C: Constraint>(_ constraint: C, over bytes: [UInt8], approximate: () -> Bool = { false }) {
    var state = constraint.start
    var next = state
    var read = 0
    do {
        while read < bytes.count, try constraint.advance(from: state, byte: bytes[read], into: &next) {
            swap(&state, &next)
            read += 1
        }
        let whole = try constraint.advance(constraint.start, by: bytes)
        let accepted = try constraint.accepts(bytes)
        if read < bytes.count {
            let prefix = try constraint.advance(constraint.start, by: Array(bytes[..<read]))
            check(!accepted || approximate(), "byte \(read) of \(bytes) kills the walk, yet accepts(_:) accepts the text")
            check(whole == nil || approximate(), "byte \(read) of \(bytes) kills the walk but not advance(_:by:)")
            check(prefix != nil || approximate(), "the live prefix of \(read) bytes of \(bytes) is dead for advance(_:by:)")
        } else {
            check(whole != nil || approximate(), "the walk over \(bytes) lives but advance(_:by:) dies")
            check(constraint.canStop(state) == accepted || approximate(), "canStop disagrees with accepts over \(bytes)")
        }
    } catch {
        return
    }
}

/// ``walk(_:over:approximate:)`` over `bytes` as they are, then a
/// ``steer(_:by:maxLength:candidates:)`` walk that reads them as choices among `candidates`: its text must pass ``checkPrefixesLive(_:accepted:approximate:)``,
/// and it must not reach a dead end, except at the empty prefix where `emptyLanguageAllowed` (a
/// constraint whose start is live by definition, such as the regex constraint's, while its
/// language may be empty: `a\bb`). Returns the steered text (`nil` when the walk gave up or a state
/// limit ended it), for targets with more oracles.
@discardableResult
public func walkAndSteer<C: Constraint>(_ constraint: C, over bytes: [UInt8], maxLength: Int,
                                        candidates: [UInt8] = steeringBytes, emptyLanguageAllowed: Bool = false,
                                        approximate: () -> Bool = { false }) -> [UInt8]? {
    walk(constraint, over: bytes, approximate: approximate)
    do {
        switch try steer(constraint, by: bytes, maxLength: maxLength, candidates: candidates) {
        case .accepted(let text):
            try checkPrefixesLive(constraint, accepted: text, approximate: approximate)
            return text
        case .deadEnd(let prefix):
            check((emptyLanguageAllowed && prefix.isEmpty) || approximate(),
                  "the live prefix \(prefix) may not stop and no byte extends it")
            return nil
        case .gaveUp:
            return nil
        }
    } catch {
        return nil
    }
}
