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
        var summary = PrepareSummary(format: source.current.format)
        let formatter = PreparedRowFormatter(keepSourceColumns: keepSourceColumns, withOrigin: multiple)
        let workers = try (0..<max(1, genome == nil ? 1 : threads)).map { _ in try genome?.makeReader() }
        var headerWritten = !writeHeader
        let fileColumn = multiple ? "file\t" : ""
        try outputs.rejects?.write(fileColumn + "line\treason\tdetail\trow\n")
        try outputs.qc?.write(
            fileColumn + "line\tfusion\thead_chr_in_genome\ttail_chr_in_genome\thead_padded_nt\ttail_padded_nt\t"
                + "window_clipped\thead_donor\ttail_acceptor\tsplice_canonical\n"
        )

        var batch: [BatchRow] = []
        var done = false
        while !done {
            batch.removeAll(keepingCapacity: true)
            while batch.count < batchSize, let result = try source.next() {
                if case .ignored = result { continue }
                let reader = source.current
                batch.append(BatchRow(result: result, text: reader.currentText, reader: reader))
            }
            done = batch.count < batchSize
            summary.rows += batch.count

            let prepared = try prepareRows(
                batch.map(\.result), workers: workers, formatter: formatter,
                fasta: outputs.fasta != nil, qc: outputs.qc != nil)
            for (item, row) in zip(batch, prepared) {
                let file = multiple ? item.reader.path + "\t" : ""
                switch row {
                case .rejected(let rejection):
                    if strict {
                        throw FusionInputError(
                            .rejectedRow, path: item.reader.path, line: rejection.line,
                            "\(rejection.reason.rawValue): \(rejection.detail) (without --strict such rows are "
                                + "skipped and counted)"
                        )
                    }
                    summary.rejected[rejection.reason, default: 0] += 1
                    try outputs.rejects?.write(
                        "\(file)\(rejection.line)\t\(rejection.reason.rawValue)\t\(rejection.detail)\t\(item.text)\n")
                case .written(let record, let windows, let bytes):
                    if !headerWritten {
                        try outputs.table.write(
                            formatter.header(
                                withWindows: genome != nil, label: record.label != nil,
                                extraNames: extraColumnNames(item.reader, record)))
                        headerWritten = true
                    }
                    try outputs.table.write(bytes.table)
                    summary.written += 1
                    if let fasta = bytes.fasta { try outputs.fasta?.write(fasta) }
                    if let qc = bytes.qc { try outputs.qc?.write(file + qc) }
                    if let windows { account(record, windows, &summary) }
                }
            }
            summary.strandsFromAnnotation = source.strandsFromAnnotation
            progress(summary.rows, source.fractionRead)
        }
        if !headerWritten {
            try outputs.table.write(formatter.header(withWindows: genome != nil, label: false, extraNames: []))
        }
        return summary
    }

    /// A row read, with the file reader it came from (a batch may span two files).
    private struct BatchRow {
        let result: RowResult
        let text: String
        let reader: FusionReader
    }

    /// A batch row, ready to write.
    private enum PreparedRow {
        case rejected(Rejection)
        case written(FusionRecord, PreparedWindows?, (table: [UInt8], fasta: [UInt8]?, qc: String?))
    }

    /// Builds windows and formats the output bytes of a batch on the workers' threads, so the
    /// serial part of a run is only the writing.
    private func prepareRows(
        _ results: [RowResult], workers: [SequenceReader?], formatter: PreparedRowFormatter, fasta: Bool, qc: Bool
    ) throws -> [PreparedRow] {
        let rows = parallelMap(count: results.count, states: workers) { reader, i -> Result<PreparedRow?, Error> in
            let record: FusionRecord
            switch results[i] {
            case .record(let r): record = r
            case .rejected(let rejection): return .success(.rejected(rejection))
            case .ignored: return .success(nil)
            }
            guard let genome, let reader else {
                return .success(.written(record, nil, (formatter.row(record, windows: nil), nil, nil)))
            }
            return Result {
                switch try PreparedWindows.build(for: record, genome: genome, reader: reader) {
                case .failure(let rejection): return .rejected(rejection)
                case .success(let w):
                    let bytes = (
                        formatter.row(record, windows: (w.head, w.tail)),
                        fasta ? FASTAFormatter.entry(record, w) : nil, qc ? Self.qcLine(record, w) : nil
                    )
                    return .written(record, w, bytes)
                }
            }
        }
        return try rows.compactMap { try $0.get() }
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
