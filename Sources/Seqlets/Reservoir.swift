import SeededRandom

/// A uniform sample of at most `capacity` of the items offered (Vitter's algorithm R), seeded, so
/// memory stays bounded however many are offered.
public struct Reservoir<Item: Sendable>: Sendable {
    public let capacity: Int
    public private(set) var items: [Item] = []
    private var seen = 0
    private var rng: SeededGenerator

    public init(capacity: Int, seed: UInt64) {
        self.capacity = capacity
        rng = SeededGenerator(seed: seed)
    }

    public mutating func offer(_ item: Item) {
        seen += 1
        if items.count < capacity {
            items.append(item)
        } else if capacity > 0 {
            let j = rng.int(in: 0...(seen - 1))
            if j < capacity { items[j] = item }
        }
    }
}
