/// One token of a Jinja template: a run of literal text, a tag delimiter, or a piece of an
/// expression inside `{{ }}` / `{% %}`.
struct JinjaToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// Literal template text, whitespace control already applied.
        case text(String)
        /// `{{`.
        case outputBegin
        /// `}}`.
        case outputEnd
        /// `{%`.
        case blockBegin
        /// `%}`.
        case blockEnd
        /// An identifier (keywords such as `if`, `and`, `true` included).
        case name(String)
        /// A string literal, escapes decoded.
        case string(String)
        /// An integer literal.
        case integer(Int)
        /// A float literal.
        case float(Double)
        /// An operator or punctuation: `+ - * / // % ** ~ == != < <= > >= = ( ) [ ] { } , . : |`.
        case symbol(String)
        /// The end of the template.
        case end
    }

    let kind: Kind
    /// The 1-based line it starts on.
    let line: Int
}
