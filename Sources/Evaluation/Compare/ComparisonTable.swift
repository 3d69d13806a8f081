import Foundation

/// Renders a comparison: a header of settings (model hash, quantization, seeds, processor
/// order, threads…), the tasks × seeds behind each row and the statistical method, then one row
/// per strategy — mean score with its 95 % interval, the paired difference from the baseline with
/// its interval (marked `*` when the interval excludes 0), wins / ties / losses, p-value and
/// minimum detectable difference, and the compute it took — as Markdown, CSV or JSON, and the
/// per-record JSON lines.
public struct ComparisonTable: Sendable {
    /// The run's configuration, in order.
    public var header: [(key: String, value: String)]
    /// One row per strategy.
    public var rows: [ComparisonRow]
    /// Intervals and paired comparisons, when computed.
    public var statistics: ComparisonStatistics?

    /// A table.
    public init(header: [(key: String, value: String)], rows: [ComparisonRow], statistics: ComparisonStatistics? = nil) {
        self.header = header
        self.rows = rows
        self.statistics = statistics
    }

    /// The table of `records` for `strategies` (in order) against `baseline` (default the first).
    ///
    /// - Throws: ``ComparisonError/unknownBaseline(_:strategies:)``.
    public init(header: [(key: String, value: String)], records: [ComparisonRecord], strategies: [String],
                baseline: String? = nil, settings: ComparisonStatistics.Settings = .standard) throws(ComparisonError) {
        let statistics = try ComparisonStatistics(records: records, strategies: strategies, baseline: baseline, settings: settings)
        self.init(header: header, rows: ComparisonRow.summarize(records, strategies: strategies), statistics: statistics)
    }

    private static let columns = ["strategy", "score", "score_std", "score_low", "score_high", "difference", "difference_low",
                                  "difference_high", "wins", "ties", "losses", "p_value", "test", "mde", "significant",
                                  "verifier", "model_calls", "tokens_evaluated", "wall_s", "tokens_per_s", "failed"]

    /// The header lines, followed by what the statistics rest on.
    private var allHeader: [(key: String, value: String)] {
        guard let statistics else { return header }
        return header + [
            ("behind each row", statistics.runsDescription),
            ("baseline", "\(statistics.baseline) (Δ = strategy − baseline, paired by task; * marks an interval that excludes 0)"),
            ("statistics", statistics.method),
        ]
    }

    /// A Markdown table under `key: value` lines. Scores are means over tasks of the mean over
    /// seeds with their 95 % interval; calls and tokens are per task; tokens/s counts generated tokens.
    public func markdown() -> String {
        var lines = allHeader.map { "- \($0.key): \($0.value)" }
        lines.append("")
        if let statistics {
            lines.append("| strategy | score [95 % CI] | Δ vs \(statistics.baseline) [95 % CI] | W/T/L | p | MDE | verifier | "
                         + "model calls/task | tokens evaluated/task | wall s | generated tok/s | failed |")
            lines.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        } else {
            lines.append("| strategy | score (mean ± std over seeds) | verifier | model calls/task | tokens evaluated/task | wall s | generated tok/s | failed |")
            lines.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        }
        for row in rows {
            let verifier = row.verifierMean.map { fixed($0, 3) } ?? "–"
            let compute = "\(verifier) | \(fixed(row.modelCalls, 1)) | \(fixed(row.tokensEvaluated, 1)) | \(fixed(row.seconds, 1)) | "
                + "\(fixed(row.tokensPerSecond, 1)) | \(row.failed) |"
            guard let statistics, let stats = statistics[row.strategy] else {
                lines.append("| \(row.strategy) | \(fixed(row.scoreMean, 3)) ± \(fixed(row.scoreStd, 3)) | " + compute)
                continue
            }
            let score = "\(fixed(stats.mean, 3)) [\(fixed(stats.low, 3)), \(fixed(stats.high, 3))]"
            let paired: String
            if let p = stats.paired {
                paired = "\(signed(p.difference)) [\(signed(p.low)), \(signed(p.high))]\(p.isSignificant ? " *" : "") | "
                    + "\(p.wins)/\(p.ties)/\(p.losses) | \(pValue(p.pValue)) | \(p.minimumDetectable.isFinite ? fixed(p.minimumDetectable, 3) : "–")"
            } else {
                paired = "baseline | | |"
            }
            lines.append("| \(row.strategy) | \(score) | \(paired) | " + compute)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// CSV: `#`-comment header lines, then one row per strategy (the paired columns empty for the baseline).
    public func csv() -> String {
        var lines = allHeader.map { "# \($0.key): \($0.value)" }
        lines.append(Self.columns.joined(separator: ","))
        for row in rows {
            let stats = statistics?[row.strategy]
            let p = stats?.paired
            let interval = stats.map { [fixed($0.low, 4), fixed($0.high, 4)] } ?? ["", ""]
            let pairedFields = p.map {
                [fixed($0.difference, 4), fixed($0.low, 4), fixed($0.high, 4), "\($0.wins)", "\($0.ties)", "\($0.losses)",
                 String(format: "%.6g", $0.pValue), csvField($0.test.rawValue),
                 $0.minimumDetectable.isFinite ? fixed($0.minimumDetectable, 4) : "", $0.isSignificant ? "1" : "0"]
            } ?? Array(repeating: "", count: 10)
            let fields = [csvField(row.strategy), fixed(row.scoreMean, 4), fixed(row.scoreStd, 4)] + interval + pairedFields
                + [row.verifierMean.map { fixed($0, 4) } ?? "", fixed(row.modelCalls, 2), fixed(row.tokensEvaluated, 2),
                   fixed(row.seconds, 3), fixed(row.tokensPerSecond, 2), "\(row.failed)"]
            lines.append(fields.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `{"configuration": {...}, "rows": [...], "statistics": {...}}`.
    public func json() throws -> String {
        let configuration = Dictionary(allHeader.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        struct Document: Encodable {
            let configuration: [String: String]
            let rows: [ComparisonRow]
            let statistics: ComparisonStatistics?
        }
        let document = Document(configuration: configuration, rows: rows, statistics: statistics)
        return String(decoding: try encoder.encode(document), as: UTF8.self) + "\n"
    }

    /// One JSON object per record.
    public static func jsonLines(_ records: [ComparisonRecord]) throws -> String {
        try records.map(ComparisonLog.line).joined()
    }

    private func csvField(_ text: String) -> String {
        text.contains(",") || text.contains("\"") ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}

func fixed(_ value: Double, _ digits: Int) -> String {
    String(format: "%.\(digits)f", value)
}

/// `+0.133`, `-0.067`, `+0.000`.
func signed(_ value: Double) -> String {
    String(format: "%+.3f", abs(value) < 5e-4 ? 0 : value)
}

/// `0.008`, `<0.001`, `1.000`.
func pValue(_ value: Double) -> String {
    value < 0.001 ? "<0.001" : fixed(value, 3)
}
