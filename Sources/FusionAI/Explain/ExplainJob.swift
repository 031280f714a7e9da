import Fusions
import Genome

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

    /// Explains the selected rows of `reader` into `folder`.
    /// - Parameter progress: called after each fusion with the number explained so far.
    /// - Returns: the summary rows and the rejected rows.
    public func run(_ reader: FusionReader, into folder: String, progress: (Int) -> Void = { _ in }) throws
        -> (summaries: [ExplainOutputs.Summary], rejected: [Rejection], ismDifference: Float?)
    {
        var ismDifference: Float?
        let outputs = ExplainOutputs(folder: folder, topFractions: topFractions)
        let builder = try genome.map { try WindowBuilder(genome: $0, threads: 1) }
        var summaries: [ExplainOutputs.Summary] = []
        var rejected: [Rejection] = []
        var dataRow = 0
        while dataRow < rows.last, let result = try reader.next() {
            if case .ignored = result { continue }
            dataRow += 1
            guard rows.contains(dataRow) else { continue }
            let record: FusionRecord
            switch result {
            case .record(let r): record = r
            case .rejected(let why): rejected.append(why); continue
            case .ignored: continue
            }
            // Windows, and the genome's names and lengths for the tracks.
            var head: WindowCoordinates, tail: WindowCoordinates
            let windows: (head: [UInt8], tail: [UInt8])
            if let builder, let genome {
                switch try builder.build([record])[0] {
                case .failure(let why): rejected.append(why); continue
                case .success(let w):
                    windows = (w.head, w.tail)
                    let h = genome.names.resolve(record.head.chromosome), t = genome.names.resolve(record.tail.chromosome)
                    head = WindowCoordinates(chromosome: h?.name ?? record.head.chromosome, breakpoint: record.head.position, strand: record.head.strand, chromosomeLength: h?.length)
                    tail = WindowCoordinates(chromosome: t?.name ?? record.tail.chromosome, breakpoint: record.tail.position, strand: record.tail.strand, chromosomeLength: t?.length)
                }
            } else if let w = record.windows, record.head.strand != .unknown, record.tail.strand != .unknown {
                windows = w
                head = WindowCoordinates(chromosome: record.head.chromosome, breakpoint: record.head.position, strand: record.head.strand, chromosomeLength: nil)
                tail = WindowCoordinates(chromosome: record.tail.chromosome, breakpoint: record.tail.position, strand: record.tail.strand, chromosomeLength: nil)
            } else {
                rejected.append(Rejection(.unplacedBreakpoint, line: record.line, "no windows in the input: give --genome, or run `fusionai prepare --genome` first"))
                continue
            }
            let scorer = explainer.scorer
            let probability = scorer.probabilities(scorer.encode([windows]), threads: explainer.threads)[0]
            let id = "row\(dataRow)_" + Self.fileSafe(record.name)
            var scores: [Float], extra: [(String, [Float])] = [], matrix: [Float]?
            if method == .ism {
                let ism = try explainer.mutagenesis(head: windows.head, tail: windows.tail)
                (scores, extra, matrix) = (ism.mean, [("ism_max_abs_delta", ism.max)], writeISMMatrix ? ism.matrix : nil)
                if verifyISMPositions > 0 {
                    let d = explainer.verifyMutagenesis(head: windows.head, tail: windows.tail, matrix: ism.matrix, samples: verifyISMPositions)
                    ismDifference = max(ismDifference ?? 0, d)
                }
            } else {
                scores = try explainer.explain(head: windows.head, tail: windows.tail, method: method)
            }
            summaries.append(try outputs.write(
                id: id, record: record, head: head, tail: tail, bases: windows, cropStart: scorer.cropStart,
                scores: scores, probability: probability, method: method, extraColumns: extra, matrix: matrix))
            progress(summaries.count)
        }
        let top = "top" + String(Int(((topFractions.first ?? 0.01) * 100).rounded())) + "pct"
        var table = "id\tfusion\tfusion_positive_prob\tmethod\tmean_distance_\(top)\thead_share_\(top)\ttail_share_\(top)\n"
        for s in summaries {
            table += "\(s.id)\t\(s.fusion)\t\(s.probability)\t\(method.rawValue)\t\(s.meanTopDistance.isNaN ? "NA" : format2(s.meanTopDistance))\t\(format2(s.headShare))\t\(format2(1 - s.headShare))\n"
        }
        let file = try OutputFile(path: folder + "/summary.tsv")
        try file.write(table)
        try file.commit()
        return (summaries, rejected, ismDifference)
    }

    /// Letters, digits, `-`, `_` and `.`; anything else becomes `_`.
    static func fileSafe(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "_" }.prefix(120))
    }

    private func format2(_ v: Double) -> String {
        String((v * 1000).rounded() / 1000)
    }
}
