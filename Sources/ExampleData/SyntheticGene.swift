import Genome

/// A gene planted in a synthetic chromosome: exons separated by introns that start with `GT` and
/// end with `AG` in the gene's own orientation.
public struct SyntheticGene: Sendable {
    public let name: String
    public let chromosome: String
    public let strand: Strand
    /// Exons as 1-based inclusive genome intervals, in genome order.
    public let exons: [ClosedRange<Int>]

    public var start: Int { exons.first?.lowerBound ?? 0 }
    public var end: Int { exons.last?.upperBound ?? 0 }

    /// Exons in transcript order (5' to 3').
    public var transcriptExons: [ClosedRange<Int>] { strand == .minus ? exons.reversed() : exons }

    /// Breakpoints a real fusion would use with this gene as its 5' partner: the last base of each
    /// exon but the last, in transcript orientation.
    public var donorBreakpoints: [Int] {
        transcriptExons.dropLast().map { strand == .minus ? $0.lowerBound : $0.upperBound }
    }

    /// Breakpoints with this gene as the 3' partner: the first base of each exon but the first.
    public var acceptorBreakpoints: [Int] {
        transcriptExons.dropFirst().map { strand == .minus ? $0.upperBound : $0.lowerBound }
    }
}
