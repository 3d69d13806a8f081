import Foundation

/// A self-contained SVG chart of score against compute: one point per strategy at (tokens
/// evaluated per task, mean score) with a ±std bar, a logarithmic x axis, labelled axes, ticks
/// and a legend.
public enum ScorePlot {
    /// The SVG text for `rows`.
    public static func svg(_ rows: [ComparisonRow], title: String = "Score against compute") -> String {
        let width = 720.0, height = 440.0
        let left = 70.0, right = 200.0, top = 40.0, bottom = 60.0
        let plotW = width - left - right, plotH = height - top - bottom
        let xs = rows.map { max($0.tokensEvaluated, 1) }
        var lo = log10(xs.min() ?? 1), hi = log10(xs.max() ?? 10)
        lo = floor(lo)
        hi = max(ceil(hi), lo + 1)
        let yHi = max(1, (rows.map { $0.scoreMean + $0.scoreStd }.max() ?? 1))
        func x(_ v: Double) -> Double { left + (log10(max(v, 1)) - lo) / (hi - lo) * plotW }
        func y(_ v: Double) -> Double { top + plotH - min(max(v, 0), yHi) / yHi * plotH }
        let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]
        var svg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(left + plotW / 2)" y="22" text-anchor="middle" font-size="15">\(escape(title))</text>
        <rect x="\(left)" y="\(top)" width="\(plotW)" height="\(plotH)" fill="none" stroke="#333"/>

        """
        var decade = lo
        while decade <= hi {
            let px = x(pow(10, decade))
            svg += "<line x1=\"\(r(px))\" y1=\"\(top)\" x2=\"\(r(px))\" y2=\"\(top + plotH)\" stroke=\"#ddd\"/>\n"
            svg += "<text x=\"\(r(px))\" y=\"\(top + plotH + 18)\" text-anchor=\"middle\">\(fixed(pow(10, decade), 0))</text>\n"
            decade += 1
        }
        for i in 0...5 {
            let v = yHi * Double(i) / 5
            svg += "<line x1=\"\(left)\" y1=\"\(r(y(v)))\" x2=\"\(left + plotW)\" y2=\"\(r(y(v)))\" stroke=\"#eee\"/>\n"
            svg += "<text x=\"\(left - 8)\" y=\"\(r(y(v) + 4))\" text-anchor=\"end\">\(fixed(v, 2))</text>\n"
        }
        svg += "<text x=\"\(left + plotW / 2)\" y=\"\(height - 15)\" text-anchor=\"middle\">tokens evaluated per task (log scale)</text>\n"
        svg += "<text transform=\"translate(18 \(top + plotH / 2)) rotate(-90)\" text-anchor=\"middle\">score (mean ± std over seeds)</text>\n"
        for (i, row) in rows.enumerated() {
            let colour = palette[i % palette.count]
            let px = r(x(max(row.tokensEvaluated, 1)))
            svg += "<line x1=\"\(px)\" y1=\"\(r(y(row.scoreMean - row.scoreStd)))\" x2=\"\(px)\" y2=\"\(r(y(row.scoreMean + row.scoreStd)))\" stroke=\"\(colour)\"/>\n"
            svg += "<circle cx=\"\(px)\" cy=\"\(r(y(row.scoreMean)))\" r=\"5\" fill=\"\(colour)\"><title>\(escape(row.strategy))</title></circle>\n"
            let ly = top + 10 + Double(i) * 20
            svg += "<circle cx=\"\(left + plotW + 20)\" cy=\"\(ly)\" r=\"5\" fill=\"\(colour)\"/>\n"
            svg += "<text x=\"\(left + plotW + 32)\" y=\"\(ly + 4)\">\(escape(row.strategy))</text>\n"
        }
        return svg + "</svg>\n"
    }

    private static func r(_ v: Double) -> String { fixed(v, 1) }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
