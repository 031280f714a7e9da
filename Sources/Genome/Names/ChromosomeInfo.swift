/// One sequence of a genome: its name as the file writes it, and its length in bases.
public struct ChromosomeInfo: Sendable, Hashable {
    public let name: String
    public let length: Int

    /// No position of any input may lie beyond this (2^40, 200 times the longest chromosome known):
    /// a bound that keeps window arithmetic far from overflow without a genome to check against.
    public static let largestPosition = 1 << 40

    public init(name: String, length: Int) {
        self.name = name
        self.length = length
    }
}
