extension JinjaInterpreter {
    /// Python's `str.strip(characters)` (whitespace when nil), on either end.
    static func strip(_ text: String, characters: String?, leading: Bool, trailing: Bool) -> String {
        let set = characters.map { Set($0.unicodeScalars) }
        func strippable(_ scalar: Unicode.Scalar) -> Bool { set?.contains(scalar) ?? scalar.properties.isWhitespace }
        var scalars = Substring(text).unicodeScalars[...]
        if leading { while let first = scalars.first, strippable(first) { scalars.removeFirst() } }
        if trailing { while let last = scalars.last, strippable(last) { scalars.removeLast() } }
        return String(String.UnicodeScalarView(scalars))
    }

    /// Python's `str.split(separator, limit)` / `rsplit` (whitespace runs when `separator` is nil).
    static func split(_ text: String, separator: String?, limit: Int, fromEnd: Bool) -> [String] {
        var scalars = Array(text.unicodeScalars)
        if fromEnd { scalars.reverse() }
        var parts: [[Unicode.Scalar]] = []
        if let separator {
            var needle = Array(separator.unicodeScalars)
            if fromEnd { needle.reverse() }
            var current: [Unicode.Scalar] = []
            var index = 0
            while index < scalars.count {
                if limit < 0 || parts.count < limit,
                   index + needle.count <= scalars.count, scalars[index..<(index + needle.count)].elementsEqual(needle) {
                    parts.append(current)
                    current = []
                    index += needle.count
                } else {
                    current.append(scalars[index])
                    index += 1
                }
            }
            parts.append(current)
        } else {
            var index = 0
            while index < scalars.count {
                while index < scalars.count, scalars[index].properties.isWhitespace { index += 1 }
                guard index < scalars.count else { break }
                if limit >= 0 && parts.count == limit {
                    var rest = Array(scalars[index...])
                    while let last = rest.last, last.properties.isWhitespace { rest.removeLast() }
                    parts.append(rest)
                    break
                }
                var current: [Unicode.Scalar] = []
                while index < scalars.count, !scalars[index].properties.isWhitespace {
                    current.append(scalars[index])
                    index += 1
                }
                parts.append(current)
            }
        }
        var strings = parts.map { part -> String in
            var string = ""
            string.unicodeScalars.append(contentsOf: fromEnd ? part.reversed() : part)
            return string
        }
        if fromEnd { strings.reverse() }
        return strings
    }

    /// Python's `str.replace(old, new, count)`.
    static func replace(_ text: String, _ old: String, _ new: String, count: Int?) -> String {
        let limit = count.flatMap { $0 < 0 ? nil : $0 } ?? Int.max
        if old.isEmpty {
            var result = ""
            var done = 0
            for scalar in text.unicodeScalars {
                if done < limit { result += new; done += 1 }
                result.unicodeScalars.append(scalar)
            }
            if done < limit { result += new }
            return result
        }
        let parts = split(text, separator: old, limit: limit == Int.max ? -1 : limit, fromEnd: false)
        return parts.joined(separator: new)
    }

    /// Python's `str.capitalize()`.
    static func capitalize(_ text: String) -> String {
        guard let first = text.unicodeScalars.first else { return text }
        return String(first).uppercased() + String(String.UnicodeScalarView(text.unicodeScalars.dropFirst())).lowercased()
    }

    /// Python's `str.title()`: a letter after a non-letter is upper-cased, others lower-cased.
    static func title(_ text: String) -> String {
        var result = ""
        var previousCased = false
        for scalar in text.unicodeScalars {
            let cased = scalar.properties.isCased
            result += previousCased ? String(scalar).lowercased() : String(scalar).uppercased()
            previousCased = cased
        }
        return result
    }
}

extension String {
    /// Python's `str.splitlines()` for `\n`, `\r\n` and `\r`.
    func pythonSplitLines() -> [String] {
        var lines: [String] = []
        var current = ""
        var scalars = unicodeScalars.makeIterator()
        var pendingCR = false
        while let scalar = scalars.next() {
            if pendingCR {
                pendingCR = false
                if scalar == "\n" { continue }
            }
            if scalar == "\n" || scalar == "\r" {
                lines.append(current)
                current = ""
                pendingCR = scalar == "\r"
            } else {
                current.unicodeScalars.append(scalar)
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    /// The text without leading and trailing whitespace.
    var trimmingWhitespace: String {
        JinjaInterpreter.strip(self, characters: nil, leading: true, trailing: true)
    }

    /// Every `old` replaced by `new`.
    func replacingOccurrences(_ old: String, _ new: String) -> String {
        JinjaInterpreter.replace(self, old, new, count: nil)
    }
}
