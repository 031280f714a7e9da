/// The strand of a gene or breakpoint on the reference; `.unknown` where a source gives none (`.`).
public enum Strand: Character, Sendable, Hashable, CaseIterable {
    case plus = "+"
    case minus = "-"
    case unknown = "."

    /// Parses `+`, `-` or `.`; nil for anything else.
    public init?(_ text: Substring) {
        guard text.utf8.count == 1, let c = text.first, let s = Strand(rawValue: c) else { return nil }
        self = s
    }

    public var symbol: String { String(rawValue) }
}
