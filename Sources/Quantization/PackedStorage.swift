/// The memory of a packed matrix: 64-byte aligned, written once by `ck_pack`, then only read
/// (hence `@unchecked Sendable`), freed with the last matrix that refers to it.
final class PackedStorage: @unchecked Sendable {
    let bytes: UnsafeMutableRawPointer

    init(byteCount: Int) {
        bytes = .allocate(byteCount: byteCount, alignment: 64)
    }

    deinit {
        bytes.deallocate()
    }
}
