import FuzzSupport
import GGUF
import Logging
import Tokenizer
import Transformer

/// libFuzzer entry point: the input is a whole GGUF file, parsed from memory, then read as a
/// Llama model's hyperparameters and tensor shapes, as a tokenizer (`Tokenizer(file:)`, which
/// then encodes and decodes a fixed text), and loaded as a model (`LlamaModel(file:)`, one
/// thread: the weights are views into the file, so this is the validation and the scratch sizing).
///
/// Oracle: the parser either throws a `GGUFError` or yields a tensor table whose every tensor
/// lies inside the data section of the file (a file without tensors may end before its aligned
/// data offset); each tensor's bytes are then read in full so AddressSanitizer checks the views.
/// The tokenizer and the model load or throw; the tokenizer's ids lie inside its vocabulary.
/// The bytes of the tensors read so far, summed: a sink that keeps their reads alive.
nonisolated(unsafe) var checksum: UInt8 = 0

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let file: GGUFFile
    do {
        file = try GGUFFile(bytes: UnsafeBufferPointer(start: data, count: size))
    } catch {
        return 0
    }
    check(file.fileSize == size, "file size \(file.fileSize) differs from input size \(size)")
    for tensor in file.tensors {
        check(
            tensor.offset >= file.dataOffset && tensor.byteCount >= 0 && tensor.offset <= size - tensor.byteCount,
            "tensor \(tensor.name) at \(tensor.offset)+\(tensor.byteCount) outside data \(file.dataOffset)..<\(size)")
        check(file.tensor(named: tensor.name) != nil, "tensor \(tensor.name) not found by name")
        // Reads every byte of the view into a global, so the optimizer keeps the loads.
        checksum = file.bytes(of: tensor).reduce(checksum, &+)
    }
    if let hyperparameters = try? LlamaHyperparameters(file: file) {
        _ = try? hyperparameters.validateTensors(in: file)
    }
    if let tokenizer = try? Tokenizer(file: file), let ids = try? tokenizer.encode(sample, parseSpecial: true) {
        for id in ids {
            check(0 <= id && id < tokenizer.vocabularySize, "id \(id) outside the vocabulary of \(tokenizer.vocabularySize)")
        }
        _ = try? tokenizer.decode(ids)
    }
    _ = try? LlamaModel(file: file, threads: 1, logger: silent)
    return 0
}

/// Text the loaded tokenizer encodes: words, digits, punctuation, a special-token spelling,
/// non-ASCII letters and an emoji.
let sample = "Hello, world! 123 <s> naïve 日本 🦙\n\tend"

/// A logger that drops every message (model loading logs a summary at `.info`).
let silent = Logger(label: "fuzz") { _ in SwiftLogNoOpLogHandler() }
