import Foundation
import Motifs
import Results
import Support

/// `motifs match`: query motifs against a motif database the way TOMTOM compares them, written
/// as TOMTOM's TSV.
public enum MotifMatchStep {
    public struct Options: Sendable {
        /// MEME file of query motifs.
        public var query: String
        /// MEME file of target motifs (JASPAR, say).
        public var database: String
        /// The TSV (`-` for standard output).
        public var output: String
        public var comparison = MotifComparison.Options()
        /// Matches with a q-value above this are left out (TOMTOM's `-thresh`, 0.5).
        public var threshold = 0.5
        public var threads = 1

        public init(query: String, database: String, output: String) {
            self.query = query
            self.database = database
            self.output = output
        }
    }

    public struct Result: Sendable {
        public let queries: Int
        public let targets: Int
        /// The matches written: per query, by p-value.
        public let matches: [MotifComparison.Match]
    }

    /// - Throws: ``MotifFileError`` or ``TextFileError`` for an unreadable MEME file;
    ///   ``OutputError``.
    @discardableResult
    public static func run(_ options: Options, log: StepLog = .silent) throws -> Result {
        let queries: [MotifMatrix]
        do {
            queries = try readMotifs(options.query, log: log)
        } catch let error as MotifFileError where error.code == .noMotifs {
            // `seqlets --discover` writes a pattern file of each sign, empty when none was found: a
            // workflow matching both must not stop there.
            log.warning("\(options.query): holds no motifs, so there is nothing to match (an empty table)")
            queries = []
        }
        let database = try readMotifs(options.database, log: log)
        if database.count < 50 {
            // TOMTOM warns too: the null comes from the targets' columns.
            log.warning(
                "\(options.database): only \(database.count) target motif(s); p-values take their null from the "
                    + "targets' columns and are unreliable below about 50 targets")
        }
        let comparison = MotifComparison(targets: database, options: options.comparison)
        let all = comparison.compare(queries, threads: options.threads)
        let kept = all.flatMap { matches in
            matches.filter { $0.qValue <= options.threshold }.sorted {
                $0.pValue < $1.pValue || ($0.pValue == $1.pValue && $0.targetIndex < $1.targetIndex)
            }
        }
        let schema = MotifMatchTable.schema
        let file = try OutputFile(path: options.output)
        try file.write(schema.header())
        for m in kept {
            try file.write(
                schema.line([
                    m.queryID, m.targetID, String(m.offset), number(m.pValue), number(m.eValue), number(m.qValue),
                    String(m.overlap), m.queryConsensus, m.targetConsensus, m.orientation.rawValue,
                ]))
        }
        let c = options.comparison
        try file.write(
            "\n# fusionai motifs match (TOMTOM-style, complete scores): \(c.columnScore.rawValue) column scores, "
                + "\(c.scoreBins) bins, min overlap \(c.minOverlap), "
                + "\(c.bothStrands ? "both strands" : "forward only"), "
                + "q-value <= \(options.threshold)\n# query \(options.query); database \(options.database) "
                + "(\(database.count) motifs)\n")
        try file.commit()
        log.info(
            "\(kept.count) match(es) at q <= \(options.threshold) for \(queries.count) query motif(s) against "
                + "\(database.count) target(s)")
        return Result(queries: queries.count, targets: database.count, matches: kept)
    }

    /// A MEME file's motifs, warning about rows that had to be rescaled.
    static func readMotifs(_ path: String, log: StepLog) throws -> [MotifMatrix] {
        let file = try MEMEFile.read(path: path)
        if file.renormalisedRows > 0 {
            log.warning("\(path): \(file.renormalisedRows) matrix row(s) did not sum to 1 and were rescaled")
        }
        return file.motifs
    }

    private static func number(_ value: Double) -> String { TomtomNumber.format(value) }
}
