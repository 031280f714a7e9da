import Genome
import Support

/// Builds the windows of many records at once on several threads, each with its own genome reader.
public final class WindowBuilder {
    public let genome: ReferenceGenome
    private let readers: [SequenceReader]

    public init(genome: ReferenceGenome, threads: Int) throws {
        self.genome = genome
        readers = try (0..<max(1, threads)).map { _ in try genome.makeReader() }
    }

    /// The windows of each record, or why it has none, in order.
    /// - Throws: ``GenomeError`` when the genome cannot be read.
    public func build(_ records: [FusionRecord]) throws -> [Result<PreparedWindows, Rejection>] {
        let genome = self.genome
        return try parallelMap(count: records.count, states: readers) { reader, i in
            Result { try PreparedWindows.build(for: records[i], genome: genome, reader: reader) }
        }.map { try $0.get() }
    }
}
