import Foundation
import Fusions
import Genome
import Support

/// Step 1: fusion calls in, FusionAI rows (with their 20-kb windows when a genome is given) out.
public enum PrepareStep {
    public struct Options: Sendable {
        /// Fusion calls (any supported caller, plain or gzip), each detected on its own; `-` reads standard
        /// input. With several, the table gains `source` and `caller` columns.
        public var inputs: [String]
        /// The first input; setting it reads that file alone.
        public var input: String {
            get { inputs.first ?? "-" }
            set { inputs = [newValue] }
        }
        /// Reference genome; without one the records are written as normalised 8-column rows.
        public var genome: String?
        /// The input's format; nil tells it from the header.
        public var format: FusionFormat?
        /// The columns of a table in no known format (overrides `format`); a `.csv` input is read with
        /// commas (``ColumnMapping/separated(for:)``).
        public var columns: ColumnMapping?
        /// Gene annotation (GTF) supplying strands a caller leaves out.
        public var annotation: String?
        /// The table; `-` is standard output.
        public var output = "-"
        public var header = false
        /// Each model input as FASTA.
        public var fasta: String?
        public var rejects: String?
        public var qc: String?
        /// Stop at the first rejected row instead of counting it.
        public var strict = false
        public var keepSourceColumns = false
        public var threads = 1

        public init(input: String) {
            inputs = [input]
        }

        public init(inputs: [String]) {
            self.inputs = inputs
        }
    }

    public struct Result: Sendable {
        public let summary: PrepareSummary
        /// The files written (the table, unless it went to standard output, and the optional ones).
        public let written: [String]
    }

    /// - Throws: ``FusionInputError``, ``GenomeError``, ``OutputError``; no output is left behind
    ///   by a failed run.
    public static func run(_ options: Options, log: StepLog = .silent) throws -> Result {
        let inputs = options.inputs + [options.genome, options.annotation].compactMap { $0 }
        let paths = [options.output, options.fasta, options.rejects, options.qc].compactMap { $0 }
        try OutputTarget.requireDistinctOutputs(paths)
        for output in paths { try OutputTarget.requireDistinct(output, from: inputs) }
        var job = PrepareJob()
        job.writeHeader = options.header
        job.strict = options.strict
        job.keepSourceColumns = options.keepSourceColumns
        job.threads = options.threads
        if let path = options.genome {
            let genome = try ReferenceGenome(path: path)
            for note in genome.notes { log.info(note) }
            log.info(
                "genome \(path): \(genome.format.rawValue), \(genome.sequences.count) sequence(s), "
                    + "\(genome.totalLength) nt, build \(genome.build.label)")
            job.genome = genome
        }
        let genes = try options.annotation.map { path in
            let genes = try GeneAnnotation(gtfPath: path)
            log.info("annotation \(path): \(genes.genes.count) genes")
            return genes
        }
        let reader = try MultiFusionReader(
            paths: options.inputs, format: options.format, columns: options.columns, annotation: genes)
        for file in reader.readers { log.info("input \(file.path): \(file.format.displayName) format") }
        // Kept columns go under the first file's header: another layout's values would sit under its names.
        if options.keepSourceColumns, let first = reader.readers.first,
            let other = reader.readers.first(where: { $0.format != first.format || $0.header != first.header })
        {
            throw StepError(
                .nothingUsable, path: other.path,
                "has other columns than \(first.path) (\(other.format.displayName) against "
                    + "\(first.format.displayName)): --keep-columns needs inputs of one layout; prepare them apart")
        }

        // A killed earlier prepare of the same outputs left its temporaries behind.
        OutputFile.removeStaleTemporaries(
            of: [options.output, options.fasta, options.rejects, options.qc].compactMap { $0 })
        let outputs = try PrepareJob.Outputs(
            table: OutputFile(path: options.output, threads: options.threads),
            fasta: options.fasta.map { try OutputFile(path: $0) },
            rejects: options.rejects.map { try OutputFile(path: $0) },
            qc: options.qc.map { try OutputFile(path: $0) })
        let files = [outputs.table, outputs.fasta, outputs.rejects, outputs.qc].compactMap { $0 }
        // Uncommitted OutputFiles discard themselves: a failed run leaves no partial file.
        let summary = try job.run(reader, to: outputs) { rows, fraction in
            log.progress(.rows(rows, fraction: fraction))
        }
        let formats = Set(reader.readers.map(\.format))
        if let failure = StepError.everyRowMalformed(
            summary.rejected, rows: summary.rows, inputs: options.inputs,
            formats: formats.map(\.displayName).sorted().joined(separator: ", "))
        {
            // The rejects say why; the other outputs are discarded.
            try outputs.rejects?.commit()
            throw failure
        }
        for file in files { try file.commit() }
        report(summary, options, formats: formats, log)
        let written = [options.output, options.fasta, options.rejects, options.qc].compactMap { $0 }
        return Result(summary: summary, written: written.filter { $0 != "-" })
    }

    private static func report(_ s: PrepareSummary, _ options: Options, formats: Set<FusionFormat>, _ log: StepLog) {
        let destination = options.output == "-" ? "standard output" : options.output
        // A PRADA row holds one call per Junction entry: each entry is counted as a row.
        let entries = formats.contains(.prada) ? " (PRADA: one per Junction entry)" : ""
        log.info(
            "\(s.rows) row(s) read\(entries), \(s.written) written to \(destination), \(s.totalRejected) rejected")
        log.rejected(s.rejected, rows: s.rows, listed: options.rejects != nil)
        log.strands(s.strands)
        if !s.aliases.isEmpty {
            let pairs = s.aliases.sorted { $0.key < $1.key }.map { "\($0.key) -> \($0.value)" }
            log.info("chromosome aliases used: \(pairs.joined(separator: ", "))")
        }
        if s.clipped > 0 {
            log.info(
                "\(s.clipped) row(s) have a window past a chromosome end, padded with N "
                    + "(window_clipped\(options.qc == nil ? "; see --qc FILE" : ""))")
        }
        if s.windowed > 0 {
            log.info(
                "splice sites: \(s.canonicalDonors) of \(s.windowed) head breakpoints have a GT/GC donor after them, "
                    + "\(s.canonicalAcceptors) tail breakpoints an AG acceptor before them")
        }
        if s.spliceSitesMostlyMissing {
            log.warning(
                "most rows lack the GT/AG splice dinucleotides of exon-junction breakpoints: coordinates and genome "
                    + "may be different builds")
        }
    }
}
