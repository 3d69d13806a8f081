import Evaluation
import Foundation

/// Where `decode compare --out/--resume` appends its records, one line per finished run, so a
/// stopped run loses at most the run in progress. A class: it owns a file handle.
final class RecordSink {
    private let handle: FileHandle?

    /// A sink appending to `path` (none when `path` is nil); with `header`, the file is created
    /// (or emptied) and the header written first, otherwise records go after what is there.
    init(path: String?, header: ComparisonLogHeader?) throws {
        guard let path else {
            handle = nil
            return
        }
        if let header {
            guard FileManager.default.createFile(atPath: path, contents: Data(try ComparisonLog.line(header).utf8)) else {
                throw CompareError("cannot write the records to '\(path)'")
            }
        }
        guard let handle = FileHandle(forWritingAtPath: path) else { throw CompareError("cannot write the records to '\(path)'") }
        handle.seekToEndOfFile()
        self.handle = handle
    }

    /// Appends one record's line.
    func append(_ record: ComparisonRecord) throws {
        guard let handle else { return }
        handle.write(Data(try ComparisonLog.line(record).utf8))
    }

    deinit { try? handle?.close() }
}
