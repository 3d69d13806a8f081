import Evaluation
import Foundation

/// Writes `decode compare`'s progress to stderr: on a terminal a bar redrawn in place (counts,
/// elapsed time, ETA), otherwise one line per finished task; nothing with `--quiet`. Warnings
/// always go out, on a line of their own.
struct ProgressReporter {
    let quiet: Bool
    let isTerminal = isatty(STDERR_FILENO) == 1
    let started = Date()

    init(quiet: Bool) {
        self.quiet = quiet
    }

    func start(_ progress: ComparisonProgress) {
        if !quiet && !isTerminal && progress.skippedRuns > 0 {
            write("\(progress.skippedRuns) runs already recorded, \(progress.totalRuns) to do\n")
        }
        update(progress)
    }

    func update(_ progress: ComparisonProgress) {
        guard !quiet && isTerminal else { return }
        write("\r\u{1B}[K" + progress.bar(elapsed: Date().timeIntervalSince(started)))
    }

    func finishedTask(_ progress: ComparisonProgress, line: String) {
        guard !quiet else { return }
        if isTerminal { update(progress) } else { write(line) }
    }

    func finish(_ progress: ComparisonProgress) {
        guard !quiet && isTerminal else { return }
        update(progress)
        write("\n")
    }

    func warn(_ text: String) {
        write((isTerminal && !quiet ? "\r\u{1B}[K" : "") + "warning: \(text)\n")
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
