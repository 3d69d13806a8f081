/// Token texts → ids, looked up by raw bytes without building a `String`: an open-addressing
/// hash table (FNV-1a) over one buffer holding every text.
///
/// - Complexity: building is O(total text bytes); a lookup hashes and compares the bytes once
///   (plus collisions). No allocation after building.
struct TokenTextTable: Sendable {
    private let storage: [UInt8]
    /// `starts[id]..<starts[id + 1]` is token `id`'s text in `storage`.
    private let starts: [Int32]
    /// Ids by hash slot; -1 = empty. The count is a power of two, at least twice the vocabulary.
    private let slots: [Int32]
    /// The first id whose text an earlier id already has, as (earlier, later); `nil` if none.
    let firstDuplicate: (first: Int, second: Int)?

    /// A table of `texts`, index = id. A text that occurs twice keeps its first id.
    init(texts: [String]) {
        var storage: [UInt8] = []
        var starts: [Int32] = [0]
        starts.reserveCapacity(texts.count + 1)
        for text in texts {
            storage.append(contentsOf: text.utf8)
            starts.append(Int32(storage.count))
        }
        var capacity = 16
        while capacity < 2 * texts.count { capacity <<= 1 }
        var slots = [Int32](repeating: -1, count: capacity)
        var duplicate: (Int, Int)?
        storage.withUnsafeBufferPointer { bytes in
            for id in texts.indices {
                let text = UnsafeBufferPointer(rebasing: bytes[Int(starts[id])..<Int(starts[id + 1])])
                var slot = Int(truncatingIfNeeded: Self.hash(text)) & (capacity - 1)
                while true {
                    let occupant = slots[slot]
                    if occupant < 0 {
                        slots[slot] = Int32(id)
                        break
                    }
                    let other = UnsafeBufferPointer(
                        rebasing: bytes[Int(starts[Int(occupant)])..<Int(starts[Int(occupant) + 1])])
                    if other.elementsEqual(text) {
                        if duplicate == nil { duplicate = (Int(occupant), id) }
                        break
                    }
                    slot = (slot + 1) & (capacity - 1)
                }
            }
        }
        self.storage = storage
        self.starts = starts
        self.slots = slots
        self.firstDuplicate = duplicate
    }

    /// The id of the token whose text is exactly `bytes`, or `nil`.
    func id(of bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: Self.hash(bytes)) & mask
        return storage.withUnsafeBufferPointer { storage in
            while true {
                let id = slots[slot]
                guard id >= 0 else { return nil }
                let start = Int(starts[Int(id)]), end = Int(starts[Int(id) + 1])
                if end - start == bytes.count,
                    bytes.count == 0 || memcmpEqual(storage.baseAddress! + start, bytes.baseAddress!, bytes.count)
                {
                    return id
                }
                slot = (slot + 1) & mask
            }
        }
    }

    /// The id of the token whose text is `text`, or `nil`.
    func id(of text: String) -> Int32? {
        var text = text
        return text.withUTF8 { id(of: $0) }
    }

    private func memcmpEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        for index in 0..<count where a[index] != b[index] { return false }
        return true
    }

    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash ^ (hash >> 29)
    }
}
