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
    /// Checks the strand against the gene's on this chromosome in `annotation`: an unknown strand
    /// takes the annotation's, and a known one that differs from it is kept and noted in `check`.
    mutating func check(against annotation: GeneAnnotation, line: Int, _ check: inout StrandCheck) {
        guard let known = annotation.strand(ofGene: gene, chromosome: chromosome, position: position) else { return }
        if strand == .unknown {
            strand = known
            check.filled += 1
        } else if strand != known {
            check.noteContradiction(
                "line \(line): \(gene) at \(chromosome):\(position) is \(strand.symbol) in the call, "
                    + "\(known.symbol) in the annotation")
        }
    }
}

/// What a gene annotation said of the strands of the calls read.
public struct StrandCheck: Sendable, Equatable {
    /// How many contradictions ``examples`` keeps.
    static let examplesKept = 3

    /// Strands the caller left unknown (`.`) that the annotation gave.
    public internal(set) var filled = 0
    /// Partners whose strand, as the caller gives it, is not their gene's in the annotation (an
    /// antisense call, or an annotation of another release): the caller's is kept.
    public internal(set) var contradicted = 0
    /// The first contradictions, one line each (`line 12: BCR at chr22:23632600 is - in the call, ...`).
    public internal(set) var examples: [String] = []

    public init() {}

    mutating func noteContradiction(_ example: String) {
        contradicted += 1
        if examples.count < Self.examplesKept { examples.append(example) }
    }

    /// Adds `other`'s counts and examples to these.
    public mutating func add(_ other: StrandCheck) {
        filled += other.filled
        contradicted += other.contradicted
        examples += other.examples.prefix(Self.examplesKept - examples.count)
    }
}
