import Fusions
import Genome

/// Maps a window index back to the genome: the window of a breakpoint at `bp` covers
/// `[bp - 4999, bp + 5000]`, read forwards on `+` and backwards (reverse complement) on `-`, so
/// index `i` is `bp - 4999 + i` on `+` and `bp + 5000 - i` on `-`.
public struct WindowCoordinates: Sendable, Equatable {
    public let chromosome: String
    public let breakpoint: Int
    public let strand: Strand
    /// Chromosome length, when known: positions past either end are padding.
    public let chromosomeLength: Int?

    public init(chromosome: String, breakpoint: Int, strand: Strand, chromosomeLength: Int?) {
        self.chromosome = chromosome
        self.breakpoint = breakpoint
        self.strand = strand
        self.chromosomeLength = chromosomeLength
    }

    /// The 1-based genome position of window index `i` (0-based), or nil for padding.
    public func position(ofIndex i: Int) -> Int? {
        let p = WindowRule.genomePosition(ofIndex: i, position: breakpoint, strand: strand)
        guard p >= 1, chromosomeLength.map({ p <= $0 }) ?? true else { return nil }
        return p
    }
}
