import Foundation

/// The tasks of a comparison, read from one JSON-lines file or from every `.jsonl` file of a
/// folder (in name order), with a fingerprint of their text.
///
/// In a folder, a task with no `id` is named after its file (`gsm8k.jsonl line 3`); ids must be
/// unique across the set, because records are keyed by task id. ``hash`` covers the task lines
/// (comments and blank lines aside) of the whole set, so every shard of one set carries the same
/// hash and a record file from another set is recognized.
public struct TaskSet: Sendable {
    /// A bad line of one file.
    public struct LineError: Sendable, Hashable, CustomStringConvertible {
        /// The file.
        public var file: String
        /// The line and what is wrong with it.
        public var error: TaskFileError

        /// "task file 'PATH' line N: reason".
        public var description: String { "task file '\(file)' \(error)" }
    }

    /// The tasks, file by file in line order.
    public var tasks: [SearchTask]
    /// Every bad line (a set with errors should not be run).
    public var errors: [LineError]
    /// The files read.
    public var files: [URL]
    /// FNV-1a 64 of the task lines of every file, in order, in hexadecimal.
    public var hash: String

    /// Reads `url`: a `.jsonl` file, or a folder whose `.jsonl` files (not its subfolders) are read in name order.
    ///
    /// - Throws: ``ComparisonError/unreadable(path:reason:)`` for a path that cannot be
    ///   read or a folder with no `.jsonl` file. Bad lines and duplicate ids are not thrown but
    ///   listed in ``errors``.
    public init(contentsOf url: URL) throws(ComparisonError) {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else {
            throw .unreadable(path: url.path, reason: "no such file or folder")
        }
        let files: [URL]
        if isFolder.boolValue {
            let names: [String]
            do { names = try FileManager.default.contentsOfDirectory(atPath: url.path) } catch {
                throw .unreadable(path: url.path, reason: "the folder cannot be listed")
            }
            files = names.filter { $0.hasSuffix(".jsonl") }.sorted().map { url.appendingPathComponent($0) }
            guard !files.isEmpty else { throw .unreadable(path: url.path, reason: "the folder has no .jsonl file") }
        } else {
            files = [url]
        }
        var texts: [(file: URL, text: String)] = []
        for file in files {
            guard let data = FileManager.default.contents(atPath: file.path) else {
                throw .unreadable(path: file.path, reason: "the file cannot be read")
            }
            texts.append((file, String(decoding: data, as: UTF8.self)))
        }
        self.init(texts: texts, prefixIDs: isFolder.boolValue)
    }

    /// Parses `texts` as the files of one set (`prefixIDs`: name tasks with no id after their file).
    init(texts: [(file: URL, text: String)], prefixIDs: Bool) {
        files = texts.map(\.file)
        tasks = []
        errors = []
        var hasher = FNV1a64()
        var seen: [String: String] = [:]
        for (file, text) in texts {
            let parsed = SearchTask.parseNumbered(jsonLines: text, idPrefix: prefixIDs ? file.lastPathComponent + " " : "")
            errors += parsed.errors.map { LineError(file: file.path, error: $0) }
            for line in parsed.lines {
                hasher.update(line.utf8)
                hasher.update([10])
            }
            for (task, line) in parsed.tasks {
                let place = "\(file.lastPathComponent) line \(line)"
                if let first = seen[task.id] {
                    let duplicate = ComparisonError.duplicateTaskID(task.id, first: first, second: place)
                    errors.append(LineError(file: file.path, error: TaskFileError(line: line, reason: "\(duplicate)")))
                } else {
                    seen[task.id] = place
                    tasks.append(task)
                }
            }
        }
        hash = hasher.hex
    }
}
