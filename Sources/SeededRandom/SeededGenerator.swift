/// SplitMix64: a small, fast generator whose sequence is the same on every platform and Swift
/// version, so example data made from a seed is reproducible byte for byte.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `range`, drawn the same way everywhere (Swift's own `Int.random(in:using:)`
    /// may change its algorithm between releases).
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        let span = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int(next() % span)
    }

    /// Fisher-Yates, with ``int(in:)``'s draws, so a seed gives the same order everywhere.
    public mutating func shuffle<T>(_ values: inout [T]) {
        for i in stride(from: values.count - 1, to: 0, by: -1) { values.swapAt(i, int(in: 0...i)) }
    }
}
