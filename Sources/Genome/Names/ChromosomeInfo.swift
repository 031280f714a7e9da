/// One sequence of a genome: its name as the file writes it, and its length in bases.
public struct ChromosomeInfo: Sendable, Hashable {
    public let name: String
    public let length: Int

    public init(name: String, length: Int) {
        self.name = name
        self.length = length
    }
}
