import Foundation

/// An exact decimal read from JSON number text: `mantissa × 10^exponent`, no rounding. Used for
/// schema bounds, which must not move when turned into digit-range grammars.
struct DecimalText: Sendable, Hashable {
    var negative: Bool
    /// Digits without leading or trailing zeros; `"0"` for zero.
    var mantissa: String
    var exponent: Int

    /// Parses JSON number text; `nil` for text that is not a number or an exponent beyond
    /// ±400 (too large to spell out as digits).
    init?(_ text: String) {
        var scalars = Substring(text)
        negative = scalars.first == "-"
        if negative { scalars = scalars.dropFirst() }
        var exponentPart = 0
        if let e = scalars.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            guard let value = Int(scalars[scalars.index(after: e)...].replacingOccurrences(of: "+", with: "")),
                  abs(value) <= 400 else { return nil }
            exponentPart = value
            scalars = scalars[..<e]
        }
        let pieces = scalars.split(separator: ".", omittingEmptySubsequences: false)
        guard pieces.count <= 2, let whole = pieces.first, !whole.isEmpty,
              pieces.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else { return nil }
        let fraction = pieces.count == 2 ? pieces[1] : ""
        var digits = String(whole + fraction)
        var exp = exponentPart - fraction.count
        while digits.count > 1, digits.first == "0" { digits.removeFirst() }
        while digits.count > 1, digits.last == "0" { digits.removeLast(); exp += 1 }
        if digits == "0" { negative = false; exp = 0 }
        mantissa = digits
        exponent = exp
    }

    var isZero: Bool { mantissa == "0" }
    var isInteger: Bool { exponent >= 0 }

    /// The digits of the integer part of |self| (truncated toward zero), no leading zeros.
    var truncatedMagnitude: String {
        if exponent >= 0 { return isZero ? "0" : mantissa + String(repeating: "0", count: exponent) }
        let keep = mantissa.count + exponent
        return keep > 0 ? String(mantissa.prefix(keep)) : "0"
    }

    /// The smallest integer ≥ self, as a signed integer.
    var ceiling: SignedDigits {
        let t = truncatedMagnitude
        if isInteger { return SignedDigits(negative: negative && t != "0", magnitude: t) }
        return negative ? SignedDigits(negative: t != "0", magnitude: t) : SignedDigits(negative: false, magnitude: Digits.increment(t))
    }

    /// The largest integer ≤ self, as a signed integer.
    var floor: SignedDigits {
        let t = truncatedMagnitude
        if isInteger { return SignedDigits(negative: negative && t != "0", magnitude: t) }
        return negative ? SignedDigits(negative: true, magnitude: Digits.increment(t)) : SignedDigits(negative: false, magnitude: t)
    }

    /// -1, 0 or 1 as self is below, equal to or above `other`.
    func compare(_ other: DecimalText) -> Int {
        if negative != other.negative { return negative ? -1 : 1 }
        let magnitude = compareMagnitude(other)
        return negative ? -magnitude : magnitude
    }

    private func compareMagnitude(_ other: DecimalText) -> Int {
        if isZero || other.isZero { return isZero ? (other.isZero ? 0 : -1) : 1 }
        let order = mantissa.count + exponent
        let otherOrder = other.mantissa.count + other.exponent
        if order != otherOrder { return order < otherOrder ? -1 : 1 }
        let width = max(mantissa.count, other.mantissa.count)
        let a = mantissa.padding(toLength: width, withPad: "0", startingAt: 0)
        let b = other.mantissa.padding(toLength: width, withPad: "0", startingAt: 0)
        return a == b ? 0 : (a < b ? -1 : 1)
    }
}

/// A signed integer as decimal digits (no leading zeros, zero never negative).
struct SignedDigits: Sendable, Hashable {
    var negative: Bool
    var magnitude: String

    /// -1, 0 or 1 as self is below, equal to or above `other`.
    func compare(_ other: SignedDigits) -> Int {
        if negative != other.negative { return negative ? -1 : 1 }
        let m = Digits.compare(magnitude, other.magnitude)
        return negative ? -m : m
    }

    /// self + 1.
    var successor: SignedDigits {
        if negative {
            let m = Digits.decrement(magnitude)
            return SignedDigits(negative: m != "0", magnitude: m)
        }
        return SignedDigits(negative: false, magnitude: Digits.increment(magnitude))
    }

    /// self - 1.
    var predecessor: SignedDigits {
        if negative || magnitude == "0" {
            return SignedDigits(negative: true, magnitude: negative ? Digits.increment(magnitude) : "1")
        }
        return SignedDigits(negative: false, magnitude: Digits.decrement(magnitude))
    }
}

/// Arithmetic on natural numbers written as decimal digit strings without leading zeros.
enum Digits {
    static func compare(_ a: String, _ b: String) -> Int {
        if a.count != b.count { return a.count < b.count ? -1 : 1 }
        return a == b ? 0 : (a < b ? -1 : 1)
    }

    static func increment(_ a: String) -> String {
        var digits = Array(a.utf8)
        var i = digits.count - 1
        while i >= 0 {
            if digits[i] == UInt8(ascii: "9") { digits[i] = UInt8(ascii: "0"); i -= 1 } else { digits[i] += 1; break }
        }
        if i < 0 { digits.insert(UInt8(ascii: "1"), at: 0) }
        return String(decoding: digits, as: UTF8.self)
    }

    /// a - 1 for a ≥ 1.
    static func decrement(_ a: String) -> String {
        var digits = Array(a.utf8)
        var i = digits.count - 1
        while i >= 0 {
            if digits[i] == UInt8(ascii: "0") { digits[i] = UInt8(ascii: "9"); i -= 1 } else { digits[i] -= 1; break }
        }
        while digits.count > 1, digits.first == UInt8(ascii: "0") { digits.removeFirst() }
        return String(decoding: digits, as: UTF8.self)
    }
}
