/// The `format`s the compiler enforces, each as an anchored pattern whose language lies within
/// the format's definition (RFC 3339 dates and times, RFC 4122 UUIDs, RFC 1123 host names,
/// dotted-quad IPv4, RFC 5321 dot-atom e-mail, RFC 3986 `scheme://authority` URIs and
/// authority-less relative references, RFC 6570 URI templates).
enum StringFormat {
    private static let year = "[0-9]{4}"
    private static let leapYear = "(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)"
    private static let monthDay =
        "(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))"
    private static let date = "(?:\(year)-\(monthDay)|\(leapYear)-02-29)"
    private static let time = "(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\\.[0-9]+)?(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"
    private static let label = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,60}[A-Za-z0-9])?"
    /// At most four labels of at most 62 characters: 251 characters, within RFC 1123's 253.
    private static let hostname = "\(label)(?:\\.\(label)){0,3}"
    private static let octet = "(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
    private static let atom = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
    private static let pchar = "(?:[A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{2})"

    private static let query = "(?:\\?(?:\(pchar)|[/?])*)?(?:#(?:\(pchar)|[/?])*)?"
    private static let absoluteURI = "[A-Za-z][A-Za-z0-9+.-]*://[A-Za-z0-9._~-]+(?::[0-9]{1,5})?(?:/\(pchar)*)*\(query)"
    /// RFC 3986 relative-ref without authority: path-absolute or path-noscheme (no `:` in the
    /// first segment), then query and fragment.
    private static let relativeReference =
        "(?:/?(?:[A-Za-z0-9._~!$&'()*+,;=@-]|%[0-9A-Fa-f]{2})+(?:/\(pchar)*)*|/)?\(query)"
    /// RFC 6570 variable: varname with an optional prefix or explode modifier.
    private static let variable = "(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})(?:\\.?(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2}))*(?::[1-9][0-9]{0,3}|\\*)?"

    /// Anchored patterns for the enforced formats.
    static let patterns: [String: String] = [
        "date": "^\(date)$",
        "time": "^\(time)$",
        "date-time": "^\(date)[Tt]\(time)$",
        "uuid": "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
        "ipv4": "^\(octet)(?:\\.\(octet)){3}$",
        "hostname": "^\(hostname)$",
        "email": "^\(atom)(?:\\.\(atom))*@\(hostname)$",
        "uri": "^\(absoluteURI)$",
        "uri-reference": "^(?:\(absoluteURI)|\(relativeReference))$",
        "uri-template": "^(?:[!#$&()*+,./0-9:;=?@A-Z\\[\\]_a-z~-]|%[0-9A-Fa-f]{2}|\\{[+#./;?&=,!@|]?\(variable)(?:,\(variable))*\\})*$",
    ]

    /// Formats JSON Schema defines that the compiler does not enforce: unsupported, never
    /// silently ignored. Other format names (`int32`, `textarea`…) are annotations.
    static let unenforced: Set<String> = [
        "ipv6", "iri", "iri-reference", "idn-email", "idn-hostname", "json-pointer",
        "relative-json-pointer", "regex", "duration",
    ]
}
