import Foundation
import FusionAI
import Fusions
import Genome
import Motifs
import NeuralNet
import Reports
import Results
import Support

/// The first-layer filters as position weight matrices (MEME format) and sequence logos.
public enum MotifsStep {
    public struct Options: Sendable {
        public var model: String
        /// A prepared file, a FusionAI data file, or caller output with `genome`; without, each
        /// position's weights give the motif.
        public var sequences: String?
        public var genome: String?
        public var maxSequences = 500
        /// Activation threshold, as a fraction of each filter's maximum.
        public var threshold: Float = 0.5
        /// The folder (created if missing).
        public var output: String
        public var threads = 1

        public init(model: String, output: String) {
            self.model = model
            self.output = output
        }
    }

    /// - Returns: the motifs written.
    /// - Throws: ``StepError/Code/nothingUsable`` when `sequences` holds none; ``ModelError``,
    ///   ``FusionInputError``, ``GenomeError``, ``OutputError``.
    @discardableResult
    public static func run(_ options: Options, log: StepLog = .silent) throws -> [FilterMotifs.Motif] {
        let loaded = try ModelFile.load(options.model)
        let filters = try FilterMotifs(model: loaded)
        var motifs: [FilterMotifs.Motif]
        var basis = "weights (softmax per position)"
        if let sequences = options.sequences {
            let scorer = try FusionScorer(model: loaded)
            let pairs = try windows(sequences, options)
            guard !pairs.isEmpty else {
                throw StepError(
                    .nothingUsable, path: sequences, "holds no usable sequences (give --genome for caller output)")
            }
            let chunks = stride(from: 0, to: pairs.count, by: 8).map {
                scorer.encode(Array(pairs[$0..<min(pairs.count, $0 + 8)]))
            }
            motifs = filters.motifs(chunks, threshold: options.threshold)
            basis = "\(pairs.count) sequence(s), activation > \(options.threshold) x maximum"
            guard motifs.contains(where: { $0.sites > 0 }) else {
                throw StepError(
                    .nothingUsable, path: options.model,
                    "no filter of its first layer is ever positive on the \(pairs.count) sequence(s) of \(sequences): "
                        + "no motif can be built (are the weights trained?)")
            }
        } else {
            motifs = filters.weightMotifs()
        }
        let output = options.output
        let lock = try OutputLock.claimFolder(output)
        defer { lock.release() }
        // Logos of an earlier run's filters (now dead, or of another model) would stay beside these.
        try ResultsFolder.remove(output + "/logos")
        try OutputTarget.makeFolder(output + "/logos")
        // A filter that never passed the threshold has no sites: its "motif" would be uniform rows
        // with a made-up site count. It stays in motifs.tsv (0 sites), out of the MEME file and logos.
        let dead = options.sequences == nil ? [] : motifs.filter { $0.sites == 0 }.map(\.name)
        if !dead.isEmpty {
            log.warning(
                "\(dead.count) of \(motifs.count) filter(s) never passed the threshold on these sequences ("
                    + dead.prefix(5).joined(separator: ", ") + (dead.count > 5 ? ", ..." : "")
                    + "): listed in motifs.tsv with 0 sites, left out of motifs.meme and logos/")
        }
        let live = motifs.filter { !dead.contains($0.name) }
        // Filters read one strand: `strands: +`; the consensus stands as each motif's second name.
        let matrices = live.map {
            MotifMatrix(id: $0.name, altName: $0.consensus, rows: $0.probabilities, sites: max($0.sites, 1))
        }
        try MEMEFile(motifs: matrices, bothStrands: false).write(to: output + "/motifs.meme")
        var table = "filter\tsites\tmax_activation\ttotal_ic_bits\tconsensus\n"
        for m in motifs {
            let ic = m.informationContent.reduce(0, +)
            guard !dead.contains(m.name) else {
                table += "\(m.name)\t0\t\(m.maxActivation)\tNA\tNA\n"
                continue
            }
            // From the weights alone, sites and activations were never measured: NA, not 0.
            let measured = options.sequences == nil ? ["NA", "NA"] : ["\(m.sites)", "\(m.maxActivation)"]
            table += ([m.name] + measured + [String(format: "%.3f", ic), m.consensus]).joined(separator: "\t") + "\n"
            try OutputFile.write(
                SequenceLogo.svg(
                    title: "\(m.name) (\(m.consensus))", probabilities: m.probabilities,
                    subtitle: "\(m.sites) sites; \(String(format: "%.2f", ic)) bits; \(basis)"),
                to: "\(output)/logos/\(m.name).svg")
        }
        try OutputFile.write(table, to: output + "/motifs.tsv")
        log.info("\(live.count) filter motif(s) from \(basis) in \(output)/")
        return motifs
    }

    /// Up to `maxSequences` head and tail windows: from the file, or built from the genome.
    private static func windows(_ path: String, _ options: Options) throws -> [(head: [UInt8], tail: [UInt8])] {
        let reader = try FusionReader(path: path)
        let builder = try options.genome.map {
            try WindowBuilder(genome: ReferenceGenome(path: $0), threads: options.threads)
        }
        var pairs: [(head: [UInt8], tail: [UInt8])] = []
        while pairs.count < options.maxSequences, let result = try reader.next() {
            guard case .record(let record) = result else { continue }
            if let builder {
                if case .success(let w) = try builder.build([record])[0] { pairs.append((w.head, w.tail)) }
            } else if let w = record.windows {
                pairs.append(w)
            }
        }
        return pairs
    }
}
