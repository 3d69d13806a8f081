/// The order of merge candidates in a ``MergeHeap``: which one merges first.
protocol MergeOrdered {
    /// Whether `self` merges before `other`.
    func precedes(_ other: Self) -> Bool
}

/// A binary heap of merge candidates, the first to merge on top, over an array kept between
/// calls (no allocation once it has grown): the queue of the BPE, SentencePiece and Gemma 4
/// encoders.
struct MergeHeap<Element: MergeOrdered> {
    private var elements: [Element] = []

    /// Empties the heap, keeping its storage.
    mutating func removeAll() { elements.removeAll(keepingCapacity: true) }

    /// Adds `element`.
    /// - Complexity: O(log n).
    mutating func push(_ element: Element) {
        elements.append(element)
        var child = elements.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard elements[child].precedes(elements[parent]) else { break }
            elements.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the candidate that merges first, or `nil` when empty.
    /// - Complexity: O(log n).
    mutating func pop() -> Element? {
        guard let last = elements.popLast() else { return nil }
        guard !elements.isEmpty else { return last }
        let top = elements[0]
        elements[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var first = parent
            if left < elements.count, elements[left].precedes(elements[first]) { first = left }
            if right < elements.count, elements[right].precedes(elements[first]) { first = right }
            guard first != parent else { return top }
            elements.swapAt(parent, first)
            parent = first
        }
    }
}
