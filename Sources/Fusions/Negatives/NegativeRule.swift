/// A rule a fusion-negative pair must obey; a drawn pair that breaks one is rejected and counted
/// under it.
public enum NegativeRule: String, Sendable, CaseIterable, Comparable {
    /// Head and tail drawn from the same gene.
    case sameGene = "same gene"
    /// The genes are neighbours (overlapping, or no other gene between them): a read-through
    /// transcript could join them.
    case neighbours = "neighbouring genes"
    /// Both breakpoints on one chromosome, closer than the minimum distance.
    case tooClose = "breakpoints too close"
    /// The same breakpoints as a pair already made.
    case duplicate = "duplicate pair"

    public static func < (a: NegativeRule, b: NegativeRule) -> Bool { a.rawValue < b.rawValue }
}
