import GGUF

/// libFuzzer entry point: the input is a whole GGUF file, parsed from memory.
///
/// Oracle: the parser either throws a `GGUFError` or yields a tensor table whose every tensor
/// lies inside the data section of the file (a file without tensors may end before its aligned
/// data offset); each tensor's bytes are then read in full so AddressSanitizer checks the views.
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
        // Touches every byte of the view (a debug build keeps the read).
        _ = file.bytes(of: tensor).reduce(0 as UInt8, &+)
    }
    return 0
}
