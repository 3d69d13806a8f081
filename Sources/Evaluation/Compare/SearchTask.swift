import Constraints
import Foundation
import Search

/// One task of a comparison: a prompt (plain text or chat messages) and how to check an
/// answer — a reference answer (exact, contains or numeric, after an extraction), a JSON
/// Schema, a JSON Schema with a reference value per field (a JSON-extraction task, scored by
/// the fraction of fields right), or a regular expression (with or without a reference).
///
/// One JSON object per line of a `.jsonl` file:
/// ```json
/// {"id":"add-1","prompt":"What is 7 + 5?","reference":"12","match":"numeric","extract":"last-number"}
/// {"messages":[{"role":"user","content":"Capital of France?"}],"reference":"Paris","match":"contains"}
/// {"prompt":"Extract as JSON: Ada is 36.","schema":{"type":"object","required":["name"]}}
/// {"prompt":"Ada is 36. JSON?","schema":{"type":"object"},"reference":{"name":"Ada","age":36}}
/// {"prompt":"Moon landing date (YYYY-MM-DD)?","regex":"[0-9]{4}-[0-9]{2}-[0-9]{2}","reference":"1969-07-20"}
/// ```
/// `extract`: `whole` (default), `last-number`, `answer` (after `Answer:`), or `regex:PATTERN`
/// (group 1 when the pattern has one, else the whole match).
public struct SearchTask: Sendable, Hashable {
    /// A chat message: role (`system`, `user`, `assistant`) and content.
    public struct Message: Sendable, Hashable {
        /// The role.
        public var role: String
        /// The text.
        public var content: String

        /// A message.
        public init(role: String, content: String) {
            self.role = role
            self.content = content
        }
    }

    /// An identifier (the line number when the line has none).
    public var id: String
    /// The plain prompt, when given as text.
    public var prompt: String?
    /// The chat messages, when given as a conversation.
    public var messages: [Message]
    /// The reference answer (a text reference; `nil` for a task with ``fields``).
    public var reference: String?
    /// The reference value of each field of a JSON-extraction task (`"reference"` given as an
    /// object beside a `"schema"`); empty otherwise.
    public var fields: [JSONMember]
    /// How an answer is compared with ``reference``.
    public var mode: ReferenceVerifier.Mode
    /// Where the answer is found in the text.
    public var extraction: AnswerExtraction
    /// A JSON Schema (as JSON text) the output must satisfy.
    public var schema: String?
    /// A regular expression the whole output must match.
    public var regex: String?

    /// The verifier that checks this task's output: the fields (with the schema), else the
    /// reference, else the schema, else the regex; `nil` for a task with none.
    ///
    /// - Throws: ``SearchError`` for a bad pattern or schema.
    public func checker() throws -> (any Verifier)? {
        if !fields.isEmpty, let schema { return try FieldReferenceVerifier(fields: fields, jsonSchema: schema) }
        if let reference { return try ReferenceVerifier(reference: reference, mode: mode, extraction: extraction) }
        if let schema { return try PatternVerifier(jsonSchema: schema) }
        if let regex { return try PatternVerifier(regex: regex) }
        return nil
    }

    /// Whether the task is scored by validity (schema or regex) rather than accuracy.
    public var isValidityTask: Bool { reference == nil && fields.isEmpty && (schema != nil || regex != nil) }

    /// Parses the tasks of a JSON-lines text; blank lines and lines starting with `#` are
    /// skipped. Each bad line is reported with its 1-based number; the good ones are returned.
    public static func parse(jsonLines text: String) -> (tasks: [SearchTask], errors: [TaskFileError]) {
        let parsed = parseNumbered(jsonLines: text)
        return (parsed.tasks.map(\.task), parsed.errors)
    }

    /// ``parse(jsonLines:)`` keeping each task's line number and the task lines' text; a task
    /// with no `id` is named `"\(idPrefix)line N"`.
    static func parseNumbered(jsonLines text: String, idPrefix: String = "")
        -> (tasks: [(task: SearchTask, line: Int)], errors: [TaskFileError], lines: [Substring]) {
        var tasks: [(SearchTask, Int)] = []
        var errors: [TaskFileError] = []
        var lines: [Substring] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            lines.append(Substring(trimmed))
            do {
                tasks.append((try SearchTask(line: trimmed, number: index + 1, idPrefix: idPrefix), index + 1))
            } catch let error as TaskFileError {
                errors.append(error)
            } catch {
                errors.append(TaskFileError(line: index + 1, reason: "\(error)"))
            }
        }
        return (tasks, errors, lines)
    }

    /// One task from one JSON line.
    ///
    /// - Throws: ``TaskFileError`` naming the line and what is wrong.
    public init(line: String, number: Int) throws {
        try self.init(line: line, number: number, idPrefix: "")
    }

    init(line: String, number: Int, idPrefix: String) throws {
        func fail(_ reason: String) -> TaskFileError { TaskFileError(line: number, reason: reason) }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
            throw fail("not a JSON object")
        }
        let known: Set<String> = ["id", "prompt", "messages", "reference", "match", "extract", "schema", "regex"]
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw fail("unknown field \"\(unknown)\" (known: \(known.sorted().joined(separator: ", ")))")
        }
        func string(_ key: String) throws -> String? {
            guard let value = object[key] else { return nil }
            guard let text = value as? String else { throw fail("\"\(key)\" must be a string") }
            return text
        }
        id = try string("id") ?? "\(idPrefix)line \(number)"
        prompt = try string("prompt")
        messages = []
        if let raw = object["messages"] {
            guard let list = raw as? [[String: Any]], !list.isEmpty else { throw fail("\"messages\" must be a non-empty array of objects") }
            for (i, message) in list.enumerated() {
                guard let role = message["role"] as? String, ["system", "user", "assistant"].contains(role),
                      let content = message["content"] as? String else {
                    throw fail("message \(i + 1) needs \"role\" (system, user or assistant) and \"content\" strings")
                }
                messages.append(Message(role: role, content: content))
            }
        }
        guard (prompt == nil) != messages.isEmpty else { throw fail("give exactly one of \"prompt\" and \"messages\"") }
        if let prompt, prompt.isEmpty { throw fail("\"prompt\" is empty") }
        fields = []
        if let value = object["reference"] {
            if let text = value as? String { reference = text } else if let number = value as? NSNumber {
                reference = number.stringValue
            } else if value is [String: Any] {
                reference = nil
                guard object["schema"] != nil else { throw fail("a \"reference\" object (one value per field) needs a \"schema\"") }
                guard object["match"] == nil && object["extract"] == nil else {
                    throw fail("\"match\" and \"extract\" apply to a text reference, not to a \"reference\" object")
                }
                fields = try Self.members(of: value, fail)
                if fields.isEmpty { throw fail("the \"reference\" object has no field") }
            } else { throw fail("\"reference\" must be a string, a number or an object of field values") }
        } else {
            reference = nil
        }
        let match = try string("match") ?? "exact"
        guard let mode = ReferenceVerifier.Mode(rawValue: match) else {
            throw fail("\"match\" must be exact, contains or numeric, not \"\(match)\"")
        }
        self.mode = mode
        let extract = try string("extract") ?? "whole"
        switch extract {
        case "whole": extraction = .wholeText
        case "last-number": extraction = .lastNumber
        case "answer": extraction = .afterMarker("Answer:")
        default:
            guard extract.hasPrefix("regex:") else {
                throw fail("\"extract\" must be whole, last-number, answer or regex:PATTERN, not \"\(extract)\"")
            }
            let pattern = String(extract.dropFirst("regex:".count))
            let groups = (try? NSRegularExpression(pattern: pattern))?.numberOfCaptureGroups ?? 0
            extraction = .regex(pattern: pattern, group: groups > 0 ? 1 : 0)
        }
        if let value = object["schema"] {
            guard JSONSerialization.isValidJSONObject(value) || value is Bool,
                  let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]) else {
                throw fail("\"schema\" must be a JSON Schema object")
            }
            schema = String(decoding: data, as: UTF8.self)
        } else {
            schema = nil
        }
        regex = try string("regex")
        do { _ = try checker() } catch { throw fail("\(error)") }
    }

    /// The members of a JSON object `value` (from `JSONSerialization`), in key order, with
    /// numbers as written.
    private static func members(of value: Any, _ fail: (String) -> TaskFileError) throws -> [JSONMember] {
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]),
              case .object(let members)? = try? JSONValue(parsing: data) else {
            throw fail("the \"reference\" object is not JSON")
        }
        return members
    }
}

/// A malformed line of a task file.
public struct TaskFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The 1-based line number.
    public var line: Int
    /// What is wrong.
    public var reason: String

    /// An error for `line`.
    public init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }

    /// "line 3: …".
    public var description: String { "line \(line): \(reason)" }
}
