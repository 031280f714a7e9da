import Foundation
import GenomicFeatures
import Reports
import Results
import Support

/// An IGV desktop session for a run's results: the genome, every call as a BEDPE arc between its
/// breakpoints, each explained fusion's FIS tracks and top regions, the feature tracks and the
/// annotation. It opens at the two breakpoints of the highest-scoring explained fusion (else call).
public enum IGVSessionStep {
    public struct Options: Sendable {
        /// `predict`'s output, with the 8 fusion columns.
        public var predictions: String
        /// The folder `explain` wrote.
        public var explained: String?
        public var genome: String
        public var annotation: String?
        /// The feature manifest whose tracks are loaded.
        public var features: String?
        /// The session file.
        public var session: String
        /// The calls as BEDPE, written beside it.
        public var calls: String

        public init(predictions: String, genome: String, session: String, calls: String) {
            self.predictions = predictions
            self.genome = genome
            self.session = session
            self.calls = calls
        }
    }

    public struct Result: Sendable {
        public let calls: Int
        /// Tracks in the session besides the calls.
        public let tracks: Int
    }

    /// - Throws: ``ResultsFileError`` for predictions without the fusion columns or an explain folder
    ///   that cannot be listed, ``GenomeError`` for the manifest, ``OutputError``.
    public static func run(_ options: Options, log: StepLog = .silent) throws -> Result {
        let table = try PredictionsTable.schema.read(options.predictions)
        let columns = try Columns(table)
        let folder = URL(fileURLWithPath: options.session).deletingLastPathComponent().standardized.path
        let place = { (path: String) in relative(path, to: folder) }

        let bedpe = try OutputFile(path: options.calls)
        var best: (probability: Float, loci: [String])?
        for (i, row) in table.rows.enumerated() {
            guard let call = columns.call(row.fields, row: i + 1) else { continue }
            try bedpe.write(call.bedpe)
            if best == nil || call.probability > best?.probability ?? 0 { best = (call.probability, call.loci) }
        }
        try bedpe.commit()

        var resources = [IGVSession.Resource(path: place(options.calls), name: "fusion calls", type: "bedpe")]
        if let explained = options.explained {
            let fis = ExplainFolder(path: explained)
            let ids = try fis.explainedIDs().sorted {
                ($0 + "/").localizedStandardCompare($1 + "/") == .orderedAscending
            }
            for id in ids {
                for part in ["head", "tail"] where FileManager.default.fileExists(atPath: fis.bedGraph(id, part: part))
                {
                    resources.append(.init(path: place(fis.bedGraph(id, part: part)), name: "\(id) \(part) FIS"))
                }
                resources.append(.init(path: place(fis.topBED(id)), name: "\(id) top regions"))
            }
            // Open at the best explained fusion: the one whose tracks are there to look at.
            let explainedRows = Set(ids.compactMap(FusionID.row(of:)))
            let candidates = table.rows.enumerated().filter { explainedRows.contains($0.offset + 1) }
            if let top = candidates.compactMap({ columns.call($0.element.fields, row: $0.offset + 1) })
                .max(by: { $0.probability < $1.probability })
            {
                best = (top.probability, top.loci)
            }
        }
        if let manifest = options.features {
            for entry in try FeatureManifest.entries(path: manifest) {
                resources.append(.init(path: place(entry.path), name: entry.name))
            }
        }
        if let annotation = options.annotation { resources.append(.init(path: place(annotation), name: "genes")) }
        let genome = URL(fileURLWithPath: options.genome).standardized.path
        let session = IGVSession(genome: genome, loci: best?.loci ?? [], resources: resources)
        try OutputFile.write(session.xml, to: options.session)
        log.info("IGV session \(options.session): \(table.rows.count) call(s), \(resources.count - 1) track(s)")
        return Result(calls: table.rows.count, tracks: resources.count - 1)
    }

    /// `path` relative to `folder` when it lies inside it (IGV reads those against the session's
    /// folder, so the results folder can move); absolute otherwise.
    static func relative(_ path: String, to folder: String) -> String {
        let absolute = URL(fileURLWithPath: path).standardized.path
        return absolute.hasPrefix(folder + "/") ? String(absolute.dropFirst(folder.count + 1)) : absolute
    }

    /// The positions of the fusion columns in the predictions.
    private struct Columns {
        let headGene, headChromosome, headBreakpoint, headStrand: Int
        let tailGene, tailChromosome, tailBreakpoint, tailStrand: Int
        let probability: Int

        init(_ table: ResultsTable) throws {
            headGene = try table.index(of: "Hgene")
            headChromosome = try table.index(of: "Hchr")
            headBreakpoint = try table.index(of: "Hbp")
            headStrand = try table.index(of: "Hstrand")
            tailGene = try table.index(of: "Tgene")
            tailChromosome = try table.index(of: "Tchr")
            tailBreakpoint = try table.index(of: "Tbp")
            tailStrand = try table.index(of: "Tstrand")
            probability = try table.index(of: PredictionsTable.positiveProbability)
        }

        /// Row `row`'s call; nil for a row too short or without numbers (predict never writes one).
        func call(_ fields: [String], row: Int) -> Call? {
            guard fields.count > max(probability, tailStrand, headStrand, tailBreakpoint, headBreakpoint),
                let head = Int(fields[headBreakpoint]), let tail = Int(fields[tailBreakpoint]),
                let p = Float(fields[probability])
            else { return nil }
            return Call(
                id: FusionID.make(row: row, fusion: fields[headGene] + "--" + fields[tailGene]),
                head: Breakpoint(chromosome: fields[headChromosome], position: head, strand: fields[headStrand]),
                tail: Breakpoint(chromosome: fields[tailChromosome], position: tail, strand: fields[tailStrand]),
                probability: p)
        }
    }

    private struct Breakpoint {
        let chromosome: String
        /// 1-based.
        let position: Int
        let strand: String

        var locus: String { IGVSession.windowLocus(chromosome: chromosome, breakpoint: position) }
    }

    private struct Call {
        let id: String
        let head: Breakpoint
        let tail: Breakpoint
        let probability: Float

        var loci: [String] { [head.locus, tail.locus] }
        /// chrom1 start1 end1 chrom2 start2 end2 name score strand1 strand2 (0-based, half-open).
        var bedpe: String {
            [
                head.chromosome, String(head.position - 1), String(head.position), tail.chromosome,
                String(tail.position - 1), String(tail.position), id, String(probability), head.strand, tail.strand,
            ].joined(separator: "\t") + "\n"
        }
    }
}
