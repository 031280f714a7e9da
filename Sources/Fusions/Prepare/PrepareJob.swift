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
    /// Rows read per batch; nil: 512 with a genome (each row then carries 20 kb of windows), 8,192
    /// without one (rows are then a few hundred bytes, and larger batches cost less to hand out).
    public var batchSize: Int?

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
        try outputs.rejects?.write(fileColumn + Rejection.rejectsHeader)
        try outputs.qc?.write(
            fileColumn + "line\tfusion\thead_chr_in_genome\ttail_chr_in_genome\thead_padded_nt\ttail_padded_nt\t"
                + "window_clipped\thead_donor\ttail_acceptor\tsplice_canonical\n"
        )

        let readers = source.readers
        // The origin columns of each file's rows (several inputs), for rows written from bytes.
        let origins: [[UInt8]] = readers.map { multiple ? Array("\t\($0.path)\t\($0.format.rawValue)".utf8) : [] }
        var batch = RowBatch()

        /// Writes one prepared row of batch row `item` and counts it.
        func write(_ row: PreparedRow, _ item: RowBatch.Row) throws {
            let reader = readers[item.file]
            let file = multiple ? reader.path + "\t" : ""
            switch row {
            case .ignored:
                return
            case .rejected(let rejection, let strands):
                summary.rows += 1
                summary.strands.add(strands)
                if strict {
                    throw FusionInputError(
                        .rejectedRow, path: reader.path, line: rejection.line,
                        "\(rejection.reason.rawValue): \(rejection.detail) (without --strict such rows are "
                            + "skipped and counted)"
                    )
                }
                summary.rejected[rejection.reason, default: 0] += 1
                try outputs.rejects?.write(file + rejection.rejectsLine(row: batch.text(of: item)))
            case .written(let written):
                summary.rows += 1
                if !headerWritten {
                    try outputs.table.write(
                        formatter.header(
                            withWindows: genome != nil, label: written.record.label != nil,
                            extraNames: extraColumnNames(reader, written.record)))
                    headerWritten = true
                }
                try outputs.table.write(written.table)
                summary.written += 1
                summary.strands.add(written.strands)
                if let fasta = written.fasta { try outputs.fasta?.write(fasta) }
                if let qc = written.qc { try outputs.qc?.write(file + qc) }
                if let windows = written.windows { account(written.record, windows, &summary) }
            }
        }

        /// Writes a worker's share of the batch in row order: runs of rows written from bytes as
        /// they stand in its table buffer, the others one by one.
        func write(_ chunk: Chunk) throws {
            var flushed = 0
            var end = 0
            for result in chunk.results {
                switch result {
                case .plain(let rowEnd):
                    if !headerWritten {
                        // Rows written from bytes are never FusionAI rows and carry no source columns,
                        // so the header has no label and no extra columns.
                        try outputs.table.write(formatter.header(withWindows: false, label: false, extraNames: []))
                        headerWritten = true
                    }
                    summary.rows += 1
                    summary.written += 1
                    end = rowEnd
                case .prepared(let result, let index):
                    let prepared = try result.get()
                    if end > flushed { try outputs.table.write(chunk.table[flushed..<end]) }
                    flushed = end
                    let item = batch.rows[index]
                    try write(prepared.first, item)
                    for further in prepared.further { try write(further, item) }
                }
            }
            if end > flushed { try outputs.table.write(chunk.table[flushed..<end]) }
        }

        // Without a genome or source columns, plain rows are written from their bytes.
        let plainRows = genome == nil && !keepSourceColumns
        var chunks = workers.map { Chunk(reader: $0) }
        let limit = max(1, batchSize ?? (genome == nil ? 8192 : 512))
        var more = true
        while more {
            batch.removeAll()
            more = try source.read(into: &batch, limit: limit)
            try batch.bytes.withUnsafeBufferPointer { bytes in
                let rows = batch.rows
                parallelChunks(count: rows.count, states: &chunks) { chunk, range in
                    chunk.removeAll()
                    for index in range {
                        let row = rows[index]
                        if plainRows, row.block == nil,
                            readers[row.file].appendPlainRow(
                                UnsafeBufferPointer(rebasing: bytes[row.start..<row.end]), fields: &chunk.fields,
                                to: &chunk.table)
                        {
                            chunk.table.append(contentsOf: origins[row.file])
                            chunk.table.append(10)
                            chunk.results.append(.plain(end: chunk.table.count))
                            continue
                        }
                        let parsed = source.parse(row, bytes: bytes)
                        let prepared = Result {
                            try prepare(
                                parsed, reader: chunk.reader, formatter: formatter, fasta: outputs.fasta != nil,
                                qc: outputs.qc != nil)
                        }
                        chunk.results.append(.prepared(prepared, index: index))
                    }
                }
                // A genome that cannot be read stops the run before any of the batch is written.
                for chunk in chunks {
                    for case .prepared(.failure(let error), _) in chunk.results { throw error }
                }
                for chunk in chunks { try write(chunk) }
            }
            progress(summary.rows, source.fractionRead)
        }
        if !headerWritten {
            try outputs.table.write(formatter.header(withWindows: genome != nil, label: false, extraNames: []))
        }
        return summary
    }

    /// One worker's share of a batch: its rows' results in row order, the table bytes of the rows
    /// written from bytes back to back, and its genome reader. Kept from batch to batch, so the
    /// buffers are allocated once.
    private struct Chunk {
        let reader: SequenceReader?
        var table: [UInt8] = []
        var results: [ChunkRow] = []
        /// Scratch space for splitting a row's fields.
        var fields: [Range<Int>] = []

        init(reader: SequenceReader?) {
            self.reader = reader
        }

        mutating func removeAll() {
            table.removeAll(keepingCapacity: true)
            results.removeAll(keepingCapacity: true)
        }
    }

    /// A worker's result for one batch row.
    private enum ChunkRow {
        /// A row written from its bytes; its table bytes end at `end` in ``Chunk/table``.
        case plain(end: Int)
        /// Any other row, parsed and prepared; `index` is its row in the batch.
        case prepared(Result<PreparedSourceRow, any Error>, index: Int)
    }

    /// A batch row, ready to write.
    private enum PreparedRow {
        /// A comment, blank line or repeated header: not a row.
        case ignored
        /// A rejection, and what the annotation said of its strands before windows were refused.
        case rejected(Rejection, strands: StrandCheck)
        case written(WrittenRow)
    }

    /// A record and its output bytes.
    private struct WrittenRow {
        let record: FusionRecord
        let windows: PreparedWindows?
        let table: [UInt8]
        let fasta: [UInt8]?
        let qc: String?
        /// What the annotation said of the row's strands.
        let strands: StrandCheck
    }

    /// A source row's prepared results: one, or more for a row holding several calls (PRADA).
    private struct PreparedSourceRow {
        let first: PreparedRow
        let further: [PreparedRow]
    }

    /// A parsed row's results with their windows (given a genome) and output bytes.
    /// - Throws: ``GenomeError`` when the genome cannot be read.
    private func prepare(
        _ parsed: ParsedRow, reader: SequenceReader?, formatter: PreparedRowFormatter, fasta: Bool, qc: Bool
    ) throws -> PreparedSourceRow {
        PreparedSourceRow(
            first: try prepare(
                parsed.result, strands: parsed.strands, reader: reader, formatter: formatter,
                fasta: fasta, qc: qc),
            further: try parsed.further.map {
                try prepare($0, strands: StrandCheck(), reader: reader, formatter: formatter, fasta: fasta, qc: qc)
            })
    }

    /// One parsed result with its windows (given a genome) and output bytes.
    private func prepare(
        _ result: RowResult, strands: StrandCheck, reader: SequenceReader?, formatter: PreparedRowFormatter,
        fasta: Bool, qc: Bool
    ) throws -> PreparedRow {
        let record: FusionRecord
        switch result {
        case .record(let r): record = r
        case .rejected(let rejection): return .rejected(rejection, strands: strands)
        case .ignored: return .ignored
        }
        guard let genome, let reader else {
            return .written(
                WrittenRow(
                    record: record, windows: nil, table: formatter.row(record, windows: nil), fasta: nil, qc: nil,
                    strands: strands))
        }
        switch try PreparedWindows.build(for: record, genome: genome, reader: reader) {
        case .failure(let rejection): return .rejected(rejection, strands: strands)
        case .success(let w):
            return .written(
                WrittenRow(
                    record: record, windows: w, table: formatter.row(record, windows: (w.head, w.tail)),
                    fasta: fasta ? FASTAFormatter.entry(record, w) : nil, qc: qc ? Self.qcLine(record, w) : nil,
                    strands: strands))
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
