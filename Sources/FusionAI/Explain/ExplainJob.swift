import Fusions
import Genome
import NeuralNet
import Results
import Support

/// Step 4 of the FusionAI protocol: per-position feature-importance scores for chosen fusions,
/// written as tables and genome tracks, with a summary of the run.
public struct ExplainJob {
    public let explainer: Explainer
    public var genome: ReferenceGenome?
    public var method: AttributionMethod = .gradInput
    public var rows: RowSelection = .all
    public var topFractions: [Double] = [0.01, 0.1]
    /// ISM: also write the `[positions x 4]` ΔP matrix as `ID.ism.npy`.
    public var writeISMMatrix = false
    /// ISM: also compute this many evenly spaced positions by brute force (a full forward pass per
    /// substitution) and report the largest difference from the fast scan.
    public var verifyISMPositions = 0

    public init(explainer: Explainer, genome: ReferenceGenome? = nil) {
        self.explainer = explainer
        self.genome = genome
    }

    /// What a run explained.
    public struct Explained: Sendable {
        /// One per fusion explained, in input order (the rows of `summary.tsv`).
        public let summaries: [ExplainOutputs.Summary]
        /// Selected rows that could not be explained.
        public let rejected: [Rejection]
        /// ISM with verification: the largest |fast - brute force| ΔP over the positions checked.
        public let ismDifference: Float?
        /// Data rows of the input read: all of them when it has fewer than ``rows`` asks for.
        public let dataRowsRead: Int
        /// Without a genome: fusions with a window whose part the model reads starts or ends in N,
        /// perhaps padding past a chromosome end, whose positions are then written as if on it.
        public let paddedWithoutGenome: Int
    }

    /// Explains the selected rows of `reader` into `folder`.
    /// - Parameter progress: called after each fusion with the number explained so far.
    public func run(_ reader: FusionReader, into folder: String, progress: (Int) -> Void = { _ in }) throws -> Explained
    {
        var ismDifference: Float?
        let outputs = ExplainOutputs(folder: folder, topFractions: topFractions)
        let builder = try genome.map { try WindowBuilder(genome: $0, threads: 1) }
        var summaries: [ExplainOutputs.Summary] = []
        var rejected: [Rejection] = []
        // Gradient methods run one fusion per thread; ISM and occlusion use the threads inside one fusion.
        let perBatch = method == .ism || method == .occlusion ? 1 : max(1, explainer.threads)
        var pending: [Item] = []
        var padded = 0
        var done = false
        while !done {
            pending.removeAll()
            while pending.count < perBatch {
                guard reader.dataRow < rows.last, let result = try reader.next() else {
                    done = true
                    break
                }
                if case .ignored = result { continue }
                guard rows.contains(reader.dataRow) else { continue }
                switch try item(result, row: reader.dataRow, builder: builder) {
                case .success(let item):
                    // The ends of what the model reads (and explain writes) of each window.
                    let view = explainer.scorer.cropStart..<(explainer.scorer.cropStart + explainer.scorer.windowLength)
                    let edges = [item.windows.head, item.windows.tail].flatMap {
                        $0.count >= view.upperBound ? [$0[view.lowerBound], $0[view.upperBound - 1]] : []
                    }
                    if genome == nil, edges.contains(where: { $0 == UInt8(ascii: "N") || $0 == UInt8(ascii: "n") }) {
                        padded += 1
                    }
                    pending.append(item)
                case .failure(let why): rejected.append(why)
                }
            }
            for done in try explain(pending, into: outputs) {
                if let d = done.ismDifference { ismDifference = max(ismDifference ?? 0, d) }
                summaries.append(done.summary)
                progress(summaries.count)
            }
        }
        let schema = ExplainSummaryTable.schema(top: ExplainOutputs.label(topFractions.first ?? 0.01))
        var table = schema.header()
        for s in summaries {
            table += schema.line([
                s.id, s.fusion, "\(s.probability)", method.rawValue, EvaluationReport.format(s.meanTopDistance),
                EvaluationReport.format(s.headShare), EvaluationReport.format(1 - s.headShare),
                // Full precision: the two are compared with each other.
                s.completeness.map { "\($0.attributionSum)" } ?? "NA",
                s.completeness.map { "\($0.referenceDifference)" } ?? "NA",
            ])
        }
        // Nothing explained is a failure of the run: no summary that later steps would take for a result.
        if !summaries.isEmpty { try OutputFile.write(table, to: ExplainFolder(path: folder).summary) }
        return Explained(
            summaries: summaries, rejected: rejected, ismDifference: ismDifference, dataRowsRead: reader.dataRow,
            paddedWithoutGenome: padded)
    }

    /// A fusion ready to explain: its windows and their genome coordinates.
    private struct Item: Sendable {
        let id: String
        let record: FusionRecord
        let windows: (head: [UInt8], tail: [UInt8])
        let head: WindowCoordinates
        let tail: WindowCoordinates
    }

    /// What attribution gives for one fusion.
    private struct Attributed: Sendable {
        let scores: [Float]
        let probability: Float
        var extra: [ExplainOutputs.ExtraColumn] = []
        var matrix: [Float]?
        var ismDifference: Float?
        var hypothetical: [Float]?
        var completeness: ExplainOutputs.Completeness?
    }

    private func item(_ result: RowResult, row: Int, builder: WindowBuilder?) throws -> Result<Item, Rejection> {
        let record: FusionRecord
        switch result {
        case .record(let r): record = r
        case .rejected(let why): return .failure(why)
        case .ignored: return .failure(Rejection(.malformed, line: 0, "not a row"))
        }
        let id = FusionID.make(row: row, fusion: record.name)
        if let builder, let genome {
            switch try builder.build([record])[0] {
            case .failure(let why): return .failure(why)
            case .success(let w):
                // The genome gives the lengths; the names are the call's, as prepare writes them (a
                // FASTA header such as `chrM:1-16569` is no chromosome name for a track).
                let h = genome.names.resolve(record.head.chromosome)
                let t = genome.names.resolve(record.tail.chromosome)
                return .success(
                    Item(
                        id: id, record: record, windows: (w.head, w.tail),
                        head: WindowCoordinates(
                            chromosome: record.head.chromosome, breakpoint: record.head.position,
                            strand: record.head.strand, chromosomeLength: h?.length),
                        tail: WindowCoordinates(
                            chromosome: record.tail.chromosome, breakpoint: record.tail.position,
                            strand: record.tail.strand, chromosomeLength: t?.length)))
            }
        }
        guard let w = record.windows, record.head.strand != .unknown, record.tail.strand != .unknown else {
            return .failure(
                Rejection(
                    .unplacedBreakpoint, line: record.line,
                    "no windows in the input: give --genome, or run `fusionai prepare --genome` first"))
        }
        return .success(
            Item(
                id: id, record: record, windows: w,
                head: WindowCoordinates(
                    chromosome: record.head.chromosome, breakpoint: record.head.position, strand: record.head.strand,
                    chromosomeLength: nil),
                tail: WindowCoordinates(
                    chromosome: record.tail.chromosome, breakpoint: record.tail.position, strand: record.tail.strand,
                    chromosomeLength: nil)))
    }

    /// One fusion explained and its files written.
    private struct Written: Sendable {
        let summary: ExplainOutputs.Summary
        let ismDifference: Float?
    }

    /// Attribution for a batch of fusions, one per thread, each thread writing its fusion's files
    /// (a fifth of the time of a gradient method) while the others compute.
    private func explain(_ items: [Item], into outputs: ExplainOutputs) throws -> [Written] {
        let (method, cropStart) = (self.method, explainer.scorer.cropStart)
        let attribution = Attribution(
            explainer: explainer, method: method, writeISMMatrix: writeISMMatrix,
            verifyISMPositions: verifyISMPositions)
        let one: @Sendable (Item) throws -> Written = { item in
            let c = try attribution.attribute(item)
            let summary = try outputs.write(
                id: item.id, record: item.record, head: item.head, tail: item.tail, bases: item.windows,
                cropStart: cropStart, scores: c.scores, probability: c.probability, method: method,
                extraColumns: c.extra, matrix: c.matrix, hypothetical: c.hypothetical, completeness: c.completeness)
            return Written(summary: summary, ismDifference: c.ismDifference)
        }
        if items.count <= 1 { return try items.map(one) }
        let results = parallelMap(count: items.count, threads: items.count) { i in Result { try one(items[i]) } }
        return try results.map { try $0.get() }
    }

    /// What attribution of one fusion needs of the job, for the threads.
    private struct Attribution: Sendable {
        let explainer: Explainer
        let method: AttributionMethod
        let writeISMMatrix: Bool
        let verifyISMPositions: Int

        /// Attribution for one fusion.
        func attribute(_ item: Item) throws -> Attributed {
            let (head, tail) = item.windows
            if method == .deeplift || method == .deepliftshap {
                let a = explainer.deepLift(head: head, tail: tail, method: method)
                return Attributed(
                    scores: a.scores, probability: a.probability, hypothetical: a.hypothetical,
                    completeness: .init(attributionSum: a.attributionSum, referenceDifference: a.referenceDifference))
            }
            guard method == .ism else {
                let (scores, probability) = try explainer.scoresAndProbability(head: head, tail: tail, method: method)
                return Attributed(scores: scores, probability: probability)
            }
            let ism = try explainer.mutagenesis(head: head, tail: tail)
            var result = Attributed(
                scores: ism.mean, probability: ism.probability,
                extra: [.init(name: FISTable.ismMaximum, values: ism.max)],
                matrix: writeISMMatrix ? ism.matrix : nil)
            if verifyISMPositions > 0 {
                result.ismDifference = explainer.verifyMutagenesis(
                    head: head, tail: tail, matrix: ism.matrix, samples: verifyISMPositions)
            }
            return result
        }
    }
}
