import ArgumentParser
import Foundation
import GGUF
import Tokenizer

/// `decode tokenize`: the ids and pieces of a text under a model's tokenizer.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Print the token ids and pieces of a text.",
        discussion: """
            Special tokens such as <|im_start|> are parsed as one id and no BOS is added, as in \
            llama.cpp's tokenizer reference. A piece that is not whole UTF-8 is shown as <0xHH> bytes.
            """)

    @Argument(help: "The text to tokenize (or use --file).")
    var text: String?

    @Option(name: .long, help: "Read the text from this file instead (bytes, need not be UTF-8).")
    var file: String?

    @Option(name: .long, help: "\(ModelArguments.modelHelp) (default: \(DefaultModel.environmentVariable) or .models/\(DefaultModel.fileName)).")
    var model: String?

    @Flag(name: .long, help: "Print {\"ids\": [...], \"pieces\": [...]} instead of a table.")
    var json = false

    @Flag(name: .long, help: "Treat special-token text as plain text.")
    var noSpecial = false

    @Flag(name: .long, help: "Add the BOS token first.")
    var bos = false

    @Flag(name: .long, help: "Print timings instead of the ids: {\"bytes\", \"ids\", \"load_seconds\", \"encode_seconds\", \"encode_cpu_seconds\"} (for Benchmarks/Tokenizer).")
    var stats = false

    @Option(name: .long, parsing: .unconditional, help: "With --stats: encode this many times and report the fastest.")
    var repetitions = 1

    func validate() throws {
        if (text == nil) == (file == nil) {
            throw ValidationError("Give the text either as an argument or with --file.")
        }
        guard repetitions >= 1 else { throw ValidationError("--repetitions must be at least 1, got \(repetitions).") }
    }

    func run() throws {
        do {
            try tokenize()
        } catch let error as ExitCode {
            throw error
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }

    private func tokenize() throws {
        let loadStart = ContinuousClock.now
        let tokenizer = try Tokenizer(file: try GGUFFile(contentsOf: try modelURL()))
        let loadSeconds = Self.seconds(ContinuousClock.now - loadStart)
        let bytes: [UInt8]
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw CommandError("cannot read '\(file)'")
            }
            bytes = Array(data)
        } else {
            bytes = Array((text ?? "").utf8)
        }
        if stats {
            try printStats(tokenizer, bytes, loadSeconds: loadSeconds)
            return
        }
        let ids = try tokenizer.encode(bytes: bytes, parseSpecial: !noSpecial, addBOS: bos)
        let pieces = ids.map { Self.piece(tokenizer.tokenBytes($0)) }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let output = try encoder.encode(Output(ids: ids, pieces: pieces))
            print(String(decoding: output, as: UTF8.self))
        } else {
            let width = String(tokenizer.vocabularySize - 1).count
            for (id, piece) in zip(ids, pieces) {
                let padded = String(repeating: " ", count: max(0, width - String(id).count)) + String(id)
                print("\(padded)  \(piece.debugDescription)")
            }
        }
    }

    /// Encodes `repetitions` times; prints the id count and the fastest wall and thread-CPU times.
    private func printStats(_ tokenizer: Tokenizer, _ bytes: [UInt8], loadSeconds: Double) throws {
        var ids: [Int] = []
        var best = Double.infinity, bestCPU = Double.infinity
        for _ in 0..<repetitions {
            let start = ContinuousClock.now, startCPU = Self.threadCPUSeconds()
            ids = try tokenizer.encode(bytes: bytes, parseSpecial: !noSpecial, addBOS: bos)
            bestCPU = min(bestCPU, Self.threadCPUSeconds() - startCPU)
            best = min(best, Self.seconds(ContinuousClock.now - start))
        }
        let result: [String: Double] = [
            "bytes": Double(bytes.count), "ids": Double(ids.count), "load_seconds": loadSeconds,
            "encode_seconds": best, "encode_cpu_seconds": bestCPU,
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        print(String(decoding: try encoder.encode(result), as: UTF8.self))
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (whole, atto) = duration.components
        return Double(whole) + Double(atto) * 1e-18
    }

    /// This thread's CPU time (time spent waiting for a core on a loaded machine is not counted).
    private static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }

    private func modelURL() throws -> URL {
        if let model { return try ModelArguments.url(of: model) }
        guard let url = DefaultModel.locate() else {
            throw CommandError(
                "no model found: pass --model PATH, set \(DefaultModel.environmentVariable), or run Scripts/setup.sh")
        }
        return url
    }

    /// A token's bytes as text, with `<0xHH>` for each byte that is not part of a whole UTF-8
    /// character in the token.
    static func piece(_ bytes: [UInt8]) -> String {
        var result = ""
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            let length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0
            if length > 0, index + length <= bytes.count,
                let character = String(validating: bytes[index..<index + length], as: UTF8.self)
            {
                result += character
                index += length
            } else {
                let hex = String(lead, radix: 16, uppercase: true)
                result += "<0x" + (hex.count < 2 ? "0" + hex : hex) + ">"
                index += 1
            }
        }
        return result
    }

    private struct Output: Encodable {
        let ids: [Int]
        let pieces: [String]
    }

    /// A failure of the command itself (no model, unreadable file).
    private struct CommandError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}

