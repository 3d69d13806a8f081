import Foundation

/// Renders a comparison: a header of settings (model hash, quantization, seeds, processor
/// order, threads…) and one row per strategy, as Markdown, CSV or JSON, and the per-record
/// JSON lines.
public struct ComparisonTable: Sendable {
    /// The run's configuration, in order.
    public var header: [(key: String, value: String)]
    /// One row per strategy.
    public var rows: [ComparisonRow]

    /// A table.
    public init(header: [(key: String, value: String)], rows: [ComparisonRow]) {
        self.header = header
        self.rows = rows
    }

    private static let columns = ["strategy", "score", "score_std", "verifier", "model_calls", "tokens_evaluated",
                                  "wall_s", "tokens_per_s", "failed"]

    /// A Markdown table under `key: value` lines. Scores are mean ± std over seeds; calls and
    /// tokens are per task; tokens/s counts generated tokens.
    public func markdown() -> String {
        var lines = header.map { "- \($0.key): \($0.value)" }
        lines.append("")
        lines.append("| strategy | score (mean ± std over seeds) | verifier | model calls/task | tokens evaluated/task | wall s | generated tok/s | failed |")
        lines.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for row in rows {
            let verifier = row.verifierMean.map { fixed($0, 3) } ?? "–"
            lines.append("| \(row.strategy) | \(fixed(row.scoreMean, 3)) ± \(fixed(row.scoreStd, 3)) | \(verifier) | "
                         + "\(fixed(row.modelCalls, 1)) | \(fixed(row.tokensEvaluated, 1)) | \(fixed(row.seconds, 1)) | "
                         + "\(fixed(row.tokensPerSecond, 1)) | \(row.failed) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// CSV: `#`-comment header lines, then one row per strategy.
    public func csv() -> String {
        var lines = header.map { "# \($0.key): \($0.value)" }
        lines.append(Self.columns.joined(separator: ","))
        for row in rows {
            let fields = [csvField(row.strategy), fixed(row.scoreMean, 4), fixed(row.scoreStd, 4),
                          row.verifierMean.map { fixed($0, 4) } ?? "", fixed(row.modelCalls, 2), fixed(row.tokensEvaluated, 2),
                          fixed(row.seconds, 3), fixed(row.tokensPerSecond, 2), "\(row.failed)"]
            lines.append(fields.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `{"configuration": {...}, "rows": [...]}`.
    public func json() throws -> String {
        let configuration = Dictionary(header.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        struct Document: Encodable {
            let configuration: [String: String]
            let rows: [ComparisonRow]
        }
        return String(decoding: try encoder.encode(Document(configuration: configuration, rows: rows)), as: UTF8.self) + "\n"
    }

    /// One JSON object per record.
    public static func jsonLines(_ records: [ComparisonRecord]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try records.map { String(decoding: try encoder.encode($0), as: UTF8.self) + "\n" }.joined()
    }

    private func csvField(_ text: String) -> String {
        text.contains(",") || text.contains("\"") ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}

func fixed(_ value: Double, _ digits: Int) -> String {
    String(format: "%.\(digits)f", value)
}
