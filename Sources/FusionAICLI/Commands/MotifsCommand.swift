import ArgumentParser
import Foundation
import FusionAI
import Fusions
import Genome
import NeuralNet
import Reports
import Support

/// `fusionai motifs`: the first-layer filters as sequence motifs.
struct MotifsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "motifs",
        abstract: "First-layer filters as position weight matrices (MEME format) and sequence logos.",
        discussion: """
            With --sequences, each filter's motif is built the standard way: the windows where its \
            activation exceeds --threshold times its maximum over the sequences are aligned and their \
            base frequencies taken. Without, a softmax of each position's weights is used. Writes \
            OUT/motifs.meme (MEME minimal motif format, for TOMTOM), OUT/motifs.tsv (sites, maximum \
            activation, information content, consensus) and OUT/logos/FILTER.svg.
            """
    )

    @Option(name: [.short, .long], help: "Model: Keras .h5 / .keras, or fusionai .safetensors.")
    var model: String

    @Option(help: "Sequences: a prepared file, FusionAI data file, or caller output with --genome.")
    var sequences: String?

    @Option(name: [.short, .long], help: "Reference genome, to build windows from caller output.")
    var genome: String?

    @Option(name: .customLong("max-sequences"), help: "Use at most this many sequences.")
    var maxSequences = 500

    @Option(help: "Activation threshold, as a fraction of each filter's maximum.")
    var threshold: Float = 0.5

    @Option(name: [.short, .long], help: "Output folder (created if missing).")
    var output: String

    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard threshold > 0, threshold < 1 else { throw ValidationError("--threshold must be between 0 and 1.") }
        guard maxSequences >= 1 else { throw ValidationError("--max-sequences must be at least 1.") }
    }

    func run() throws {
        let console = Console(command: "motifs", quiet: common.quiet)
        try reportingFailures(console) {
            let loaded = try ModelFile.load(model)
            let filters = try FilterMotifs(model: loaded)
            var motifs: [FilterMotifs.Motif]
            var basis = "weights (softmax per position)"
            if let sequences {
                let scorer = try FusionScorer(model: loaded)
                let reader = try FusionReader(path: sequences)
                let builder = try genome.map {
                    try WindowBuilder(genome: ReferenceGenome(path: $0), threads: common.threads)
                }
                var pairs: [(head: [UInt8], tail: [UInt8])] = []
                while pairs.count < maxSequences, let result = try reader.next() {
                    guard case .record(let record) = result else { continue }
                    if let builder {
                        if case .success(let w) = try builder.build([record])[0] { pairs.append((w.head, w.tail)) }
                    } else if let w = record.windows {
                        pairs.append(w)
                    }
                }
                guard !pairs.isEmpty else {
                    throw FusionInputError(
                        .empty, path: sequences, "holds no usable sequences (give --genome for caller output)")
                }
                let chunks = stride(from: 0, to: pairs.count, by: 8).map {
                    scorer.encode(Array(pairs[$0..<min(pairs.count, $0 + 8)]))
                }
                motifs = filters.motifs(chunks, threshold: threshold)
                basis = "\(pairs.count) sequence(s), activation > \(threshold) x maximum"
            } else {
                motifs = filters.weightMotifs()
            }
            try FileManager.default.createDirectory(atPath: output + "/logos", withIntermediateDirectories: true)
            try write(FilterMotifs.meme(motifs), to: output + "/motifs.meme")
            var table = "filter\tsites\tmax_activation\ttotal_ic_bits\tconsensus\n"
            for m in motifs {
                let ic = m.informationContent.reduce(0, +)
                table += "\(m.name)\t\(m.sites)\t\(m.maxActivation)\t\(String(format: "%.3f", ic))\t\(m.consensus)\n"
                try write(
                    SequenceLogo.svg(
                        title: "\(m.name) (\(m.consensus))", probabilities: m.probabilities,
                        subtitle: "\(m.sites) sites; \(String(format: "%.2f", ic)) bits; \(basis)"),
                    to: "\(output)/logos/\(m.name).svg")
            }
            try write(table, to: output + "/motifs.tsv")
            console.info("\(motifs.count) filter motif(s) from \(basis) in \(output)/")
        }
    }

    private func write(_ text: String, to path: String) throws {
        try OutputFile.write(text, to: path)
    }
}
