import ArgumentParser
import Constraints
import Foundation
import GGUF

/// `decode inspect [FILE]`: prints a GGUF file's header, metadata and tensor table, as text
/// (long arrays abbreviated, as gguf-dump does) or as one JSON object.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Print a GGUF model's metadata and tensor table.",
        discussion: """
            Text output shows the first items of long arrays and their count. --json prints one \
            JSON object: {"file", "version", "fileSize", "alignment", "dataOffset", "metadata": \
            {key: {"type", "value"} or {"type": "ARRAY", "elementType", "count", "value", \
            "truncated"}}, "tensors": [{"name", "type", "shape", "offset", "bytes", "elements"}]}. \
            Arrays are printed in full except the tokenizer's per-token arrays (tokenizer.ggml.* \
            with more than \(InspectCommand.longTokenArray) items), which keep their first \
            \(InspectCommand.shownTokenItems) items and are marked "truncated": true unless \
            --full-arrays is given. Shapes are in ggml order (row length first).
            """)

    /// Token arrays longer than this are abbreviated in JSON unless `--full-arrays`.
    static let longTokenArray = 1000
    /// Items of an abbreviated token array kept in JSON.
    static let shownTokenItems = 16
    /// Items of a long array shown in text output.
    static let shownTextItems = 5
    /// Characters of a long string shown in text output.
    static let shownStringCharacters = 100

    @Argument(help: "The GGUF file or a fetched model's name (default: the default model, or $\(DefaultModel.environmentVariable)).")
    var file: String?

    @Option(name: .long, help: "\(ModelArguments.modelHelp) (same as FILE).")
    var model: String?

    @Flag(name: .long, help: "Print one JSON object instead of text.")
    var json = false

    @Flag(name: .long, help: "With --json, print the tokenizer's per-token arrays in full.")
    var fullArrays = false

    func validate() throws {
        if let file, let model, file != model {
            throw ValidationError("give the model either as FILE or with --model, not both")
        }
    }

    func run() throws {
        let url: URL
        if let path = file ?? model {
            do {
                url = try ModelArguments.url(of: path)
            } catch {
                throw Self.failure("\(error)")
            }
        } else if let located = DefaultModel.locate() {
            url = located
        } else {
            throw Self.failure("no model given and the default model was not found (run Scripts/setup.sh, set "
                + "\(DefaultModel.environmentVariable), or pass FILE)")
        }
        let gguf: GGUFFile
        do {
            gguf = try GGUFFile(contentsOf: url)
        } catch {
            throw Self.failure("\(url.path): \(error)")
        }
        print(json ? jsonReport(gguf, path: url.path) : textReport(gguf, path: url.path), terminator: "")
    }

    /// Prints `error: message` on stderr and returns the failure status to throw.
    static func failure(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        return ExitCode.failure
    }
}

// MARK: - Text

extension InspectCommand {
    func textReport(_ gguf: GGUFFile, path: String) -> String {
        var out = "\(path)\n"
        out += "GGUF version \(gguf.version), \(gguf.fileSize) bytes, alignment \(gguf.alignment), "
        out += "data at offset \(gguf.dataOffset)\n\n"
        out += "metadata (\(gguf.metadata.count) keys):\n"
        let keyWidth = min(48, gguf.metadata.keys.map(\.count).max() ?? 0)
        for entry in gguf.metadata.entries {
            let type = entry.value.typeDescription
            out += "  " + Self.pad(entry.key, keyWidth) + "  " + Self.pad(type, 16) + "  " + textValue(entry.value) + "\n"
        }
        out += "\ntensors (\(gguf.tensors.count)):\n"
        let rows = gguf.tensors.map { t in
            [t.name, t.type.name, t.dimensions.map(String.init).joined(separator: " x "), String(t.byteCount)]
        }
        let header = ["name", "type", "shape", "bytes"]
        let widths = (0..<4).map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        for row in [header] + rows {
            out += "  " + (0..<3).map { Self.pad(row[$0], widths[$0]) }.joined(separator: "  ")
            out += "  " + String(repeating: " ", count: widths[3] - row[3].count) + row[3] + "\n"
        }
        return out
    }

    func textValue(_ value: GGUFValue) -> String {
        guard case .array(let array) = value else { return textScalar(value) }
        let shown = (0..<min(array.count, Self.shownTextItems)).map { textScalar(array.element(at: $0)) }
        let more = array.count > Self.shownTextItems ? ", … (\(array.count) items)" : ""
        return "[" + shown.joined(separator: ", ") + more + "]"
    }

    func textScalar(_ value: GGUFValue) -> String {
        switch value {
        case .string(let s):
            guard s.count > Self.shownStringCharacters else { return JSONValue.quoted(s) }
            return JSONValue.quoted(String(s.prefix(Self.shownStringCharacters))) + "… (\(s.utf8.count) bytes)"
        default:
            return Self.scalarText(value)
        }
    }

    static func scalarText(_ value: GGUFValue) -> String {
        switch value {
        case .uint8(let v): "\(v)"
        case .int8(let v): "\(v)"
        case .uint16(let v): "\(v)"
        case .int16(let v): "\(v)"
        case .uint32(let v): "\(v)"
        case .int32(let v): "\(v)"
        case .uint64(let v): "\(v)"
        case .int64(let v): "\(v)"
        case .float32(let v): "\(v)"
        case .float64(let v): "\(v)"
        case .bool(let v): "\(v)"
        case .string(let s): s
        case .array(let a): "[\(a.count) items]"
        }
    }

    static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }
}

// MARK: - JSON

extension InspectCommand {
    func jsonReport(_ gguf: GGUFFile, path: String) -> String {
        var out = "{\"file\":" + JSONValue.quoted(path)
        out += ",\"version\":\(gguf.version),\"fileSize\":\(gguf.fileSize)"
        out += ",\"alignment\":\(gguf.alignment),\"dataOffset\":\(gguf.dataOffset),\"metadata\":{"
        for (index, entry) in gguf.metadata.entries.enumerated() {
            if index > 0 { out += "," }
            out += JSONValue.quoted(entry.key) + ":" + jsonEntry(key: entry.key, value: entry.value)
        }
        out += "},\"tensors\":["
        for (index, t) in gguf.tensors.enumerated() {
            if index > 0 { out += "," }
            out += "{\"name\":" + JSONValue.quoted(t.name) + ",\"type\":\"\(t.type.name)\""
            out += ",\"shape\":[" + t.dimensions.map(String.init).joined(separator: ",") + "]"
            out += ",\"offset\":\(t.offset),\"bytes\":\(t.byteCount),\"elements\":\(t.elementCount)}"
        }
        return out + "]}\n"
    }

    func jsonEntry(key: String, value: GGUFValue) -> String {
        guard case .array(let array) = value else {
            return "{\"type\":\"\(value.type.name)\",\"value\":" + Self.jsonScalar(value) + "}"
        }
        let abbreviate = !fullArrays && key.hasPrefix("tokenizer.ggml.") && array.count > Self.longTokenArray
        let shown = abbreviate ? Self.shownTokenItems : array.count
        var out = "{\"type\":\"ARRAY\",\"elementType\":\"\(array.elementType.name)\",\"count\":\(array.count)"
        out += ",\"truncated\":\(abbreviate),\"value\":["
        for index in 0..<shown {
            if index > 0 { out += "," }
            out += Self.jsonScalar(array.element(at: index))
        }
        return out + "]}"
    }

    static func jsonScalar(_ value: GGUFValue) -> String {
        switch value {
        case .float32(let v): jsonNumber(Double(v), text: "\(v)")
        case .float64(let v): jsonNumber(v, text: "\(v)")
        case .string(let s): JSONValue.quoted(s)
        default: scalarText(value)
        }
    }

    /// A finite number as Swift prints it (valid JSON); NaN and infinities as strings.
    static func jsonNumber(_ value: Double, text: String) -> String {
        if value.isNaN { return "\"NaN\"" }
        if value.isInfinite { return value > 0 ? "\"Infinity\"" : "\"-Infinity\"" }
        return text
    }
}
