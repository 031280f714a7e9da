import Fusions
import Genome

/// Where each feature lies inside one fusion's model input: what the report draws under the FIS.
extension FeatureLandscape {
    /// A feature interval inside one fusion's model input.
    public struct Segment: Sendable, Equatable {
        /// 0 in the head window, 1 in the tail window.
        public let part: Int
        /// Input positions (0..<20,000: head window then tail window, each in transcript orientation).
        public let input: Range<Int>
        public let chromosome: String
        /// The same positions in the genome, 1-based.
        public let genome: ClosedRange<Int>
    }

    /// The genome spans of the breakpoint windows of `records`: where the tracks must be read.
    public static func windowSpans(_ records: [FusionRecord]) -> IntervalSet {
        IntervalSet(
            records.flatMap { record in
                [record.head, record.tail].map { ($0.chromosome, WindowRule.span(around: $0.position)) }
            })
    }

    /// Each feature's intervals inside one fusion's model input, in input order; `[feature][segment]`.
    public func tracks(of record: FusionRecord) -> [[Segment]] {
        manifest.features.map { feature in
            [record.head, record.tail].enumerated().flatMap { part, breakpoint in
                let parts = feature.intervals.intersection(
                    chromosome: breakpoint.chromosome, range: WindowRule.span(around: breakpoint.position))
                return (breakpoint.strand == .minus ? parts.reversed() : parts).map { genome in
                    let indices = WindowRule.indices(
                        of: genome, position: breakpoint.position, strand: breakpoint.strand)
                    let offset = part * WindowRule.length
                    return Segment(
                        part: part, input: offset + indices.lowerBound..<offset + indices.upperBound + 1,
                        chromosome: breakpoint.chromosome, genome: genome)
                }
            }
        }
    }
}
