import ArgumentParser
import Foundation
import Fusions
import Pipeline

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
        help: ArgumentHelp(
            "Input format (default: detected from the header). One of: "
                + "\(FusionFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
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
        var options = PrepareStep.Options(input: input)
        options.genome = genome
        options.format = format
        options.annotation = annotation
        options.output = output
        options.header = header
        options.fasta = fasta
        options.rejects = rejects
        options.qc = qc
        options.strict = strict
        options.keepSourceColumns = keepColumns
        options.threads = common.threads
        try reportingFailures(console) { _ = try PrepareStep.run(options, log: console.log) }
    }
}
