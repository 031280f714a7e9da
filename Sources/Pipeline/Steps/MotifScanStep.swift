import Foundation
import Fusions
import Genome
import Motifs
import Results
import Support

/// `motifs scan`: a FIMO-style scan of the prepared windows for database motifs, written as a
/// BED in genome coordinates (usable as a `features` track).
public enum MotifScanStep {
    public struct Options: Sendable {
        /// MEME file of the motifs to look for.
        public var motifs: String
        /// A prepared file (`prepare --genome`) or FusionAI data file: rows with both windows.
        public var input: String
        /// The BED (`-` for standard output; `.gz` is bgzip-compressed).
        public var output: String
        public var scan = MotifScanner.Options()
        /// Only these motifs (IDs or alternate names); all when empty.
        public var only: [String] = []
        public var threads = 1

        public init(motifs: String, input: String, output: String) {
            self.motifs = motifs
            self.input = input
            self.output = output
        }
    }

    public struct Result: Sendable {
        public let fusions: Int
        public let sites: Int
        /// Rows without windows or with unknown strands.
        public let skipped: Int
    }

    /// One site placed on the genome.
    struct PlacedSite {
        let chromosome: String
        let start: Int
        let end: Int
        let site: MotifScanner.Site
        let strand: Strand
        let fusion: String
        let part: String
        let sequence: String
    }

    /// - Throws: ``MotifFileError`` or ``TextFileError`` for the motif file; ``StepError`` when
    ///   `only` names no motif of it or the input holds no windows; ``FusionInputError``,
    ///   ``OutputError``.
    @discardableResult
    public static func run(_ options: Options, log: StepLog = .silent) throws -> Result {
        var motifs = try MotifMatchStep.readMotifs(options.motifs, log: log)
        if !options.only.isEmpty {
            let wanted = Set(options.only)
            motifs = motifs.filter { wanted.contains($0.id) || $0.altName.map(wanted.contains) == true }
            guard !motifs.isEmpty else {
                throw StepError(
                    .nothingUsable, path: options.motifs,
                    "holds none of the motifs asked for (\(options.only.joined(separator: ", ")))")
            }
        }
        let scanner = MotifScanner(motifs: motifs, options: options.scan)
        let reader = try FusionReader(path: options.input)
        var placed: [PlacedSite] = []
        var fusions = 0
        var skipped = 0
        var batch: [FusionRecord] = []
        func flush() {
            let found = parallelMap(count: batch.count, threads: options.threads) { i in
                sites(of: batch[i], scanner: scanner)
            }
            placed += found.joined()
            batch.removeAll(keepingCapacity: true)
        }
        while let result = try reader.next() {
            guard case .record(let record) = result else { continue }
            guard record.windows != nil, record.head.strand != .unknown, record.tail.strand != .unknown else {
                skipped += 1
                continue
            }
            fusions += 1
            batch.append(record)
            if batch.count == 64 { flush() }
        }
        flush()
        // A row's window that reaches past its chromosome's start (a data file not made by prepare,
        // which pads there with N) gives sites before base 1: no BED can hold them.
        let beforeStart = placed.count { $0.start < 0 }
        if beforeStart > 0 {
            placed.removeAll { $0.start < 0 }
            log.warning(
                "\(beforeStart) site(s) lie before base 1 of their chromosome (a window reaching past its start "
                    + "holds bases there) and are left out")
        }
        if skipped > 0 {
            log.warning(
                "\(skipped) row(s) skipped: no windows or an unknown strand (run `fusionai prepare --genome` first)")
        }
        guard fusions > 0 else {
            throw StepError(
                .nothingUsable, path: options.input,
                "holds no rows with windows: give the output of `fusionai prepare --genome`")
        }
        placed.sort { ($0.chromosome, $0.start, $0.end, $0.fusion) < ($1.chromosome, $1.start, $1.end, $1.fusion) }
        let file = try OutputFile(path: options.output, threads: options.threads)
        try file.write(MotifSitesTable.schema.header())
        for p in placed {
            let motif = motifs[p.site.motifIndex]
            // BED's score column: -10 log10 p, within BED's 0-1000.
            let bedScore = min(1000, max(0, Int((-10 * log10(max(p.site.pValue, 1e-300))).rounded())))
            try file.write(
                MotifSitesTable.schema.line([
                    p.chromosome, String(p.start), String(p.end), motif.id, String(bedScore), p.strand.symbol,
                    String(format: "%.3f", p.site.score), String(format: "%.3g", p.site.pValue), p.fusion, p.part,
                    p.sequence,
                ]))
        }
        try file.commit()
        log.info(
            "\(placed.count) site(s) of \(motifs.count) motif(s) at p <= \(options.scan.threshold) in "
                + "\(fusions) fusion(s)"
        )
        return Result(fusions: fusions, sites: placed.count, skipped: skipped)
    }

    /// Both windows' sites in genome coordinates: a window reads the genome backwards on `-`, so a
    /// site's genome strand flips there and its span is mapped end for end.
    static func sites(of record: FusionRecord, scanner: MotifScanner) -> [PlacedSite] {
        guard let windows = record.windows else { return [] }
        var out: [PlacedSite] = []
        for (part, breakpoint, bases) in [("head", record.head, windows.head), ("tail", record.tail, windows.tail)] {
            for site in scanner.scan(bases) {
                let first = WindowRule.genomePosition(
                    ofIndex: site.start, position: breakpoint.position, strand: breakpoint.strand)
                let last = WindowRule.genomePosition(
                    ofIndex: site.start + site.width - 1, position: breakpoint.position, strand: breakpoint.strand)
                let windowForward = breakpoint.strand == .plus
                let forward = (site.strand == .forward) == windowForward
                // The matched bases as the motif reads them.
                var sequence = Array(bases[site.start..<(site.start + site.width)])
                if site.strand == .reverse { Nucleotides.reverseComplement(&sequence) }
                out.append(
                    PlacedSite(
                        chromosome: breakpoint.chromosome, start: min(first, last) - 1, end: max(first, last),
                        site: site, strand: forward ? .plus : .minus, fusion: record.name, part: part,
                        sequence: String(decoding: sequence, as: UTF8.self)))
            }
        }
        return out
    }
}
