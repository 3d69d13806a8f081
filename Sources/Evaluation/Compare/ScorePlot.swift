import Foundation

/// A self-contained SVG chart of score against compute: one point per strategy at (tokens
/// evaluated per task, mean score) with its 95 % bootstrap interval as a bar (±std over seeds
/// when no statistics are given), a logarithmic x axis, labelled axes, ticks, a legend, and the
/// Pareto front (no other strategy scores at least as high for at most as many tokens) drawn as
/// a dashed line through ringed points.
public enum ScorePlot {
    /// The strategies on the Pareto front of (fewer tokens evaluated, higher score), by tokens
    /// evaluated: a row is on it unless another has no more tokens and no lower score, one of
    /// them strictly better.
    public static func paretoFront(_ rows: [ComparisonRow], statistics: ComparisonStatistics? = nil) -> [String] {
        struct Point { let name: String, cost: Double, score: Double }
        let points = rows.map { row in
            Point(name: row.strategy, cost: row.tokensEvaluated, score: statistics?[row.strategy]?.mean ?? row.scoreMean)
        }
        func dominated(_ p: Point) -> Bool {
            points.contains { q in q.cost <= p.cost && q.score >= p.score && (q.cost < p.cost || q.score > p.score) }
        }
        let front = points.filter { !dominated($0) }
        return front.sorted { $0.cost != $1.cost ? $0.cost < $1.cost : $0.score > $1.score }.map(\.name)
    }

    /// The SVG text for `rows`, with intervals from `statistics` when given.
    public static func svg(_ rows: [ComparisonRow], statistics: ComparisonStatistics? = nil,
                           title: String = "Score against compute") -> String {
        let width = 760.0, height = 460.0
        let left = 70.0, right = 220.0, top = 40.0, bottom = 60.0
        let plotW = width - left - right, plotH = height - top - bottom
        struct Point { let name: String, cost: Double, score: Double, low: Double, high: Double }
        let points = rows.map { row -> Point in
            if let s = statistics?[row.strategy] {
                return Point(name: row.strategy, cost: max(row.tokensEvaluated, 1), score: s.mean, low: s.low, high: s.high)
            }
            return Point(name: row.strategy, cost: max(row.tokensEvaluated, 1), score: row.scoreMean,
                         low: row.scoreMean - row.scoreStd, high: row.scoreMean + row.scoreStd)
        }
        // A log axis a little wider than the data, ticked at 1, 2 and 5 times powers of ten.
        let lo = log10(points.map(\.cost).min() ?? 1) - 0.1
        let hi = max(log10(points.map(\.cost).max() ?? 10) + 0.1, lo + 0.5)
        let yHi = max(1, points.map(\.high).max() ?? 1)
        func x(_ v: Double) -> Double { left + (log10(max(v, 1e-9)) - lo) / (hi - lo) * plotW }
        func y(_ v: Double) -> Double { top + plotH - min(max(v, 0), yHi) / yHi * plotH }
        let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]
        var svg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(left + plotW / 2)" y="22" text-anchor="middle" font-size="15">\(escape(title))</text>
        <rect x="\(left)" y="\(top)" width="\(plotW)" height="\(plotH)" fill="none" stroke="#333"/>

        """
        var decade = floor(lo)
        while decade <= hi {
            for step in [1.0, 2, 5] {
                let value = step * pow(10, decade)
                guard log10(value) >= lo && log10(value) <= hi else { continue }
                let px = x(value)
                svg += "<line x1=\"\(r(px))\" y1=\"\(top)\" x2=\"\(r(px))\" y2=\"\(top + plotH)\" stroke=\"#ddd\"/>\n"
                svg += "<text x=\"\(r(px))\" y=\"\(top + plotH + 18)\" text-anchor=\"middle\">\(fixed(value, value < 1 ? 1 : 0))</text>\n"
            }
            decade += 1
        }
        for i in 0...5 {
            let v = yHi * Double(i) / 5
            svg += "<line x1=\"\(left)\" y1=\"\(r(y(v)))\" x2=\"\(left + plotW)\" y2=\"\(r(y(v)))\" stroke=\"#eee\"/>\n"
            svg += "<text x=\"\(left - 8)\" y=\"\(r(y(v) + 4))\" text-anchor=\"end\">\(fixed(v, 2))</text>\n"
        }
        let yLabel = statistics == nil ? "score (mean ± std over seeds)" : "score (mean, 95 % bootstrap interval)"
        svg += "<text x=\"\(left + plotW / 2)\" y=\"\(height - 15)\" text-anchor=\"middle\">tokens evaluated per task (log scale)</text>\n"
        svg += "<text transform=\"translate(18 \(top + plotH / 2)) rotate(-90)\" text-anchor=\"middle\">\(yLabel)</text>\n"
        let front = paretoFront(rows, statistics: statistics)
        let frontPoints = front.compactMap { name in points.first { $0.name == name } }
        if frontPoints.count > 1 {
            let path = frontPoints.map { "\(r(x($0.cost))),\(r(y($0.score)))" }.joined(separator: " ")
            svg += "<polyline points=\"\(path)\" fill=\"none\" stroke=\"#444\" stroke-dasharray=\"5 4\"/>\n"
        }
        for point in frontPoints {
            svg += "<circle cx=\"\(r(x(point.cost)))\" cy=\"\(r(y(point.score)))\" r=\"9\" fill=\"none\" stroke=\"#444\"/>\n"
        }
        for (i, point) in points.enumerated() {
            let colour = palette[i % palette.count]
            let px = r(x(point.cost))
            svg += "<line x1=\"\(px)\" y1=\"\(r(y(point.low)))\" x2=\"\(px)\" y2=\"\(r(y(point.high)))\" stroke=\"\(colour)\" stroke-width=\"2\"/>\n"
            for end in [point.low, point.high] {
                svg += "<line x1=\"\(r(x(point.cost) - 5))\" y1=\"\(r(y(end)))\" x2=\"\(r(x(point.cost) + 5))\" y2=\"\(r(y(end)))\" stroke=\"\(colour)\" stroke-width=\"2\"/>\n"
            }
            svg += "<circle cx=\"\(px)\" cy=\"\(r(y(point.score)))\" r=\"5\" fill=\"\(colour)\"><title>\(escape(point.name))</title></circle>\n"
            let ly = top + 10 + Double(i) * 20
            svg += "<circle cx=\"\(left + plotW + 20)\" cy=\"\(ly)\" r=\"5\" fill=\"\(colour)\"/>\n"
            svg += "<text x=\"\(left + plotW + 32)\" y=\"\(ly + 4)\">\(escape(point.name))</text>\n"
        }
        let ly = top + 10 + Double(points.count) * 20 + 10
        svg += "<circle cx=\"\(left + plotW + 20)\" cy=\"\(ly)\" r=\"9\" fill=\"none\" stroke=\"#444\"/>\n"
        svg += "<text x=\"\(left + plotW + 32)\" y=\"\(ly + 4)\">Pareto front</text>\n"
        return svg + "</svg>\n"
    }

    private static func r(_ v: Double) -> String { fixed(v, 1) }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
