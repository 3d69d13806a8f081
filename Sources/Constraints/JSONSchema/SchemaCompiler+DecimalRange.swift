extension SchemaCompiler {
    private static let digitClass = GrammarExpression.characters(.digits)

    /// Numbers (no exponent) within bounds that need not be integers (`minimum: 0.5`), by sign
    /// and magnitude: for a magnitude `I.f` and a bound `A.α`, `I.f ≥ A.α` ⇔ `I > A` or
    /// (`I = A`, `0.f ≥ 0.α`), and the fraction comparison is a digit-by-digit range. Exact
    /// for the texts it accepts; exponent forms and `-0` are not accepted (a sound subset).
    func decimalRange(_ lower: Bound?, _ upper: Bound?) -> GrammarExpression? {
        typealias End = (whole: String, fraction: [UInt8], exclusive: Bool)
        func end(_ b: Bound) -> End { (b.value.truncatedMagnitude, Self.fractionDigits(b.value), b.exclusive) }
        var alternatives: [GrammarExpression] = []
        // x ≥ 0
        let nonNegative: Bool = {
            guard let u = upper else { return true }
            if u.value.negative { return false }
            return !(u.value.isZero && u.exclusive)
        }()
        if nonNegative {
            let from: End = lower.flatMap { $0.value.negative ? nil : end($0) } ?? ("0", [], false)
            if let e = Self.decimalMagnitudes(from: from, to: upper.map(end)) { alternatives.append(e) }
        }
        // x < 0, written -M with M > 0
        if lower.map({ $0.value.negative }) ?? true {
            let from: End = upper.flatMap { $0.value.negative ? end($0) : nil } ?? ("0", [], true)
            if let e = Self.decimalMagnitudes(from: from, to: lower.map(end)) { alternatives.append(.seq(.literal("-"), e)) }
        }
        if alternatives.isEmpty { return nil }
        return alternatives.count == 1 ? alternatives[0] : .choice(alternatives)
    }

    /// The digits after the decimal point of |value|, without trailing zeros.
    static func fractionDigits(_ value: DecimalText) -> [UInt8] {
        if value.exponent >= 0 { return [] }
        let places = -value.exponent
        let digits = Array(value.mantissa.utf8)
        let fraction = digits.count >= places ? Array(digits.suffix(places)) : Array(repeating: UInt8(ascii: "0"), count: places - digits.count) + digits
        return Array(fraction.reversed().drop(while: { $0 == UInt8(ascii: "0") }).reversed())
    }

    private static func decimalMagnitudes(from: (whole: String, fraction: [UInt8], exclusive: Bool),
                                          to: (whole: String, fraction: [UInt8], exclusive: Bool)?) -> GrammarExpression? {
        let anyFraction = GrammarExpression.optional(.seq(.literal("."), .repetition(digitClass, minimum: 1, maximum: nil)))
        var alternatives: [GrammarExpression] = []
        func add(_ whole: String, _ fraction: GrammarExpression?) {
            if let fraction { alternatives.append(.seq(.literal(whole), fraction)) }
        }
        guard let to else {
            alternatives.append(.seq(naturalRange(Digits.increment(from.whole), nil), anyFraction))
            add(from.whole, fractionPart(from.fraction, from.exclusive, nil, false))
            return alternatives.count == 1 ? alternatives[0] : .choice(alternatives)
        }
        let c = Digits.compare(from.whole, to.whole)
        if c < 0 {
            let low = Digits.increment(from.whole)
            let high = Digits.decrement(to.whole)
            if Digits.compare(low, high) <= 0 { alternatives.append(.seq(naturalRange(low, high), anyFraction)) }
            add(from.whole, fractionPart(from.fraction, from.exclusive, nil, false))
            add(to.whole, fractionPart([], false, to.fraction, to.exclusive))
        } else if c == 0 {
            add(from.whole, fractionPart(from.fraction, from.exclusive, to.fraction, to.exclusive))
        }
        if alternatives.isEmpty { return nil }
        return alternatives.count == 1 ? alternatives[0] : .choice(alternatives)
    }

    /// The fraction part (nothing, or `.` and digits) of numbers whose fraction `0.f` lies
    /// between `0.lo` and `0.hi` (no upper bound when `hi` is `nil`).
    private static func fractionPart(_ lo: [UInt8], _ loExclusive: Bool, _ hi: [UInt8]?, _ hiExclusive: Bool) -> GrammarExpression? {
        var alternatives: [GrammarExpression] = []
        if zeroAllowed(lo, loExclusive, hi, hiExclusive) { alternatives.append(.empty) }
        if let d = fractionDigits(lo, loExclusive, hi, hiExclusive, nonEmpty: true) { alternatives.append(.seq(.literal("."), d)) }
        if alternatives.isEmpty { return nil }
        return alternatives.count == 1 ? alternatives[0] : .choice(alternatives)
    }

    private static func zeroAllowed(_ lo: [UInt8], _ loExclusive: Bool, _ hi: [UInt8]?, _ hiExclusive: Bool) -> Bool {
        let aboveLow = lo.isEmpty && !loExclusive
        let belowHigh = hi.map { !($0.isEmpty && hiExclusive) } ?? true
        return aboveLow && belowHigh
    }

    /// Digit strings `f` (at least one digit when `nonEmpty`) with `0.lo ≤ 0.f ≤ 0.hi`, each
    /// side strict when its flag says so.
    private static func fractionDigits(_ lo: [UInt8], _ loExclusive: Bool, _ hi: [UInt8]?, _ hiExclusive: Bool, nonEmpty: Bool) -> GrammarExpression? {
        let zero = UInt8(ascii: "0")
        let nine = UInt8(ascii: "9")
        if lo.isEmpty, !loExclusive, hi == nil {
            return .repetition(digitClass, minimum: nonEmpty ? 1 : 0, maximum: nil)
        }
        if lo.isEmpty, loExclusive, hi == nil {
            // Anything above zero: some digit is not 0.
            return .seq(.repetition(digitClass, minimum: 0, maximum: nil), .characters(CodePointSet("1"..."9")), .repetition(digitClass, minimum: 0, maximum: nil))
        }
        if hi?.isEmpty == true {
            // At most zero: only zeros, and only when zero itself is allowed.
            if hiExclusive || loExclusive || !lo.isEmpty { return nil }
            return .repetition(.literal("0"), minimum: nonEmpty ? 1 : 0, maximum: nil)
        }
        var alternatives: [GrammarExpression] = []
        if !nonEmpty, zeroAllowed(lo, loExclusive, hi, hiExclusive) { alternatives.append(.empty) }
        let l = lo.first ?? zero
        let h = hi.map { $0.first ?? zero } ?? nine
        guard l <= h else { return alternatives.isEmpty ? nil : alternatives[0] }
        func text(_ d: UInt8) -> String { String(decoding: [d], as: UTF8.self) }
        // First digit equal to the low digit: the rest keeps the low bound.
        let loRest: [UInt8] = lo.isEmpty ? [] : Array(lo.dropFirst())
        let hiRest: [UInt8]? = hi.map { $0.isEmpty ? [] : Array($0.dropFirst()) }
        if l == h {
            if hi?.isEmpty == true, hiExclusive { return alternatives.isEmpty ? nil : alternatives[0] }
            if let rest = fractionDigits(loRest, loExclusive, hi == nil ? nil : hiRest, hiExclusive, nonEmpty: false) {
                alternatives.append(.seq(.literal(text(l)), rest))
            }
        } else {
            if let rest = fractionDigits(loRest, loExclusive, nil, false, nonEmpty: false) {
                alternatives.append(.seq(.literal(text(l)), rest))
            }
            if l + 1 <= h - 1 {
                alternatives.append(.seq(.characters(CodePointSet(ranges: [UInt32(l + 1)...UInt32(h - 1)])), .repetition(digitClass, minimum: 0, maximum: nil)))
            }
            if hi != nil, let rest = fractionDigits([], false, hiRest, hiExclusive, nonEmpty: false) {
                alternatives.append(.seq(.literal(text(h)), rest))
            } else if hi == nil {
                alternatives.append(.seq(.literal(text(h)), .repetition(digitClass, minimum: 0, maximum: nil)))
            }
        }
        if alternatives.isEmpty { return nil }
        return alternatives.count == 1 ? alternatives[0] : .choice(alternatives)
    }
}
