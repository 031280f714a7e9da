import Genome

/// Where a gene can break as a fusion partner, by the convention of real exon-junction
/// breakpoints (the one FusionAI's positives follow and ``SpliceSites`` checks):
///
/// - head (5' partner): the last base of an exon that is not its transcript's last exon, in
///   transcript orientation: `exon.end` on `+`, `exon.start` on `-`. The intron's donor `GT`
///   follows it.
/// - tail (3' partner): the first base of an exon that is not its transcript's first exon:
///   `exon.start` on `+`, `exon.end` on `-`. The intron's acceptor `AG` precedes it.
///
/// Positions are 1-based, pooled over all transcripts of the gene and deduplicated.
public struct ExonBoundaries: Sendable, Hashable {
    /// Head breakpoint positions, ascending.
    public var head: [Int]
    /// Tail breakpoint positions, ascending.
    public var tail: [Int]

    public init(head: [Int], tail: [Int]) {
        self.head = head
        self.tail = tail
    }

    /// The boundaries of `model`'s transcripts with two exons or more (none for an unknown strand).
    public init(model: GeneModels.Model) {
        var head = Set<Int>()
        var tail = Set<Int>()
        let minus = model.gene.strand == .minus
        if model.gene.strand != .unknown {
            for transcript in model.transcripts where transcript.exons.count >= 2 {
                let exons = transcript.exons  // transcript order
                for exon in exons.dropLast() { head.insert(minus ? exon.lowerBound : exon.upperBound) }
                for exon in exons.dropFirst() { tail.insert(minus ? exon.upperBound : exon.lowerBound) }
            }
        }
        self.init(head: head.sorted(), tail: tail.sorted())
    }

    /// Whether the gene can be both a head and a tail.
    public var isUsable: Bool { !head.isEmpty && !tail.isEmpty }
}
