import GGUF

/// libFuzzer entry point: the input is a whole GGUF file, parsed from memory, then read as a
/// Llama model's hyperparameters and tensor shapes (what model loading validates first).
///
/// Oracle: the parser either throws a `GGUFError` or yields a tensor table whose every tensor
/// lies inside the data section of the file (a file without tensors may end before its aligned
/// data offset); each tensor's bytes are then read in full so AddressSanitizer checks the views.
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
    precondition(file.fileSize == size, "file size \(file.fileSize) differs from input size \(size)")
    for tensor in file.tensors {
        precondition(
            tensor.offset >= file.dataOffset && tensor.byteCount >= 0 && tensor.offset <= size - tensor.byteCount,
            "tensor \(tensor.name) at \(tensor.offset)+\(tensor.byteCount) outside data \(file.dataOffset)..<\(size)")
        precondition(file.tensor(named: tensor.name) != nil, "tensor \(tensor.name) not found by name")
        // Reads every byte of the view into a global, so the optimizer keeps the loads.
        checksum = file.bytes(of: tensor).reduce(checksum, &+)
    }
    do {
        try LlamaHyperparameters(file: file).validateTensors(in: file)
    } catch {
        return 0
    }
    return 0
}
