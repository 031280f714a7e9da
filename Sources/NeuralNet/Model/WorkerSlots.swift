/// One result slot per unit of parallel work, each written by one worker only, in storage that
/// never moves (so concurrent writes to different slots do not race).
public final class WorkerSlots<Value>: @unchecked Sendable {
    private let storage: UnsafeMutablePointer<Value?>
    public let count: Int

    public init(count: Int) {
        self.count = count
        storage = .allocate(capacity: count)
        storage.initialize(repeating: nil, count: count)
    }

    deinit {
        storage.deinitialize(count: count)
        storage.deallocate()
    }

    public func set(_ i: Int, _ value: Value) { storage[i] = value }

    /// The values written, in slot order.
    public var values: [Value] { (0..<count).compactMap { storage[$0] } }
}
