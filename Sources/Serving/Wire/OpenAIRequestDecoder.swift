import Constraints
import Foundation

/// A request body of the OpenAI API: its own fields and the shared ``SamplingFields``.
public protocol OpenAIRequest: Decodable, Sendable {
    /// The shared generation fields.
    var fields: SamplingFields { get set }
}

extension CompletionRequest: OpenAIRequest {}
extension ChatCompletionRequest: OpenAIRequest {}

/// Decodes request bodies into ``OpenAIRequest``s, turning every decoding failure into a
/// ``ServingError`` that names the field (`messages[0].content`, `temperature`).
public enum OpenAIRequestDecoder {
    /// Decodes `body`; a `json_schema` response format gets its schema's JSON text.
    ///
    /// - Throws: ``ServingError/malformedBody(_:)`` for text that is not a JSON object,
    ///   ``ServingError/missingField(_:)`` and ``ServingError/invalidField(field:reason:)``.
    public static func decode<Request: OpenAIRequest>(_ type: Request.Type, from body: [UInt8]) throws(ServingError) -> Request {
        var request: Request
        do {
            request = try JSONDecoder().decode(Request.self, from: Data(body))
        } catch let error as DecodingError {
            throw servingError(error)
        } catch {
            throw .malformedBody("\(error)")
        }
        if request.fields.responseFormat?.type == "json_schema" {
            let root: JSONValue
            do {
                root = try JSONValue(parsing: body)
            } catch {
                throw .malformedBody("\(error)")
            }
            request.fields.responseFormat?.jsonSchema?.schema = root["response_format"]?["json_schema"]?["schema"]?.compactText
        }
        return request
    }

    /// The field a decoding error is about, and what was wrong with it.
    static func servingError(_ error: DecodingError) -> ServingError {
        func path(_ codingPath: [any CodingKey]) -> String {
            var text = ""
            for key in codingPath {
                if let index = key.intValue {
                    text += "[\(index)]"
                } else {
                    text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
                }
            }
            return text
        }
        switch error {
        case .typeMismatch(let type, let context):
            if context.codingPath.isEmpty { return .malformedBody("expected a JSON object") }
            return .invalidField(field: path(context.codingPath), reason: "must be \(typeName(type))")
        case .valueNotFound(let type, let context):
            return .invalidField(field: path(context.codingPath), reason: "must be \(typeName(type)), not null")
        case .keyNotFound(let key, let context):
            return .missingField(path(context.codingPath + [key]))
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                let underlying = (context.underlyingError as? NSError)?.userInfo[NSDebugDescriptionErrorKey] as? String
                return .malformedBody(underlying ?? context.debugDescription)
            }
            return .invalidField(field: path(context.codingPath), reason: context.debugDescription)
        @unknown default:
            return .malformedBody("\(error)")
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "a boolean"
        case is Int.Type, is Int64.Type: return "an integer"
        case is Float.Type, is Double.Type: return "a number"
        default:
            let name = "\(type)"
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "a \(name)"
        }
    }
}
