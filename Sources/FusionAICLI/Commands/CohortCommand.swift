import ArgumentParser
import Foundation
import Pipeline

/// `fusionai cohort`: many samples' calls into one table per unique breakpoint pair; its stages are
/// subcommands too, for the Snakemake workflow (workflow/Snakefile).
struct CohortCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cohort",
        abstract: "Score a cohort: every sample's calls merged to unique breakpoint pairs, each scored once.",
        discussion: """
            `fusionai cohort --samples SHEET -g GENOME -m MODEL -o DIR` runs every stage (`run`, the \
            default). The stages, for workflow managers: `sample` (one sample's files normalised), \
            `pairs` (unique pairs and their chunks), `score` (one chunk), `merge` (tables and report).
            """,
        subcommands: [
            CohortRunCommand.self, CohortSampleCommand.self, CohortPairsCommand.self, CohortScoreCommand.self,
            CohortMergeCommand.self,
        ],
        defaultSubcommand: CohortRunCommand.self
    )
}

/// Options of the sheet and results folder every stage takes.
struct CohortLayoutOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Sample sheet: TSV with a header naming sample, path (relative to the sheet's folder) and optionally "
                + "format (empty: detected); one row per sample and caller file."))
    var samples: String

    @Option(name: [.short, .long], help: "Results folder (created if missing).")
    var output: String

    var layout: CohortStep.Layout { CohortStep.Layout(samples: samples, output: output) }
}

/// How calls make pairs, and how many pairs a scoring chunk holds.
struct CohortPairingOptions: ParsableArguments {
    @Option(
        name: .customLong("merge-distance"),
        help: "Join breakpoint pairs within this many nt on both sides into one (0: exact pairs only).")
    var mergeDistance = 0

    func validate() throws {
        guard mergeDistance >= 0 else { throw ValidationError("--merge-distance cannot be negative.") }
    }
}

/// The call made from a pair's score, and the pairs explained for the report.
struct CohortCallOptions: ParsableArguments {
    @Option(help: "`call` is positive when P(fusion-positive) is at least this; explain takes pairs from it up.")
    var threshold: Float = 0.5

    @Option(name: .customLong("explain-max"), help: "Explain at most this many pairs, the best-scoring (0: none).")
    var explainMax = 10

    func validate() throws {
        guard threshold >= 0, threshold <= 1 else { throw ValidationError("--threshold must be between 0 and 1.") }
        guard explainMax >= 0 else { throw ValidationError("--explain-max cannot be negative.") }
    }
}

/// Unique pairs per scoring chunk (one workflow job each).
struct CohortChunkOptions: ParsableArguments {
    @Option(name: .customLong("chunk-size"), help: "Unique pairs per scoring chunk.")
    var chunkSize = 2000

    func validate() throws {
        guard chunkSize >= 1 else { throw ValidationError("--chunk-size must be at least 1.") }
    }
}

struct CohortRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Every stage of a cohort in one process (the default subcommand).",
        discussion: """
            Into OUT/: cohort.tsv (one row per unique breakpoint pair: its samples, callers, score and \
            call), calls.tsv (one row per input call, with its pair and score), genes.tsv (per gene \
            pair: recurrence, breakpoint pairs, best score), samples.tsv (what became of each sheet \
            row), report.html, and the stages' files (samples/, pairs.tsv, chunks/). A sample whose \
            file cannot be read is left out with its reason (samples.tsv, the summary) and the others \
            go on. Scores are kept in the score cache (--cache) as they are made, keyed by both \
            windows' bases and the model file's digest: a pair is scored once per model, across \
            samples, reruns and cohorts; a killed run rerun with the same command ends with the same \
            tables.
            """
    )

    @OptionGroup var layout: CohortLayoutOptions

    @Option(name: [.short, .long], help: "Reference genome (FASTA, bgzip FASTA or .2bit).")
    var genome: String

    @Option(name: [.short, .long], help: "Model: Keras .h5 / .keras, or fusionai .safetensors.")
    var model: String

    @Option(name: [.short, .long], help: "Gene annotation (GTF) for callers that give no strands.")
    var annotation: String?

    @Option(help: "Feature manifest: feature panels for the explained pairs.")
    var features: String?

    @OptionGroup var pairing: CohortPairingOptions

    @OptionGroup var calls: CohortCallOptions

    @OptionGroup var chunks: CohortChunkOptions

    @Option(help: "Score cache folder (default: $FUSIONAI_CACHE_DIR/scores, else ~/.cache/fusionai/scores).")
    var cache: String?

    @OptionGroup var common: CommonOptions

    func run() throws {
        let console = Console(command: "cohort", quiet: common.quiet)
        var options = CohortStep.Options(
            layout: layout.layout, genome: genome, model: model, provenance: .current)
        options.annotation = annotation
        options.features = features
        options.mergeDistance = pairing.mergeDistance
        options.threshold = calls.threshold
        options.explainMax = calls.explainMax
        options.chunkSize = chunks.chunkSize
        options.cache = cache
        options.threads = common.threads
        try reportingFailures(console) { _ = try CohortStep.run(options, log: console.log) }
    }
}

struct CohortSampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Stage 1: one sample's files normalised into OUT/samples/NAME.calls.tsv and NAME.status.tsv.",
        discussion: "A file that cannot be read fails the sample (its status says why); the command still succeeds."
    )

    @OptionGroup var layout: CohortLayoutOptions

    @Option(help: "The sample, as the sheet names it.")
    var sample: String

    @Option(name: [.short, .long], help: "Gene annotation (GTF) for callers that give no strands.")
    var annotation: String?

    @OptionGroup var verbosity: QuietOption

    func run() throws {
        let console = Console(command: "cohort sample", quiet: verbosity.quiet)
        var options = CohortStep.SampleOptions(layout: layout.layout, sample: sample)
        options.annotation = annotation
        try reportingFailures(console) {
            let result = try CohortStep.sample(options, log: console.log)
            console.info("\(result.sample): \(result.calls) call(s), \(result.rejected) row(s) rejected")
        }
    }
}

struct CohortPairsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pairs",
        abstract: "Stage 2: the samples' calls merged to unique pairs, OUT/pairs.tsv, cut into OUT/chunks.txt.")

    @OptionGroup var layout: CohortLayoutOptions

    @OptionGroup var pairing: CohortPairingOptions

    @OptionGroup var chunks: CohortChunkOptions

    @OptionGroup var verbosity: QuietOption

    func run() throws {
        let console = Console(command: "cohort pairs", quiet: verbosity.quiet)
        var options = CohortStep.PairsOptions(layout: layout.layout)
        options.mergeDistance = pairing.mergeDistance
        options.chunkSize = chunks.chunkSize
        try reportingFailures(console) { _ = try CohortStep.pairs(options, log: console.log) }
    }
}

struct CohortScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Stage 3: one chunk of OUT/pairs.tsv scored into OUT/chunks/CHUNK.tsv, through the score cache.")

    @Option(help: "The chunk, as OUT/chunks.txt names it (chunk-1, ...).")
    var chunk: String

    @Option(name: [.short, .long], help: "Reference genome (FASTA, bgzip FASTA or .2bit).")
    var genome: String

    @Option(name: [.short, .long], help: "Model: Keras .h5 / .keras, or fusionai .safetensors.")
    var model: String

    @Option(help: "Score cache folder (default: $FUSIONAI_CACHE_DIR/scores, else ~/.cache/fusionai/scores).")
    var cache: String?

    @Option(name: [.short, .long], help: "Results folder.")
    var output: String

    @OptionGroup var common: CommonOptions

    func run() throws {
        let console = Console(command: "cohort score", quiet: common.quiet)
        var options = CohortStep.ScoreOptions(output: output, chunk: chunk, genome: genome, model: model)
        options.cache = cache
        options.threads = common.threads
        try reportingFailures(console) { _ = try CohortStep.score(options, log: console.log) }
    }
}

struct CohortMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Stage 4: cohort.tsv, calls.tsv, genes.tsv, samples.tsv and report.html from the stages' files.",
        discussion: "With --genome and --model, the best pairs are explained for the report.")

    @OptionGroup var layout: CohortLayoutOptions

    @OptionGroup var pairing: CohortPairingOptions

    @OptionGroup var calls: CohortCallOptions

    @Option(name: [.short, .long], help: "Reference genome, to explain the best pairs.")
    var genome: String?

    @Option(name: [.short, .long], help: "Model, to explain the best pairs: the one that scored the chunks.")
    var model: String?

    @Option(help: "Feature manifest: feature panels for the explained pairs.")
    var features: String?

    @OptionGroup var common: CommonOptions

    func run() throws {
        let console = Console(command: "cohort merge", quiet: common.quiet)
        var options = CohortStep.MergeOptions(layout: layout.layout, provenance: .current)
        options.mergeDistance = pairing.mergeDistance
        options.threshold = calls.threshold
        options.explainMax = calls.explainMax
        options.genome = genome
        options.model = model
        options.features = features
        options.threads = common.threads
        try reportingFailures(console) { _ = try CohortStep.merge(options, log: console.log) }
    }
}
