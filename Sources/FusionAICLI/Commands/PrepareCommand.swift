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
            Reads \(FusionFormat.allCases.filter { $0 != .columns }.map(\.displayName).joined(separator: ", ")) \
            outputs (STAR-Fusion's reader also takes FusionInspector and CTAT-LR-Fusion), each input \
            told apart by its header or content (or --format); any other table through --columns. \
            Several inputs are read one after the other into one table with `source` (the file) and \
            `caller` columns. With --genome it writes FusionAI's \
            input format: the 8 columns, the 10,000-nt head window and the 10,000-nt tail window \
            (1-based [bp-4999, bp+5000], reverse-complemented on the - strand), tab-separated. \
            Without --genome it writes the normalised 8-column records.

            Rows that cannot be used are counted in the summary and, with --rejects, written there \
            with the reason; --strict stops at the first. Outputs are written atomically: a failed \
            run leaves no partial file.
            """
    )

    @Argument(help: "Fusion calls (plain or gzip), one file or several; '-' reads standard input.")
    var inputs: [String]

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
        help: ArgumentHelp(
            "Read a table in no known format by its header's column names: "
                + "\"Hgene=NAME,Hchr=NAME,Hbp=NAME,Tgene=NAME,Tchr=NAME,Tbp=NAME[,Hstrand=NAME,Tstrand=NAME]\" "
                + "(H = 5' partner; a name holding a comma in double quotes). Columns are tab-separated, "
                + "comma-separated for a .csv input.",
            valueName: "mapping"))
    var columns: String?

    @Flag(help: "With --columns: positions are 0-based (default 1-based).")
    var zeroBased = false

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

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("give at least one input file ('-' for standard input).") }
        if columns != nil, format != nil { throw ValidationError("--columns and --format exclude each other.") }
        if zeroBased, columns == nil { throw ValidationError("--zero-based applies to --columns only.") }
        _ = try columnMapping()
    }

    /// The parsed `--columns`, nil without it.
    private func columnMapping() throws -> ColumnMapping? {
        guard let columns else { return nil }
        do {
            return try ColumnMapping(parsing: columns, zeroBased: zeroBased)
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() throws {
        let console = Console(command: "prepare", quiet: common.quiet)
        var options = PrepareStep.Options(inputs: inputs)
        options.genome = genome
        options.format = format
        options.columns = try columnMapping()
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
