import Constraints

/// How a steered walk (``steer(_:by:maxLength:)``) ended.
public enum SteeredWalk: Equatable {
    /// A text the constraint accepts.
    case accepted([UInt8])
    /// The walk reached its length bound (or a state limit) before the constraint could stop.
    case gaveUp
    /// A live state that cannot stop and that no byte keeps alive: the constraint called the
    /// prefix live although nothing completes it (an oracle failure).
    case deadEnd(prefix: [UInt8])
}

/// The bytes a steered walk chooses among by default: tab, LF, CR, printable ASCII and the bytes
/// of well-formed UTF-8 (continuations, then lead bytes). Other bytes are tried only to prove a
/// dead end.
public let steeringBytes: [UInt8] = [0x09, 0x0A, 0x0D] + Array(0x20...0x7E) + Array(0x80...0xBF) + Array(0xC2...0xF4)

/// Tab, LF, CR and printable ASCII: the choices of a steered walk over a constraint whose
/// non-ASCII bytes are costly to try (the regex constraint searches completions of a partial
/// UTF-8 character).
public let asciiSteeringBytes: [UInt8] = [0x09, 0x0A, 0x0D] + Array(0x20...0x7E)

/// The order in which a steered walk completes a text once its choices run out: bytes that close
/// JSON strings, objects and arrays and end numbers first, then separators, letters and digits,
/// other printable ASCII and UTF-8, and whitespace last (so bounded whitespace is not spent first).
let completionBytes: [UInt8] = {
    let first = Array(#""}]01:,"#.utf8) + Array(UInt8(ascii: "a")...UInt8(ascii: "z"))
        + Array(UInt8(ascii: "A")...UInt8(ascii: "Z")) + Array(UInt8(ascii: "2")...UInt8(ascii: "9"))
    let whitespace: [UInt8] = [0x20, 0x0A, 0x09, 0x0D]
    let rest = steeringBytes.filter { !first.contains($0) && !whitespace.contains($0) }
    return first + rest + whitespace
}()

/// Walks `constraint` from its start to a text it accepts, letting `choices` pick each byte
/// among the ones that keep the state alive: choice `c` tries `candidates` cyclically from
/// index `c` (modulo their count), and where the state may stop, a choice whose low four bits
/// are 0 stops it. Once the choices run out the walk completes the text greedily
/// (``completionBytes``, stopping as soon as it may). Random bytes rarely form a text a JSON Schema or grammar accepts; a steered
/// walk always makes one unless the completion exceeds `maxLength`.
///
/// Oracle on the way: a live state either may stop or has a live successor byte (trying all
/// 256 before calling it a dead end).
///
/// - Throws: the constraint's ``ConstraintError`` (a state limit).
public func steer<C: Constraint>(_ constraint: C, by choices: [UInt8], maxLength: Int,
                                 candidates: [UInt8] = steeringBytes) throws(ConstraintError) -> SteeredWalk {
    var state = constraint.start
    var next = state
    var text: [UInt8] = []
    while text.count <= maxLength {
        let stoppable = constraint.canStop(state)
        let choice: UInt8? = text.count < choices.count ? choices[text.count] : nil
        if stoppable, choice.map({ $0 & 0x0F == 0 }) ?? true { return .accepted(text) }
        if text.count == maxLength { break }
        let order: [UInt8]
        if let choice {
            let first = Int(choice) % candidates.count
            order = Array(candidates[first...] + candidates[..<first])
        } else {
            order = completionBytes.filter(candidates.contains)
        }
        var chosen: UInt8?
        for byte in order {
            if try constraint.advance(from: state, byte: byte, into: &next) {
                chosen = byte
                break
            }
        }
        if chosen == nil {
            for byte in UInt8.min...UInt8.max where !candidates.contains(byte) {
                if try constraint.advance(from: state, byte: byte, into: &next) {
                    chosen = byte
                    break
                }
            }
        }
        guard let byte = chosen else {
            return stoppable ? .accepted(text) : .deadEnd(prefix: text)
        }
        text.append(byte)
        swap(&state, &next)
    }
    return .gaveUp
}

/// Oracle for a text the constraint accepted (by a steered walk): the whole-text entry point
/// accepts it too, and every prefix of it is a live state for ``Constraint/advance(_:by:)``
/// (checked at each length, not only at the end).
///
/// `approximate` says whether a resource limit may have changed an answer since the text was
/// made (the regex constraint's match limits and assumed UTF-8 completions); then a
/// disagreement is not a failure.
public func checkPrefixesLive<C: Constraint>(_ constraint: C, accepted text: [UInt8],
                                             approximate: () -> Bool = { false }) throws(ConstraintError) {
    let accepted = try constraint.accepts(text)
    check(accepted || approximate(), "a steered walk accepted \(text) but accepts(_:) rejects it")
    for length in 0..<text.count {
        let live = try constraint.advance(constraint.start, by: Array(text[..<length])) != nil
        check(live || approximate(), "\(text) is accepted but its prefix of \(length) bytes is dead")
    }
}
