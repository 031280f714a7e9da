import Genome
import Support

/// Step 1 of the FusionAI protocol: fusion calls in, FusionAI rows out.
///
/// With a genome, each record gets its head and tail windows (``WindowRule``); without one, the
/// records are written as normalised 8-column rows. Rows stream through in batches, so memory does
/// not grow with the input; windows of a batch are built on `threads` threads, each with its own
/// genome reader, and written in input order.
public struct PrepareJob {
    /// The outputs of a run; every one but `table` is optional.
    public struct Outputs {
        public var table: OutputFile
        public var fasta: OutputFile?
        public var rejects: OutputFile?
        public var qc: OutputFile?

        public init(table: OutputFile, fasta: OutputFile? = nil, rejects: OutputFile? = nil, qc: OutputFile? = nil) {
            self.table = table
            self.fasta = fasta
            self.rejects = rejects
            self.qc = qc
        }
    }

    public var genome: ReferenceGenome?
    public var writeHeader = false
    public var keepSourceColumns = false
    /// Stop at the first rejected row instead of counting it.
    public var strict = false
    public var threads = 1
    public var batchSize = 512

    public init(genome: ReferenceGenome? = nil) {
        self.genome = genome
    }

    /// Reads `source` (one file or several) to its end and writes the outputs (the caller commits them).
    /// With several files, the table gets ``PreparedRowFormatter/originColumns`` and the rejects and QC
    /// files a `file` column first, so each row can be traced to its file.
    /// - Parameter progress: called after each batch with the rows read so far and the fraction of
    ///   the input read (nil when unknown).
    /// - Throws: ``FusionInputError`` (unreadable input, or a rejection under `strict`),
    ///   ``GenomeError`` (the genome cannot be read), ``OutputError``.
    public func run(
        _ source: some FusionRowSource, to outputs: Outputs, progress: (Int, Double?) -> Void = { _, _ in }
    ) throws -> PrepareSummary {
        let multiple = source.isMultiple
        var summary = PrepareSummary(format: source.first.format)
        let formatter = PreparedRowFormatter(keepSourceColumns: keepSourceColumns, withOrigin: multiple)
        // Without a genome the workers only parse and format; with one each also reads the genome.
        let workers = try (0..<max(1, threads)).map { _ in try genome?.makeReader() }
        var headerWritten = !writeHeader
        let fileColumn = multiple ? "file\t" : ""
        try outputs.rejects?.write(fileColumn + "line\treason\tdetail\trow\n")
        try outputs.qc?.write(
            fileColumn + "line\tfusion\thead_chr_in_genome\ttail_chr_in_genome\thead_padded_nt\ttail_padded_nt\t"
                + "window_clipped\thead_donor\ttail_acceptor\tsplice_canonical\n"
        )

        /// Writes one prepared row of `item` and counts it.
        func write(_ row: PreparedRow, _ item: SourceRow) throws {
            let file = multiple ? item.reader.path + "\t" : ""
            switch row {
            case .ignored:
                return
            case .rejected(let rejection, let strandsFilled):
                summary.rows += 1
                summary.strandsFromAnnotation += strandsFilled
                if strict {
                    throw FusionInputError(
                        .rejectedRow, path: item.reader.path, line: rejection.line,
                        "\(rejection.reason.rawValue): \(rejection.detail) (without --strict such rows are "
                            + "skipped and counted)"
                    )
                }
                summary.rejected[rejection.reason, default: 0] += 1
                try outputs.rejects?.write(
                    "\(file)\(rejection.line)\t\(rejection.reason.rawValue)\t\(rejection.detail)\t\(item.raw.text)\n")
            case .written(let written):
                summary.rows += 1
                if !headerWritten {
                    try outputs.table.write(
                        formatter.header(
                            withWindows: genome != nil, label: written.record.label != nil,
                            extraNames: extraColumnNames(item.reader, written.record)))
                    headerWritten = true
                }
                try outputs.table.write(written.table)
                summary.written += 1
                summary.strandsFromAnnotation += written.strandsFilled
                if let fasta = written.fasta { try outputs.fasta?.write(fasta) }
                if let qc = written.qc { try outputs.qc?.write(file + qc) }
                if let windows = written.windows { account(written.record, windows, &summary) }
            }
        }

        var batch: [SourceRow] = []
        var done = false
        while !done {
            batch.removeAll(keepingCapacity: true)
            while batch.count < batchSize, let row = try source.nextRow() { batch.append(row) }
            done = batch.count < batchSize

            let prepared = try prepareRows(
                batch, source: source, workers: workers, formatter: formatter,
                fasta: outputs.fasta != nil, qc: outputs.qc != nil)
            for (item, row) in zip(batch, prepared) {
                try write(row.first, item)
                for further in row.further { try write(further, item) }
            }
            progress(summary.rows, source.fractionRead)
        }
        if !headerWritten {
            try outputs.table.write(formatter.header(withWindows: genome != nil, label: false, extraNames: []))
        }
        return summary
    }

    /// A batch row, ready to write.
    private enum PreparedRow {
        /// A comment, blank line or repeated header: not a row.
        case ignored
        /// A rejection; `strandsFilled` counts strands the annotation gave before windows were refused.
        case rejected(Rejection, strandsFilled: Int)
        case written(WrittenRow)
    }

    /// A record and its output bytes.
    private struct WrittenRow {
        let record: FusionRecord
        let windows: PreparedWindows?
        let table: [UInt8]
        let fasta: [UInt8]?
        let qc: String?
        /// Strands the annotation filled in.
        let strandsFilled: Int
    }

    /// A source row's prepared results: one, or more for a row holding several calls (PRADA).
    private struct PreparedSourceRow {
        let first: PreparedRow
        let further: [PreparedRow]
    }

    /// Parses a batch and builds its windows and output bytes on the workers' threads, so the
    /// serial part of a run is only reading lines and writing.
    private func prepareRows(
        _ batch: [SourceRow], source: some FusionRowSource, workers: [SequenceReader?],
        formatter: PreparedRowFormatter, fasta: Bool, qc: Bool
    ) throws -> [PreparedSourceRow] {
        let rows = parallelMap(count: batch.count, states: workers) { reader, i in
            let parsed = source.parse(batch[i])
            return Result {
                PreparedSourceRow(
                    first: try prepare(
                        parsed.result, strandsFilled: parsed.strandsFilled, reader: reader, formatter: formatter,
                        fasta: fasta, qc: qc),
                    further: try parsed.further.map {
                        try prepare($0, strandsFilled: 0, reader: reader, formatter: formatter, fasta: fasta, qc: qc)
                    })
            }
        }
        return try rows.map { try $0.get() }
    }

    /// One parsed result with its windows (given a genome) and output bytes.
    private func prepare(
        _ result: RowResult, strandsFilled: Int, reader: SequenceReader?, formatter: PreparedRowFormatter,
        fasta: Bool, qc: Bool
    ) throws -> PreparedRow {
        let record: FusionRecord
        switch result {
        case .record(let r): record = r
        case .rejected(let rejection): return .rejected(rejection, strandsFilled: strandsFilled)
        case .ignored: return .ignored
        }
        guard let genome, let reader else {
            return .written(
                WrittenRow(
                    record: record, windows: nil, table: formatter.row(record, windows: nil), fasta: nil, qc: nil,
                    strandsFilled: strandsFilled))
        }
        switch try PreparedWindows.build(for: record, genome: genome, reader: reader) {
        case .failure(let rejection): return .rejected(rejection, strandsFilled: strandsFilled)
        case .success(let w):
            return .written(
                WrittenRow(
                    record: record, windows: w, table: formatter.row(record, windows: (w.head, w.tail)),
                    fasta: fasta ? FASTAFormatter.entry(record, w) : nil, qc: qc ? Self.qcLine(record, w) : nil,
                    strandsFilled: strandsFilled))
        }
    }

    private static func qcLine(_ record: FusionRecord, _ w: PreparedWindows) -> String {
        let canonical = w.splice.hasCanonicalDonor && w.splice.hasCanonicalAcceptor
        return
            "\(record.line)\t\(record.name)\t\(w.headAlias ?? record.head.chromosome)\t"
            + "\(w.tailAlias ?? record.tail.chromosome)\t\(w.headPadding)\t\(w.tailPadding)\t"
            + "\(w.isClipped ? "yes" : "no")\t\(w.splice.donor)\t\(w.splice.acceptor)\t"
            + "\(canonical ? "yes" : "no")\n"
    }

    private func account(_ record: FusionRecord, _ w: PreparedWindows, _ summary: inout PrepareSummary) {
        summary.windowed += 1
        if w.isClipped { summary.clipped += 1 }
        if w.splice.hasCanonicalDonor { summary.canonicalDonors += 1 }
        if w.splice.hasCanonicalAcceptor { summary.canonicalAcceptors += 1 }
        if let alias = w.headAlias { summary.aliases[record.head.chromosome] = alias }
        if let alias = w.tailAlias { summary.aliases[record.tail.chromosome] = alias }
    }

    private func extraColumnNames(_ reader: FusionReader, _ record: FusionRecord) -> [String] {
        if keepSourceColumns {
            return reader.header ?? record.sourceFields.indices.map { "source\($0 + 1)" }
        }
        let own = reader.format == .fusionaiData ? 11 : 8
        if let header = reader.header, reader.format == .fusionai || reader.format == .fusionaiData, header.count > own
        {
            return Array(header[own...])
        }
        return record.extraFields.indices.map { "extra\($0 + 1)" }
    }
}
