import Genome

/// A seqlet in genome coordinates: the on-chromosome part of its span (padding past a chromosome
/// end left out), on its partner's strand, and its distance to that partner's breakpoint.
public struct SeqletPlacement: Sendable, Equatable {
    public let chromosome: String
    /// BED's 0-based start and exclusive end.
    public let start: Int
    public let end: Int
    /// The partner's strand: the seqlet reads in transcript orientation, as the window does.
    public let strand: Strand
    /// 0 when the span holds the breakpoint base, else the distance from the nearer end, nt.
    public let distanceToBreakpoint: Int
    /// 1-based, inclusive window positions of the seqlet (explain's `window_position`).
    public let windowStart: Int
    public let windowEnd: Int

    /// Where `seqlet` lies; nil when all of it is padding.
    public init?(_ seqlet: Seqlet, part: PartPlacement) {
        let onGenome = (seqlet.start..<seqlet.end).filter { part.onGenome[$0] }
        guard let first = onGenome.first, let last = onGenome.last else { return nil }
        let a = part.genomePosition(ofValue: first)
        let b = part.genomePosition(ofValue: last)
        let low = min(a, b)
        let high = max(a, b)
        chromosome = part.chromosome
        start = low - 1
        end = high
        strand = part.strand
        distanceToBreakpoint =
            low <= part.breakpoint && part.breakpoint <= high
            ? 0 : min(abs(low - part.breakpoint), abs(high - part.breakpoint))
        windowStart = part.firstIndex + seqlet.start + 1
        windowEnd = part.firstIndex + seqlet.end
    }
}
