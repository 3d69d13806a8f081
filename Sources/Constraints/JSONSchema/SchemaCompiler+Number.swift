extension SchemaCompiler {
    private static let digit = GrammarExpression.characters(.digits)
    private static let nonZeroDigit = GrammarExpression.characters(CodePointSet("1"..."9"))

    /// JSON numbers (or integers) within the conjunct's bounds: exact digit ranges, for
    /// decimal bounds too (``decimalRange(_:_:)``); a bounded `number` has no exponent form.
    mutating func compileNumber(_ conjunct: SchemaConjunct, integerOnly: Bool) throws(JSONSchemaError) -> GrammarExpression? {
        for (value, path) in conjunct.all("multipleOf") {
            guard case .number(let text) = value, let d = DecimalText(text), !d.negative, !d.isZero else {
                throw .invalidKeyword(keyword: "multipleOf", path: path + "/multipleOf", reason: "expected a positive number")
            }
            if !(integerOnly && d.isInteger && d.mantissa == "1" && d.exponent == 0) {
                try unsupported("multipleOf", path + "/multipleOf", "multipleOf is not compiled")
            }
        }
        let lower = try tightestBound(conjunct, inclusive: "minimum", exclusive: "exclusiveMinimum", lower: true)
        let upper = try tightestBound(conjunct, inclusive: "maximum", exclusive: "exclusiveMaximum", lower: false)
        if let l = lower, let u = upper {
            let c = l.value.compare(u.value)
            if c > 0 || (c == 0 && (l.exclusive || u.exclusive)) {
                throw .unsatisfiable(path: conjunct.path("minimum"), reason: "the lower bound is above the upper bound")
            }
        }
        if integerOnly {
            let lo = lower.map { $0.exclusive ? $0.value.floor.successor : $0.value.ceiling }
            let hi = upper.map { $0.exclusive ? $0.value.ceiling.predecessor : $0.value.floor }
            if let lo, let hi, lo.compare(hi) > 0 {
                throw .unsatisfiable(path: conjunct.path("minimum"), reason: "no integer lies between the bounds")
            }
            if lo == nil, hi == nil { return builder.rule("integer", integerGrammar) }
            return builder.rule("integer-range", integerRange(lo, hi))
        }
        if lower == nil, upper == nil { return builder.rule("number", numberGrammar) }
        if [lower, upper].contains(where: { $0.map { !$0.value.isInteger } ?? false }) {
            guard let range = decimalRange(lower, upper) else {
                emptyReason = (conjunct.path("minimum"), "no number between the bounds can be written without an exponent")
                return nil
            }
            return builder.rule("number-range", range)
        }
        return builder.rule("number-range", numberRange(lower, upper))
    }

    struct Bound {
        var value: DecimalText
        var exclusive: Bool
        var keyword: String
        var path: String
    }

    private func tightestBound(_ conjunct: SchemaConjunct, inclusive: String, exclusive: String, lower: Bool) throws(JSONSchemaError) -> Bound? {
        var best: Bound?
        for keyword in [inclusive, exclusive] {
            for (value, path) in conjunct.all(keyword) {
                guard case .number(let text) = value else {
                    throw .invalidKeyword(keyword: keyword, path: path + "/" + keyword, reason: "expected a number")
                }
                guard let d = DecimalText(text) else {
                    try unsupported(keyword, path + "/" + keyword, "bound \(text) is out of range")
                    continue
                }
                let candidate = Bound(value: d, exclusive: keyword == exclusive, keyword: keyword, path: path)
                guard let current = best else { best = candidate; continue }
                let c = d.compare(current.value)
                if (lower ? c > 0 : c < 0) || (c == 0 && candidate.exclusive) { best = candidate }
            }
        }
        return best
    }

    var integerGrammar: GrammarExpression {
        .seq(.optional(.literal("-")), .choice([.literal("0"), .seq(Self.nonZeroDigit, .repetition(Self.digit, minimum: 0, maximum: nil))]))
    }

    var numberGrammar: GrammarExpression {
        .seq(integerGrammar,
             .optional(.seq(.literal("."), .repetition(Self.digit, minimum: 1, maximum: nil))),
             .optional(.seq(.characters(CodePointSet(ranges: [0x45...0x45, 0x65...0x65])),
                            .optional(.characters(CodePointSet(ranges: [0x2B...0x2B, 0x2D...0x2D]))),
                            .repetition(Self.digit, minimum: 1, maximum: nil))))
    }

    /// Integers in [lo, hi] (either side open when `nil`), without leading zeros or `-0`.
    func integerRange(_ lo: SignedDigits?, _ hi: SignedDigits?) -> GrammarExpression {
        var alternatives: [GrammarExpression] = []
        if hi == nil || hi?.negative == false {
            let a = lo.flatMap { $0.negative ? nil : $0.magnitude } ?? "0"
            alternatives.append(Self.naturalRange(a, hi?.magnitude))
        }
        if lo == nil || lo?.negative == true {
            let a = hi.flatMap { $0.negative ? $0.magnitude : nil } ?? "1"
            alternatives.append(.seq(.literal("-"), Self.naturalRange(a, lo?.magnitude)))
        }
        return alternatives.count == 1 ? alternatives[0] : .choice(alternatives)
    }

    /// Numbers (no exponent) within integer bounds, by sign and magnitude: for a magnitude
    /// `I.f`, `I.f ≥ a` ⇔ `I ≥ a`; `I.f > a` ⇔ `I > a` or (`I = a`, `f ≠ 0`);
    /// `I.f ≤ b` ⇔ `I < b` or (`I = b`, `f = 0`); `I.f < b` ⇔ `I < b`.
    func numberRange(_ lower: Bound?, _ upper: Bound?) -> GrammarExpression {
        typealias End = (digits: String, exclusive: Bool)
        var alternatives: [GrammarExpression] = []
        // x ≥ 0
        let nonNegativeExists: Bool = {
            guard let u = upper else { return true }
            if u.value.negative { return false }
            return !(u.value.isZero && u.exclusive)
        }()
        if nonNegativeExists {
            let from: End = lower.flatMap { $0.value.negative ? nil : ($0.value.truncatedMagnitude, $0.exclusive) } ?? ("0", false)
            let to: End? = upper.map { ($0.value.truncatedMagnitude, $0.exclusive) }
            if let e = Self.magnitudes(from: from, to: to, positive: false) { alternatives.append(e) }
        }
        // x < 0, x = -M with M > 0
        if lower.map({ $0.value.negative }) ?? true {
            let from: End = upper.flatMap { $0.value.negative ? ($0.value.truncatedMagnitude, $0.exclusive) : nil } ?? ("0", true)
            let to: End? = lower.map { ($0.value.truncatedMagnitude, $0.exclusive) }
            if let e = Self.magnitudes(from: from, to: to, positive: true) { alternatives.append(.seq(.literal("-"), e)) }
        }
        return alternatives.count == 1 ? alternatives[0] : .choice(alternatives)
    }

    private static func magnitudes(from: (digits: String, exclusive: Bool), to: (digits: String, exclusive: Bool)?, positive: Bool) -> GrammarExpression? {
        let anyFraction = GrammarExpression.optional(.seq(.literal("."), .repetition(digit, minimum: 1, maximum: nil)))
        let zeroFraction = GrammarExpression.optional(.seq(.literal("."), .repetition(.literal("0"), minimum: 1, maximum: nil)))
        let nonZeroFraction = GrammarExpression.seq(.literal("."), .repetition(digit, minimum: 0, maximum: nil), nonZeroDigit,
                                                    .repetition(digit, minimum: 0, maximum: nil))
        var alternatives: [GrammarExpression] = []
        let start = from.exclusive ? Digits.increment(from.digits) : from.digits
        let end: String? = to.flatMap { $0.digits == "0" ? nil : Digits.decrement($0.digits) }
        if to == nil {
            alternatives.append(.seq(naturalRange(start, nil), anyFraction))
        } else if let end, Digits.compare(start, end) <= 0 {
            alternatives.append(.seq(naturalRange(start, end), anyFraction))
        }
        if from.exclusive, to.map({ Digits.compare($0.digits, from.digits) > 0 }) ?? true {
            alternatives.append(.seq(.literal(from.digits), nonZeroFraction))
        }
        if let to, !to.exclusive {
            let c = Digits.compare(to.digits, from.digits)
            if c > 0 || (c == 0 && !from.exclusive && !(positive && to.digits == "0")) {
                alternatives.append(.seq(.literal(to.digits), zeroFraction))
            }
        }
        if alternatives.isEmpty { return nil }
        return alternatives.count == 1 ? alternatives[0] : .choice(alternatives)
    }

    /// Naturals in [a, b] (`b` open when `nil`) written without leading zeros.
    static func naturalRange(_ a: String, _ b: String?) -> GrammarExpression {
        var alternatives: [GrammarExpression] = []
        let last = b?.count ?? a.count
        for length in a.count...max(a.count, last) {
            let low = length == a.count ? a : "1" + String(repeating: "0", count: length - 1)
            let high = b.flatMap { length == last ? $0 : nil } ?? String(repeating: "9", count: length)
            if Digits.compare(low, high) <= 0 { alternatives.append(sameLength(Array(low.utf8), Array(high.utf8))) }
        }
        if b == nil {
            alternatives.append(.seq(nonZeroDigit, .repetition(digit, minimum: a.count, maximum: nil)))
        }
        return alternatives.count == 1 ? alternatives[0] : .choice(alternatives)
    }

    /// Digit strings (ASCII codes) of one length between `low` and `high`, inclusive.
    private static func sameLength(_ low: [UInt8], _ high: [UInt8]) -> GrammarExpression {
        func text(_ digits: [UInt8]) -> String { String(decoding: digits, as: UTF8.self) }
        let zero = UInt8(ascii: "0")
        let nine = UInt8(ascii: "9")
        guard let l = low.first, let h = high.first else { return .empty }
        if low == high { return .literal(text(low)) }
        let restLow = Array(low.dropFirst())
        let restHigh = Array(high.dropFirst())
        if l == h { return .seq(.literal(text([l])), sameLength(restLow, restHigh)) }
        var alternatives: [GrammarExpression] = []
        var from = l
        if !restLow.allSatisfy({ $0 == zero }) {
            alternatives.append(.seq(.literal(text([l])), sameLength(restLow, Array(repeating: nine, count: restLow.count))))
            from = l + 1
        }
        var to = h
        var highPart: GrammarExpression?
        if !restHigh.allSatisfy({ $0 == nine }) {
            highPart = .seq(.literal(text([h])), sameLength(Array(repeating: zero, count: restHigh.count), restHigh))
            to = h - 1
        }
        if from <= to {
            alternatives.append(.seq(.characters(CodePointSet(ranges: [UInt32(from)...UInt32(to)])),
                                     .repetition(digit, minimum: restLow.count, maximum: restLow.count)))
        }
        if let highPart { alternatives.append(highPart) }
        return alternatives.count == 1 ? alternatives[0] : .choice(alternatives)
    }
}
