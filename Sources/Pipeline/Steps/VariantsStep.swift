import FusionAI
import Fusions
import Genome
import NeuralNet
import Results
import Support

/// `fusionai variants`: how each VCF variant inside a fusion's head or tail window changes
/// P(fusion-positive). The variant is applied in genome coordinates and the window derived again
/// by the window rule (``VariantWindows``: indels keep the window anchored at its breakpoint), the
/// pair scored with the fusion's other window unchanged; `delta` = alt - ref.
public enum VariantsStep {
    public struct Options: Sendable {
        /// Fusions: FusionAI 8 columns, a prepared file, or any caller output `prepare` reads.
        public var input: String
        /// VCF (plain, gzip, bgzip) or BCF; read by region when indexed.
        public var vcf: String
        public var genome: String
        public var model: String
        public var format: FusionFormat?
        public var annotation: String?
        /// The scores; `-` is standard output.
        public var output = "-"
        /// Every variant in a window that was not scored, and every fusion without windows, with the reason.
        public var skipped: String?
        /// The input VCF again with ``maxDeltaField`` on each scored record.
        public var vcfOut: String?
        /// Pairs scored together.
        public var batchSize = 64
        public var threads = 1

        public init(input: String, vcf: String, genome: String, model: String) {
            self.input = input
            self.vcf = vcf
            self.genome = genome
            self.model = model
        }
    }

    public struct Summary: Sendable {
        public var fusions = 0
        /// Fusions without windows (unknown strand or chromosome, ...), by reason.
        public var fusionsRejected: [Rejection.Reason: Int] = [:]
        public var windows = 0
        /// Records read from the VCF (only those near the windows when it is indexed).
        public var records = 0
        /// Region queries run; nil when the VCF was read whole (no index).
        public var regionQueries: Int?
        /// Alternate alleles inside at least one window.
        public var variants = 0
        /// Rows written: (variant, window) pairs scored.
        public var scored = 0
        /// Unscored (variant) or (variant, window) pairs, by reason.
        public var skipped: [VariantSkip.Reason: Int] = [:]
        /// Records given the INFO field in `--vcf-out`.
        public var annotatedRecords = 0
        /// Records on sequences the genome does not have, by the VCF's name: not scored.
        public var unknownSequences: [String: Int] = [:]
        /// Records starting past the end of their chromosome in the genome (a VCF of another build).
        public var pastChromosomeEnd = 0
    }

    public struct Result: Sendable {
        public let summary: Summary
        public let output: String
    }

    /// The INFO field `--vcf-out` adds.
    public static let maxDeltaField = VCFFile.InfoField(
        id: "FUSIONAI_MAX_DELTA",
        description:
            "fusionai variants: alt - ref P(fusion-positive) of largest magnitude over the record's "
            + "alternate alleles and the fusion windows it lies in")

    /// - Throws: ``ModelError``, ``FusionInputError``, ``GenomeError``, ``VariantsError``, ``OutputError``.
    public static func run(_ options: Options, log: StepLog = .silent) throws -> Result {
        let inputs =
            [options.input, options.vcf, options.model, options.genome] + [options.annotation].compactMap { $0 }
        let outputs = [options.output, options.skipped, options.vcfOut].compactMap { $0 }
        try OutputTarget.requireDistinctOutputs(outputs)
        for output in outputs { try OutputTarget.requireDistinct(output, from: inputs) }
        // --vcf-out reads the VCF again once the variants are scored: a pipe would be empty by then.
        if options.vcfOut != nil, options.vcf == "-" || OutputTarget.isSpecial(options.vcf) {
            throw OutputError(
                .badPath, path: options.vcf,
                "is a pipe or device, and --vcf-out reads the VCF a second time: give a file")
        }
        let loaded = try ModelFile.load(options.model)
        let scorer = try FusionScorer(model: loaded)
        log.info("model \(options.model): \(loaded.parameterCount) parameters, input \(loaded.inputShape)")
        if loaded.isUntrained {
            log.warning("model \(options.model) has random, untrained weights: its deltas mean nothing")
        }
        let genome = try ReferenceGenome(path: options.genome)
        genome.notes.forEach(log.info)
        let genes = try options.annotation.map { try GeneAnnotation(gtfPath: $0) }
        let reader = try FusionReader(path: options.input, format: options.format, annotation: genes)
        let vcf = try VCFFile(path: options.vcf)
        log.info(
            "variants \(options.vcf): \(vcf.kind.rawValue), "
                + (vcf.isIndexed ? "indexed (read by region)" : "no index (read whole)"))

        let skipped = try options.skipped.map { try OutputFile(path: $0) }
        try skipped?.write(VariantSkipsTable.schema.header())
        var run = try VariantsRun(options: options, scorer: scorer, genome: genome, skipped: skipped)
        try run.readFusions(reader)
        log.strands(reader.strands)
        try run.scoreReferences()
        let out = try OutputFile(path: options.output)
        try out.write(VariantsTable.schema.header())
        try run.scoreVariants(vcf, out: out)
        // The annotated VCF first: when it cannot be written, the other outputs are not either.
        if let vcfOut = options.vcfOut {
            run.summary.annotatedRecords = try VCFFile.writeAnnotated(
                options.vcf, to: vcfOut, field: maxDeltaField, values: run.maxDelta)
        }
        try out.commit()
        try skipped?.commit()
        let s = run.summary
        log.info(
            "\(s.fusions) fusion(s), \(s.windows) window(s); \(s.records) VCF record(s) read"
                + (s.regionQueries.map { " in \($0) region queries" } ?? "") + ", \(s.variants) variant(s) in "
                + "windows, \(s.scored) (variant, window) pair(s) scored"
                + (options.vcfOut.map { ", \(s.annotatedRecords) record(s) annotated in \($0)" } ?? ""))
        let listed = options.skipped != nil ? "" : " (list them with --skipped FILE)"
        for (reason, count) in s.fusionsRejected.sorted(by: { $0.key < $1.key }) {
            log.warning("\(count) fusion(s) without windows: \(reason.rawValue)\(listed)")
        }
        for (reason, count) in s.skipped.sorted(by: { $0.key < $1.key }) {
            log.warning("\(count) variant(s) skipped: \(reason.rawValue)\(listed)")
        }
        if !s.unknownSequences.isEmpty {
            let names = s.unknownSequences.keys.sorted()
            log.warning(
                "\(s.unknownSequences.values.reduce(0, +)) VCF record(s) on sequences not in the genome "
                    + "\(options.genome), not scored: \(names.prefix(5).joined(separator: ", "))"
                    + (names.count > 5 ? " and \(names.count - 5) more" : "")
                    + " (a VCF of another build, or other chromosome names?)")
        }
        if s.pastChromosomeEnd > 0 {
            log.warning(
                "\(s.pastChromosomeEnd) VCF record(s) start past the end of their chromosome in \(options.genome), "
                    + "not scored: is the VCF of another genome build?")
        }
        return Result(summary: s, output: options.output)
    }
}

/// The state of one `variants` run: the fusions, their reference scores, and the batch of
/// (variant, window) pairs waiting to be scored.
private struct VariantsRun {
    /// One variant in one window.
    struct Job {
        let variant: SequenceVariant
        let window: FusionWindowIndex.Window
    }

    let options: VariantsStep.Options
    let scorer: FusionScorer
    let genome: ReferenceGenome
    let skipped: OutputFile?
    /// One genome reader per thread.
    let readers: [SequenceReader]
    var fusions: [FusionRecord] = []
    var placements: [FusionWindowIndex.Placement?] = []
    /// P(positive) of each fusion as it is (nil: no windows).
    var reference: [Float?] = []
    var summary = VariantsStep.Summary()
    /// Per record key, the delta of largest magnitude (for `--vcf-out`).
    var maxDelta: [String: Float] = [:]
    var pending: [Job] = []

    init(options: VariantsStep.Options, scorer: FusionScorer, genome: ReferenceGenome, skipped: OutputFile?) throws {
        self.options = options
        self.scorer = scorer
        self.genome = genome
        self.skipped = skipped
        readers = try (0..<max(1, options.threads)).map { _ in try genome.makeReader() }
    }

    mutating func readFusions(_ reader: FusionReader) throws {
        while let result = try reader.next() {
            switch result {
            case .ignored: continue
            case .record(let record): fusions.append(record)
            case .rejected(let why): try rejectFusion(why)
            }
        }
        summary.fusions = fusions.count
    }

    /// Scores every fusion as it is, in batches, and notes where its windows lie.
    mutating func scoreReferences() throws {
        let builder = try WindowBuilder(genome: genome, threads: options.threads)
        reference = [Float?](repeating: nil, count: fusions.count)
        placements = [FusionWindowIndex.Placement?](repeating: nil, count: fusions.count)
        var start = 0
        while start < fusions.count {
            let range = start..<min(fusions.count, start + options.batchSize)
            let built = try builder.build(Array(fusions[range]))
            var pairs: [(head: [UInt8], tail: [UInt8])] = []
            var scoredIndices: [Int] = []
            for (offset, result) in built.enumerated() {
                let i = range.lowerBound + offset
                switch result {
                case .failure(let why): try rejectFusion(why)
                case .success(let windows):
                    guard let head = genome.names.resolve(fusions[i].head.chromosome),
                        let tail = genome.names.resolve(fusions[i].tail.chromosome)
                    else { continue }
                    placements[i] = FusionWindowIndex.Placement(head: head, tail: tail)
                    pairs.append((windows.head, windows.tail))
                    scoredIndices.append(i)
                }
            }
            for (i, p) in zip(scoredIndices, scorer.score(pairs, threads: options.threads)) {
                reference[i] = p.positive
            }
            start = range.upperBound
        }
    }

    mutating func scoreVariants(_ vcf: VCFFile, out: OutputFile) throws {
        let index = FusionWindowIndex(fusions: fusions, placements: placements)
        summary.windows = index.count
        if vcf.isIndexed {
            try vcf.forEachRecord(overlapping: index.regions) { try add($0, index: index, out: out) }
            summary.regionQueries = vcf.queries
        } else {
            try vcf.forEachRecord { try add($0, index: index, out: out) }
        }
        try flush(out)
    }

    /// Queues each ALT of `record` against each window it lies in, after checking it once.
    private mutating func add(_ record: VCFRecord, index: FusionWindowIndex, out: OutputFile) throws {
        summary.records += 1
        guard let chromosome = genome.names.resolve(record.chromosome) else {
            summary.unknownSequences[record.chromosome, default: 0] += 1
            return
        }
        // Counted for the summary; one in a window that runs past the end (N-padded) goes on to be
        // listed as a skip below, as any variant in a window is.
        if record.position > chromosome.length { summary.pastChromosomeEnd += 1 }
        let windows = index.windows(overlapping: record.span, on: chromosome.name)
        guard !windows.isEmpty else { return }
        // A record without ALT (`.`) is listed as skipped, not dropped.
        for alternate in record.alternates.isEmpty ? ["."] : record.alternates {
            let variant = SequenceVariant(record: record, alternate: alternate)
            summary.variants += 1
            if let why = try VariantWindows.check(variant, chromosome: chromosome, reader: readers[0]) {
                try skip(why, variant: variant, window: nil)
                continue
            }
            for window in windows { pending.append(Job(variant: variant, window: window)) }
            if pending.count >= options.batchSize { try flush(out) }
        }
    }

    /// Builds and scores the pending pairs, writing one row each.
    private mutating func flush(_ out: OutputFile) throws {
        guard !pending.isEmpty else { return }
        let jobs = pending
        pending.removeAll(keepingCapacity: true)
        let fusions = self.fusions
        let placements = self.placements
        let view = scorer.cropStart..<(scorer.cropStart + scorer.windowLength)
        let built = parallelMap(count: jobs.count, states: readers) { reader, i in
            Swift.Result {
                try Self.pair(jobs[i], fusions: fusions, placements: placements, view: view, reader: reader)
            }
        }
        var pairs: [(head: [UInt8], tail: [UInt8])] = []
        var ready: [Job] = []
        for (job, result) in zip(jobs, built) {
            switch try result.get() {
            case .failure(let why): try skip(why, variant: job.variant, window: job.window)
            case .success(let pair):
                pairs.append(pair)
                ready.append(job)
            }
        }
        for (job, p) in zip(ready, scorer.score(pairs, threads: options.threads)) {
            guard let ref = reference[job.window.fusion] else { continue }
            let delta = p.positive - ref
            let fusion = fusions[job.window.fusion]
            let breakpoint = job.window.side == .head ? fusion.head : fusion.tail
            try out.write(
                VariantsTable.schema.line(
                    Self.fusionColumns(fusion) + [
                        job.variant.label, job.variant.kind.rawValue, job.window.side.rawValue,
                        "\(VariantWindows.offset(of: job.variant, from: breakpoint))", "\(ref)", "\(p.positive)",
                        "\(delta)",
                    ]))
            summary.scored += 1
            let key = job.variant.record.key
            if abs(delta) > abs(maxDelta[key] ?? 0) || maxDelta[key] == nil { maxDelta[key] = delta }
        }
    }

    /// The fusion's two windows with the variant applied to the job's one; skipped when the part of
    /// that window the model reads (`view`) is left as it was.
    private static func pair(
        _ job: Job, fusions: [FusionRecord], placements: [FusionWindowIndex.Placement?], view: Range<Int>,
        reader: SequenceReader
    ) throws -> Swift.Result<(head: [UInt8], tail: [UInt8]), VariantSkip> {
        let fusion = fusions[job.window.fusion]
        let other = job.window.side == .head ? fusion.tail : fusion.head
        guard let placement = placements[job.window.fusion] else {
            preconditionFailure("only placed fusions are indexed")
        }
        let otherChromosome = job.window.side == .head ? placement.tail : placement.head
        let edited = try VariantWindows.window(
            around: job.window.breakpoint, chromosome: job.window.chromosome, applying: job.variant, reader: reader)
        let unchanged = try WindowRule.window(
            in: reader, chromosome: otherChromosome, position: other.position, strand: other.strand
        ).bases
        if view.count < WindowRule.length, case .success(let bases) = edited {
            let breakpoint = job.window.breakpoint
            let original = try WindowRule.window(
                in: reader, chromosome: job.window.chromosome, position: breakpoint.position, strand: breakpoint.strand
            ).bases
            if bases[view] == original[view] {
                return .failure(
                    VariantSkip(
                        .outsideModelInput,
                        "\(job.variant.label): the model reads the central \(view.count) nt of each window, which "
                            + "the variant leaves unchanged"))
            }
        }
        return edited.map { job.window.side == .head ? ($0, unchanged) : (unchanged, $0) }
    }

    private static func fusionColumns(_ fusion: FusionRecord) -> [String] {
        [fusion.head, fusion.tail].flatMap { [$0.gene, $0.chromosome, "\($0.position)", $0.strand.symbol] }
    }

    private mutating func skip(_ why: VariantSkip, variant: SequenceVariant, window: FusionWindowIndex.Window?) throws {
        summary.skipped[why.reason, default: 0] += 1
        let fusion = window.map { "line \(fusions[$0.fusion].line) \(fusions[$0.fusion].name)" } ?? "."
        try skipped?.write(
            VariantSkipsTable.schema.line([
                variant.label, fusion, window?.side.rawValue ?? ".", why.reason.rawValue, why.detail,
            ]))
    }

    private mutating func rejectFusion(_ why: Rejection) throws {
        summary.fusionsRejected[why.reason, default: 0] += 1
        try skipped?.write(
            VariantSkipsTable.schema.line([".", "line \(why.line)", ".", why.reason.rawValue, why.detail]))
    }
}
