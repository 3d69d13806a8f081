import ArgumentParser

/// The `decode` command-line tool: inspect models, tokenize, generate, constrain, speculate, compare.
@main
struct DecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decoding strategies for language models on quantized GGUF files.",
        subcommands: [
            InspectCommand.self, TokenizeCommand.self, GenerateCommand.self, CompareCommand.self,
            BenchCommand.self, ServeCommand.self,
        ])
}
