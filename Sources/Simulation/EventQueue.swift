/// A min-heap of simulation events ordered by (time, priority, sequence): ties at one instant run in
/// a fixed order (nodes become ready before demand changes, before the planning step), and equal
/// events run in the order they were scheduled, which makes every replay deterministic.
struct EventQueue<Payload> {
    private struct Entry {
        var time: Double
        var priority: Int
        var sequence: Int
        var payload: Payload

        func precedes(_ other: Entry) -> Bool {
            (time, priority, sequence) < (other.time, other.priority, other.sequence)
        }
    }

    private var heap: [Entry] = []
    private var sequence = 0

    var isEmpty: Bool { heap.isEmpty }

    mutating func schedule(_ payload: Payload, at time: Double, priority: Int) {
        heap.append(Entry(time: time, priority: priority, sequence: sequence, payload: payload))
        sequence += 1
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func next() -> (time: Double, payload: Payload)? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let top = heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < heap.count, heap[left].precedes(heap[smallest]) { smallest = left }
            if right < heap.count, heap[right].precedes(heap[smallest]) { smallest = right }
            guard smallest != parent else { break }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
        return (top.time, top.payload)
    }
}
