#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Owns the bytes of a GGUF file: a read-only private memory mapping, or an aligned heap copy
/// for in-memory buffers. Released in `deinit`.
///
/// A class because it owns a resource (the mapping) whose address views point into: copies must
/// share it, and it must be released exactly once. `@unchecked Sendable` because the bytes are
/// never written after `init` (the mapping is `PROT_READ`), so sharing across tasks is safe.
final class GGUFStorage: @unchecked Sendable {
    /// The file's bytes; valid for the lifetime of this object.
    let bytes: UnsafeRawBufferPointer
    private let isMapped: Bool

    /// Maps the file at `path` read-only.
    init(mapping path: String) throws(GGUFError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { throw .fileNotFound(path: path) }
            if code == EISDIR { throw .notARegularFile(path: path) }
            throw .cannotRead(path: path, errno: code)
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .cannotRead(path: path, errno: errno) }
        guard (status.st_mode & S_IFMT) == S_IFREG else { throw .notARegularFile(path: path) }
        guard status.st_size > 0 else { throw .emptyFile(path: path) }
        guard let size = Int(exactly: status.st_size) else { throw .cannotRead(path: path, errno: EFBIG) }
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED else {
            throw .cannotRead(path: path, errno: errno)
        }
        bytes = UnsafeRawBufferPointer(start: UnsafeRawPointer(address), count: size)
        isMapped = true
    }

    /// Copies `source` into a 64-byte-aligned heap buffer.
    init(copying source: UnsafeRawBufferPointer) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(source.count, 1), alignment: 64)
        if let base = source.baseAddress, source.count > 0 {
            buffer.baseAddress!.copyMemory(from: base, byteCount: source.count)
        }
        bytes = UnsafeRawBufferPointer(start: buffer.baseAddress, count: source.count)
        isMapped = false
    }

    deinit {
        guard let base = bytes.baseAddress else { return }
        if isMapped {
            munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
        } else {
            UnsafeMutableRawPointer(mutating: base).deallocate()
        }
    }
}
