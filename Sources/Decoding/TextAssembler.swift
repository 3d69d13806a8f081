/// Turns a growing byte sequence into text that never splits a UTF-8 character and never
/// shows the start of a stop string before it is known not to be one; finds stop strings on
/// bytes. Invalid UTF-8 becomes U+FFFD.
struct TextAssembler {
    private(set) var bytes: [UInt8] = []
    private var released = 0
    private let stopStrings: [(text: String, bytes: [UInt8])]
    private(set) var text = ""
    /// Where a stop string began; nothing from there on is ever released.
    private var stoppedAt: Int?

    init(stopStrings: [String]) {
        self.stopStrings = stopStrings.map { ($0, Array($0.utf8)) }
    }

    /// Appends `new` bytes; returns the newly released text and the stop string found, if any
    /// (then the text ends before the stop string and nothing more will be released).
    mutating func append(_ new: [UInt8]) -> (delta: String, stop: String?) {
        guard stoppedAt == nil else { return ("", nil) }
        let previous = bytes.count
        bytes += new
        var earliest: (position: Int, text: String)?
        for stop in stopStrings {
            let from = max(released, previous - stop.bytes.count + 1)
            if let position = firstMatch(of: stop.bytes, from: from), position < (earliest?.position ?? .max) {
                earliest = (position, stop.text)
            }
        }
        if let earliest {
            stoppedAt = earliest.position
            return (release(upTo: earliest.position), earliest.text)
        }
        return (release(upTo: safeBoundary()), nil)
    }

    /// Releases everything left (an incomplete tail becomes U+FFFD).
    mutating func flush() -> String { release(upTo: stoppedAt ?? bytes.count) }

    private mutating func release(upTo end: Int) -> String {
        guard end > released else { return "" }
        let delta = String(decoding: bytes[released..<end], as: UTF8.self)
        released = end
        text += delta
        return delta
    }

    private func firstMatch(of pattern: [UInt8], from start: Int) -> Int? {
        guard !pattern.isEmpty, bytes.count >= pattern.count else { return nil }
        var position = max(0, start)
        while position + pattern.count <= bytes.count {
            if bytes[position] == pattern[0] && bytes[position..<position + pattern.count].elementsEqual(pattern) {
                return position
            }
            position += 1
        }
        return nil
    }

    /// The end of the text that can be shown now.
    private func safeBoundary() -> Int {
        var boundary = bytes.count
        // Hold back a suffix that could begin a stop string.
        for stop in stopStrings {
            var length = min(stop.bytes.count - 1, bytes.count - released)
            while length > 0 {
                if bytes[(bytes.count - length)...].elementsEqual(stop.bytes[..<length]) {
                    boundary = min(boundary, bytes.count - length)
                    break
                }
                length -= 1
            }
        }
        // Hold back an incomplete UTF-8 sequence ending at the boundary.
        var lead = boundary - 1
        while lead >= max(released, boundary - 4) {
            let byte = bytes[lead]
            if byte & 0xC0 != 0x80 {
                let expected = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
                if lead + expected > boundary { boundary = lead }
                break
            }
            lead -= 1
        }
        return max(boundary, released)
    }
}
