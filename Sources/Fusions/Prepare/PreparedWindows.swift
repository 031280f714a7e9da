import Genome

/// The windows built for one record, with what QC needs to know about them.
public struct PreparedWindows: Sendable {
    public let head: [UInt8]
    public let tail: [UInt8]
    /// N bases added where a window ran past a chromosome end.
    public let headPadding: Int
    public let tailPadding: Int
    /// The genome's names for the chromosomes, when they differ from the record's (aliases).
    public let headAlias: String?
    public let tailAlias: String?
    public let splice: SpliceSites

    /// True when either window was N-padded (`window_clipped`).
    public var isClipped: Bool { headPadding > 0 || tailPadding > 0 }

    /// Builds both windows of `record` by ``WindowRule``.
    /// - Returns: the windows, or the rejection (unknown strand or chromosome, position outside it).
    /// - Throws: ``GenomeError`` when the genome file cannot be read (a run-stopping failure).
    public static func build(
        for record: FusionRecord, genome: ReferenceGenome, reader: SequenceReader
    ) throws -> Result<PreparedWindows, Rejection> {
        var built: [(bases: [UInt8], padded: Int, alias: String?)] = []
        for (side, label) in [(record.head, "head"), (record.tail, "tail")] {
            guard side.strand != .unknown else {
                return .failure(
                    Rejection(
                        .unknownStrand, line: record.line,
                        "\(label) partner \(side.gene) has strand '.'; give --annotation GENES.gtf so its gene's "
                            + "strand can be used"
                    ))
            }
            guard let chromosome = genome.names.resolve(side.chromosome) else {
                let why =
                    genome.names.buildMismatch(side.chromosome).map {
                        "\($0): a genome of the caller's build is needed"
                    }
                    ?? "also tried aliases such as chr1/1, chrM/MT"
                return .failure(
                    Rejection(
                        .unknownChromosome, line: record.line,
                        "\(label) chromosome '\(side.chromosome)' is not in the genome \(genome.path) (\(why))"
                    ))
            }
            guard side.position <= chromosome.length else {
                return .failure(
                    Rejection(
                        .positionOutOfRange, line: record.line,
                        "\(label) position \(side.position) is past the end of \(chromosome.name) "
                            + "(\(chromosome.length) nt): a different genome build?"
                    ))
            }
            let window = try WindowRule.window(
                in: reader, chromosome: chromosome, position: side.position, strand: side.strand)
            built.append((window.bases, window.padded, chromosome.isAlias ? chromosome.name : nil))
        }
        let splice = SpliceSites(
            head: built[0].bases, headStrand: record.head.strand, tail: built[1].bases, tailStrand: record.tail.strand)
        return .success(
            PreparedWindows(
                head: built[0].bases, tail: built[1].bases, headPadding: built[0].padded, tailPadding: built[1].padded,
                headAlias: built[0].alias, tailAlias: built[1].alias, splice: splice))
    }
}
