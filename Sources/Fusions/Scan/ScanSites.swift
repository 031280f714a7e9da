import Genome

/// The breakpoints `fusionai scan` tries on one partner gene, 5' to 3' in transcript orientation.
///
/// Exon sites follow the convention of real exon-junction breakpoints (``ExonBoundaries``): a head
/// breakpoint is the last base of an exon that is not its transcript's last (`exon.end` on `+`,
/// `exon.start` on `-`); a tail breakpoint is the first base of an exon that is not its
/// transcript's first (`exon.start` on `+`, `exon.end` on `-`). A position shared by several
/// transcripts is one site, listing each transcript's exon number.
public struct ScanSites: Sendable {
    /// One exon of one transcript that a site ends or starts.
    public struct TranscriptExon: Sendable, Hashable {
        public let transcript: String
        /// 1-based, in transcript order.
        public let number: Int
    }

    /// One breakpoint to try.
    public struct Site: Sendable, Hashable {
        /// 1-based genome position of the breakpoint base.
        public let position: Int
        /// The exons it is the boundary of, by transcript in annotation order; empty for a region site.
        public let exons: [TranscriptExon]
    }

    public let gene: GeneModels.Model
    /// In transcript order: ascending positions on `+`, descending on `-`.
    public let sites: [Site]

    /// The head breakpoints of `gene`: its exon ends.
    public static func heads(of gene: GeneModels.Model) -> ScanSites { boundaries(of: gene, heads: true) }

    /// The tail breakpoints of `gene`: its exon starts.
    public static func tails(of gene: GeneModels.Model) -> ScanSites { boundaries(of: gene, heads: false) }

    /// Every `stride`-th position of `range` (both ends included when the stride reaches them),
    /// for breakpoints that are not at exon boundaries.
    public static func region(_ range: ClosedRange<Int>, stride step: Int, of gene: GeneModels.Model) -> ScanSites {
        var positions = Array(Swift.stride(from: range.lowerBound, through: range.upperBound, by: max(1, step)))
        if gene.gene.strand == .minus { positions.reverse() }
        return ScanSites(gene: gene, sites: positions.map { Site(position: $0, exons: []) })
    }

    /// Exon ends (`heads`) or starts of the transcripts of two exons or more.
    private static func boundaries(of gene: GeneModels.Model, heads: Bool) -> ScanSites {
        guard gene.gene.strand != .unknown else { return ScanSites(gene: gene, sites: []) }
        let minus = gene.gene.strand == .minus
        var exons: [Int: [TranscriptExon]] = [:]
        for transcript in gene.transcripts where transcript.exons.count >= 2 {
            for (k, exon) in transcript.exons.enumerated() {
                let number = k + 1
                // A transcript's last exon has no end to leave from, its first no start to join.
                if heads ? number == transcript.exons.count : number == 1 { continue }
                // Head on +, tail on -: the exon's upper end; the other two: its lower end.
                let position = heads == minus ? exon.lowerBound : exon.upperBound
                exons[position, default: []].append(TranscriptExon(transcript: transcript.id, number: number))
            }
        }
        var positions = exons.keys.sorted()
        if minus { positions.reverse() }
        return ScanSites(gene: gene, sites: positions.map { Site(position: $0, exons: exons[$0] ?? []) })
    }
}

extension ScanSites {
    /// Reads a breakpoint range `START-END` or `CHR:START-END` (1-based, inclusive; commas allowed
    /// in numbers) on `gene`'s chromosome.
    /// - Parameters:
    ///   - length: the chromosome's length in the genome.
    ///   - option: the option the range was given with, for messages.
    /// - Throws: ``ScanError/Code/badRegion`` when the text is malformed, names another chromosome,
    ///   or runs off the chromosome, saying which.
    public static func range(_ text: String, on gene: GeneModels.Model, length: Int, option: String) throws
        -> ClosedRange<Int>
    {
        var rest = Substring(text)
        let chromosome = gene.gene.chromosome
        if let colon = rest.lastIndex(of: ":") {
            let named = String(rest[..<colon])
            guard ChromosomeNames.same(named, chromosome) else {
                throw ScanError(
                    .badRegion, "\(option) \(text) is on \(named), but \(gene.gene.name) is on \(chromosome)")
            }
            rest = rest[rest.index(after: colon)...]
        }
        let ends = rest.split(separator: "-", omittingEmptySubsequences: false).map {
            Int($0.filter { $0 != "," })
        }
        guard ends.count == 2, let start = ends[0], let end = ends[1] else {
            throw ScanError(.badRegion, "\(option) \(text) is not START-END or CHR:START-END (1-based, inclusive)")
        }
        let problem: String
        if start < 1 {
            problem = "START \(start) is before base 1"
        } else if start > end {
            problem = "START \(start) is past END \(end)"
        } else if end > length {
            problem = "END \(end) is past the end of \(chromosome) (\(length) bases)"
        } else {
            return start...end
        }
        throw ScanError(.badRegion, "\(option) \(text): \(problem)")
    }
}
