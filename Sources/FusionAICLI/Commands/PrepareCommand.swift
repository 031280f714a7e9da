import ArgumentParser
import Foundation
import Fusions
import Genome
import Support

/// `fusionai prepare`: fusion calls (any supported caller) -> FusionAI rows with their 20-kb windows.
struct PrepareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prepare",
        abstract: "Build FusionAI's 20-kb input windows from fusion calls (step 1).",
        discussion: """
            Reads FusionAI 8-column tables, FusionAI data files, STAR-Fusion / FusionInspector / \
            CTAT-LR-Fusion, Arriba, FusionCatcher, JAFFA, EricScript, DRAGEN, SQUID and pizzly \
            outputs, told apart by their header (or --format). With --genome it writes FusionAI's \
            input format: the 8 columns, the 10,000-nt head window and the 10,000-nt tail window \
            (1-based [bp-4999, bp+5000], reverse-complemented on the - strand), tab-separated. \
            Without --genome it writes the normalised 8-column records.

            Rows that cannot be used are counted in the summary and, with --rejects, written there \
            with the reason; --strict stops at the first. Outputs are written atomically: a failed \
            run leaves no partial file.
            """
    )

    @Argument(help: "Fusion calls (plain or gzip); '-' reads standard input.")
    var input: String

    @Option(name: [.short, .long], help: "Reference genome: FASTA (plain or bgzip, indexed on first use) or .2bit.")
    var genome: String?

    @Option(
        name: [.short, .long],
        help:
            "Input format (default: detected from the header). One of: \(FusionFormat.allCases.map(\.rawValue).joined(separator: ", "))."
    )
    var format: FusionFormat?

    @Option(
        name: [.short, .long],
        help: "Gene annotation (GTF, plain or gzip) supplying strands where a caller gives none; SQUID needs it.")
    var annotation: String?

    @Option(name: [.short, .long], help: "Output table ('-' for standard output; a .gz name is bgzip-compressed).")
    var output: String = "-"

    @Flag(help: "Write a header line naming the columns.")
    var header = false

    @Option(help: "Also write each 20-kb model input (head window + tail window) as FASTA to this file.")
    var fasta: String?

    @Option(help: "Write rejected rows, with the reason, to this TSV.")
    var rejects: String?

    @Option(help: "Write per-row QC (window_clipped, padding, splice dinucleotides, chromosome aliases) to this TSV.")
    var qc: String?

    @Flag(help: "Stop with an error at the first row that cannot be used.")
    var strict = false

    @Flag(name: .customLong("keep-columns"), help: "Append the source row's own columns to each output row.")
    var keepColumns = false

    @OptionGroup var common: CommonOptions

    func run() throws {
        let console = Console(command: "prepare", quiet: common.quiet)
        try reportingFailures(console) {
            var job = PrepareJob()
            job.writeHeader = header
            job.strict = strict
            job.keepSourceColumns = keepColumns
            job.threads = common.threads
            if let genome {
                let opened = try ReferenceGenome(path: genome)
                for note in opened.notes { console.info(note) }
                console.info(
                    "genome \(genome): \(opened.format.rawValue), \(opened.sequences.count) sequence(s), \(opened.totalLength) nt, build \(opened.build.label)"
                )
                job.genome = opened
            }
            let genes = try annotation.map { path in
                let genes = try GeneAnnotation(gtfPath: path)
                console.info("annotation \(path): \(genes.genes.count) genes")
                return genes
            }
            let reader = try FusionReader(path: input, format: format, annotation: genes)
            console.info("input \(input): \(reader.format.displayName) format")

            let outputs = try PrepareJob.Outputs(
                table: OutputFile(path: output, threads: common.threads),
                fasta: fasta.map { try OutputFile(path: $0) },
                rejects: rejects.map { try OutputFile(path: $0) },
                qc: qc.map { try OutputFile(path: $0) })
            let all = [outputs.table, outputs.fasta, outputs.rejects, outputs.qc].compactMap { $0 }
            // Uncommitted OutputFiles discard themselves: a failed run leaves no partial file.
            let summary = try job.run(reader, to: outputs) { rows, fraction in
                console.progress(rows: rows, fraction: fraction)
            }
            for file in all { try file.commit() }
            report(summary, console)
        }
    }

    private func report(_ s: PrepareSummary, _ console: Console) {
        let destination = output == "-" ? "standard output" : output
        console.info("\(s.rows) row(s) read, \(s.written) written to \(destination), \(s.totalRejected) rejected")
        for (reason, count) in s.rejected.sorted(by: { $0.key < $1.key }) {
            console.warning(
                "\(count) row(s) rejected: \(reason.rawValue)\(rejects == nil ? " (list them with --rejects FILE)" : "")"
            )
        }
        if s.strandsFromAnnotation > 0 {
            console.info("\(s.strandsFromAnnotation) strand(s) taken from the annotation")
        }
        if !s.aliases.isEmpty {
            let pairs = s.aliases.sorted { $0.key < $1.key }.map { "\($0.key) -> \($0.value)" }
            console.info("chromosome aliases used: \(pairs.joined(separator: ", "))")
        }
        if s.clipped > 0 {
            console.info(
                "\(s.clipped) row(s) have a window past a chromosome end, padded with N (window_clipped\(qc == nil ? "; see --qc FILE" : ""))"
            )
        }
        if s.windowed > 0 {
            console.info(
                "splice sites: \(s.canonicalDonors) of \(s.windowed) head breakpoints have a GT/GC donor after them, \(s.canonicalAcceptors) tail breakpoints an AG acceptor before them"
            )
        }
        if s.spliceSitesMostlyMissing {
            console.warning(
                "most rows lack the GT/AG splice dinucleotides of exon-junction breakpoints: coordinates and genome may be different builds"
            )
        }
    }
}
