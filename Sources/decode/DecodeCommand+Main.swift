import ArgumentParser
import Foundation

extension DecodeCommand {
    /// Parses and runs the command, reporting every failure as one `error: …` line on stderr
    /// (usage errors and `validate()` failures included) with a non-zero exit; help and
    /// `--version` print as usual.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .success || error is ExitCode { exit(withError: error) }
            let message = message(for: error)
                .split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }.joined(separator: " ")
            if !message.isEmpty { FileHandle.standardError.write(Data("error: \(message)\n".utf8)) }
            exit(withError: ExitCode(code.rawValue))
        }
    }
}
