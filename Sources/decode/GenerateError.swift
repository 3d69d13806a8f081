/// A `decode generate` failure a user caused (an unreadable file, a combination of options
/// the library does not support yet), printed as one `error: …` line.
struct GenerateError: Error, CustomStringConvertible {
    /// The sentence printed after `error: `.
    let description: String

    /// An error with this message.
    init(_ description: String) { self.description = description }
}
