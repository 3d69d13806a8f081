/// The `format`s the compiler enforces, each as an anchored pattern whose language lies within
/// the format's definition (RFC 3339 dates and times, RFC 4122 UUIDs, RFC 1123 host names,
/// dotted-quad IPv4, RFC 5321 dot-atom e-mail, RFC 3986 `scheme://authority` URIs).
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

    /// Anchored patterns for the enforced formats.
    static let patterns: [String: String] = [
        "date": "^\(date)$",
        "time": "^\(time)$",
        "date-time": "^\(date)[Tt]\(time)$",
        "uuid": "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
        "ipv4": "^\(octet)(?:\\.\(octet)){3}$",
        "hostname": "^\(hostname)$",
        "email": "^\(atom)(?:\\.\(atom))*@\(hostname)$",
        "uri": "^[A-Za-z][A-Za-z0-9+.-]*://[A-Za-z0-9._~-]+(?::[0-9]{1,5})?(?:/\(pchar)*)*(?:\\?(?:\(pchar)|[/?])*)?(?:#(?:\(pchar)|[/?])*)?$",
    ]

    /// Formats JSON Schema defines that the compiler does not enforce: unsupported, never
    /// silently ignored. Other format names (`int32`, `textarea`…) are annotations.
    static let unenforced: Set<String> = [
        "ipv6", "uri-reference", "iri", "iri-reference", "idn-email", "idn-hostname", "json-pointer",
        "relative-json-pointer", "regex", "uri-template", "duration",
    ]
}
