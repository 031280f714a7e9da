/// What a negatives run did: how the gene pool was narrowed, how many pairs were drawn, and which
/// rule rejected how many.
public struct NegativesSummary: Sendable {
    /// Pairs asked for.
    public var requested = 0
    /// Genes in the annotation.
    public var genes = 0
    /// Genes left out because they are on the known-fusion list.
    public var knownExcluded = 0
    /// Genes left out by the gene-type filter.
    public var typeExcluded = 0
    /// Genes left out for lack of a transcript with two exons or more (or of a strand).
    public var withoutJunctions = 0
    /// Exon boundaries dropped because they lie in an exclusion interval.
    public var boundariesExcluded = 0
    /// Genes left with no head or no tail boundary once exclusions were applied.
    public var genesExcludedByIntervals = 0
    /// Genes pairs were drawn from.
    public var candidateGenes = 0
    /// Pairs drawn in all.
    public var attempts = 0
    /// Drawn pairs rejected, by rule.
    public var rejected: [NegativeRule: Int] = [:]
    /// Pairs made.
    public var made = 0

    public init() {}

    /// The rule that rejected most drawn pairs, with its count.
    public var mostRejecting: (rule: NegativeRule, count: Int)? {
        rejected.max { ($0.value, $1.key) < ($1.value, $0.key) }.map { ($0.key, $0.value) }
    }

    /// True when fewer pairs were made than asked for.
    public var isShort: Bool { made < requested }
}
