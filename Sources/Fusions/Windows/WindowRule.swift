import Genome

/// FusionAI's 10-kb window around one breakpoint, checked byte for byte against the published data:
/// the 1-based interval `[position - 4999, position + 5000]`, reverse-complemented on the `-` strand,
/// so the window always reads in the partner's transcript orientation.
public enum WindowRule {
    /// Bases in one window.
    public static let length = 10_000
    /// Bases before the breakpoint base in genome order: the window starts at `position - upstream`.
    public static let upstream = 4_999

    /// Index of the breakpoint base in its window (the window reads backwards on `-`).
    public static func breakpointIndex(strand: Strand) -> Int {
        strand == .minus ? length - 1 - upstream : upstream
    }

    /// The 1-based genome span of the window of `position`: `[position - 4999, position + 5000]`.
    public static func span(around position: Int) -> ClosedRange<Int> {
        (position - upstream)...(position - upstream + length - 1)
    }

    /// The 1-based genome position of window index `i`: `position - 4999 + i` on `+`,
    /// `position + 5000 - i` on `-` (the window reads backwards).
    public static func genomePosition(ofIndex i: Int, position: Int, strand: Strand) -> Int {
        strand == .minus ? span(around: position).upperBound - i : span(around: position).lowerBound + i
    }

    /// The window index of 1-based genome position `g` (inside the window's span): the inverse of
    /// ``genomePosition(ofIndex:position:strand:)``.
    public static func index(ofGenomePosition g: Int, position: Int, strand: Strand) -> Int {
        strand == .minus ? span(around: position).upperBound - g : g - span(around: position).lowerBound
    }

    /// The window indices of a 1-based genome range inside the window's span, in window order.
    public static func indices(of genome: ClosedRange<Int>, position: Int, strand: Strand) -> ClosedRange<Int> {
        let a = index(ofGenomePosition: genome.lowerBound, position: position, strand: strand)
        let b = index(ofGenomePosition: genome.upperBound, position: position, strand: strand)
        return min(a, b)...max(a, b)
    }

    /// The 0-based, half-open genome interval of the window of `position` (may reach outside the chromosome).
    public static func interval(around position: Int) -> Range<Int> {
        let start = position - 1 - upstream
        return start..<(start + length)
    }

    /// The window of a breakpoint, N-padded where it runs past either end of the chromosome.
    /// - Parameters:
    ///   - chromosome: the genome sequence (already resolved through aliases) and its length.
    ///   - position: 1-based breakpoint, `1...chromosome.length`.
    ///   - strand: `+` or `-`.
    /// - Returns: the 10,000 bases and how many of them are padding.
    public static func window(
        in reader: SequenceReader, chromosome: ChromosomeNames.Match, position: Int, strand: Strand
    ) throws -> (bases: [UInt8], padded: Int) {
        precondition(strand != .unknown, "a window needs a known strand")
        let wanted = interval(around: position)
        let start = max(0, wanted.lowerBound)
        let end = min(chromosome.length, wanted.upperBound)
        let before = start - wanted.lowerBound
        let after = wanted.upperBound - end
        var bases: [UInt8]
        if before == 0, after == 0 {
            bases = try reader.bases(chromosome.name, from: start, to: end)
        } else {
            bases = [UInt8](repeating: Nucleotides.n, count: before)
            if start < end { bases += try reader.bases(chromosome.name, from: start, to: end) }
            bases += [UInt8](repeating: Nucleotides.n, count: after)
        }
        if strand == .minus { Nucleotides.reverseComplement(&bases) }
        return (bases, before + after)
    }
}
