import ArgumentParser
import Foundation
import FusionAI
import Fusions
import Pipeline

/// `fusionai explain`: which positions drive each fusion's score.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Feature-importance scores (FIS) for every position of chosen fusions (step 4).",
        discussion: """
            For each chosen row, in OUT/: ID.fis.tsv (per position: part, window position, genome \
            position, base, FIS), ID.fis.npy (float32), ID.head.bedGraph and ID.tail.bedGraph (genome \
            coordinates, strand-aware: a - window maps to descending positions; load in IGV or the \
            UCSC browser) and the same values as ID.head.bw and ID.tail.bw (bigWig, indexed), \
            ID.top.bed and ID.top_regions.tsv (the top 1% and 10% positions merged \
            into regions, with their distance to the breakpoint), and summary.tsv for the run. \
            deeplift and deepliftshap also write ID.hyp.npy (hypothetical contributions, [positions x 4]) \
            and fill summary.tsv's attribution_sum and reference_difference, which agree (completeness). \
            IDs are rowN_HEAD--TAIL. Scores are for P(fusion-positive).
            """
    )

    @Argument(help: "Fusions: prepared file, FusionAI data file, or caller output with --genome ('-' for stdin).")
    var input: String

    @Option(name: [.short, .long], help: "Model: Keras .h5 / .keras, or fusionai .safetensors.")
    var model: String

    @Option(
        name: [.short, .long],
        help: "Reference genome (needed for caller output, and for genome positions past chromosome ends).")
    var genome: String?

    @Option(name: [.short, .long], help: "Input format (default: detected).")
    var format: FusionFormat?

    @Option(help: "Data rows to explain, 1-based: e.g. 1,5-9 (default: all).")
    var rows: String?

    @Option(help: "Attribution: \(AttributionMethod.allCases.map(\.rawValue).joined(separator: ", ")).")
    var method: AttributionMethod = .gradInput

    // The method's own options are nil when not given, so one given to a method that does not use
    // it is refused instead of silently doing nothing.
    @Option(help: "Integrated gradients: path steps (default: 20).")
    var steps: Int?

    @Option(
        help: ArgumentHelp(
            "Integrated gradients and deeplift baseline: zero or shuffled (dinucleotide-shuffled input, seeded) "
                + "(default: zero)."))
    var baseline: Baseline?

    @Option(help: "deepliftshap: dinucleotide-shuffled references per sequence, averaged (default: 10).")
    var references: Int?

    @Option(name: .customLong("occlusion-window"), help: "Occlusion: window of N, in nt (default: 50).")
    var occlusionWindow: Int?

    @Option(name: .customLong("occlusion-stride"), help: "Occlusion: stride, in nt, at most the window (default: 25).")
    var occlusionStride: Int?

    @Flag(name: .customLong("ism-matrix"), help: "ISM: also write the [positions x 4] matrix of ΔP as ID.ism.npy.")
    var ismMatrix = false

    @Option(
        name: .customLong("verify-ism"),
        help: "ISM: also compute N evenly spaced positions by brute force and report the largest difference.")
    var verifyISM: Int?

    @Option(
        help: "Top fractions of positions (each from 0.0001, 2 of 20,000 positions, to 1), comma-separated.")
    var top = TopFractions(values: [0.01, 0.1])

    @Option(name: [.short, .long], help: "Output folder (created if missing).")
    var output: String

    @OptionGroup var common: CommonOptions

    func validate() throws {
        if let rows, RowSelection(rows) == nil {
            throw ValidationError("--rows takes numbers and ranges such as 1,5-9 (1-based).")
        }
        // Bounds past any use, which keep memory and time finite: each reference is held in
        // memory (~6 MB), and a window or stride is at most the 20,000-nt input.
        let bounds: [(option: String, value: Int?, range: ClosedRange<Int>)] = [
            ("--steps", steps, 1...1_000), ("--references", references, 1...200),
            ("--occlusion-window", occlusionWindow, 1...20_000), ("--occlusion-stride", occlusionStride, 1...20_000),
            ("--verify-ism", verifyISM, 0...20_000),
        ]
        for bound in bounds {
            guard let value = bound.value, !bound.range.contains(value) else { continue }
            throw ValidationError(
                "\(bound.option) must be from \(bound.range.lowerBound) to \(bound.range.upperBound) (got \(value)).")
        }
        let given: [(option: String, given: Bool, methods: [AttributionMethod])] = [
            ("--steps", steps != nil, [.integratedGradients]),
            ("--baseline", baseline != nil, [.integratedGradients, .deeplift]),
            ("--references", references != nil, [.deepliftshap]),
            ("--occlusion-window", occlusionWindow != nil, [.occlusion]),
            ("--occlusion-stride", occlusionStride != nil, [.occlusion]),
            ("--ism-matrix", ismMatrix, [.ism]), ("--verify-ism", verifyISM != nil, [.ism]),
        ]
        for option in given where option.given && !option.methods.contains(method) {
            throw ValidationError(
                "\(option.option) applies to --method \(option.methods.map(\.rawValue).joined(separator: " or ")) "
                    + "only; --method \(method.rawValue) does not use it.")
        }
        if (occlusionStride ?? Self.defaults.occlusionStride) > (occlusionWindow ?? Self.defaults.occlusionWindow) {
            throw ValidationError(
                "--occlusion-stride must be at most --occlusion-window: positions between two windows would get "
                    + "no score.")
        }
    }

    /// The method options' values when not given.
    private static let defaults = ExplainStep.Options(input: "", model: "", output: "")

    /// `--baseline`.
    enum Baseline: String, ExpressibleByArgument, CaseIterable {
        case zero, shuffled
    }

    /// `--top`: fractions in (0, 1], comma-separated.
    struct TopFractions: ExpressibleByArgument {
        let values: [Double]

        init(values: [Double]) {
            self.values = values
        }

        init?(argument: String) {
            let values = argument.split(separator: ",").compactMap { Double($0) }.filter { $0 >= 0.0001 && $0 <= 1 }
            guard !values.isEmpty,
                values.count == argument.split(separator: ",", omittingEmptySubsequences: false).count
            else { return nil }
            // A fraction given twice wrote each of its regions twice.
            var seen = Set<Double>()
            self.values = values.filter { seen.insert($0).inserted }
        }

        var defaultValueDescription: String { values.map { String($0) }.joined(separator: ",") }
    }

    func run() throws {
        let console = Console(command: "explain", quiet: common.quiet)
        var options = ExplainStep.Options(input: input, model: model, output: output)
        options.genome = genome
        options.format = format
        options.rows = rows.flatMap(RowSelection.init) ?? .all
        options.method = method
        options.steps = steps ?? options.steps
        options.shuffledBaseline = baseline == .shuffled
        options.references = references ?? options.references
        options.occlusionWindow = occlusionWindow ?? options.occlusionWindow
        options.occlusionStride = occlusionStride ?? options.occlusionStride
        options.ismMatrix = ismMatrix
        options.verifyISM = verifyISM ?? options.verifyISM
        options.topFractions = top.values
        options.threads = common.threads
        try reportingFailures(console) { _ = try ExplainStep.run(options, log: console.log) }
    }
}

extension AttributionMethod: ExpressibleByArgument {}
