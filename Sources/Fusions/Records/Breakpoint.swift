import Genome

/// One partner of a fusion: its gene, and the breakpoint's chromosome, 1-based position and strand
/// (the strand the partner is transcribed from).
public struct Breakpoint: Sendable, Hashable {
    public var gene: String
    public var chromosome: String
    /// 1-based position of the breakpoint base: the last base kept of the 5' partner, or the first
    /// base kept of the 3' partner.
    public var position: Int
    public var strand: Strand

    public init(gene: String, chromosome: String, position: Int, strand: Strand) {
        self.gene = gene
        self.chromosome = chromosome
        self.position = position
        self.strand = strand
    }
}

extension Breakpoint {
    /// Sets an unknown strand to the gene's in `annotation`, where it gives one.
    /// - Returns: whether the strand was filled.
    mutating func fillStrand(from annotation: GeneAnnotation) -> Bool {
        guard strand == .unknown, let known = annotation.strand(ofGene: gene, chromosome: chromosome) else {
            return false
        }
        strand = known
        return true
    }
}
