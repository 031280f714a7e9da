import Foundation
import Fusions
import Genome
import Support

/// Step 5 of the FusionAI protocol: how genomic features lie across the breakpoint windows.
///
/// Every window position maps back to the genome (the window of a breakpoint covers
/// `[bp - 4999, bp + 5000]`, read backwards on `-`), so each measure is a covered-length query on
/// the feature's intervals: per fusion and feature the covered positions in the head and tail
/// windows and in the top-FIS regions; over all fusions a positional landscape (feature x bins
/// across the 20 kb, breakpoints at 5 kb and 15 kb, in transcript orientation); and enrichment of
/// each feature in top-FIS regions against the rest of the windows, and in positive against
/// negative fusions when labels are given (odds ratio, Fisher's exact p, Benjamini-Hochberg q).
public struct FeatureLandscape {
    /// One fusion's coverage by one feature.
    public struct Coverage: Sendable {
        public let row: Int
        public let fusion: String
        public let feature: String
        public let head: Int
        public let tail: Int
        /// Covered positions inside the fusion's top-FIS regions, and the regions' size (nil without FIS).
        public let top: (covered: Int, positions: Int)?
    }

    /// One feature's enrichment test.
    public struct Enrichment: Sendable {
        public let feature: String
        public let category: String
        /// Covered and total positions in the group tested (top regions, or positives) and in the rest.
        public let covered: Int, total: Int, restCovered: Int, restTotal: Int
        public let oddsRatio: Double, pValue: Double
        public var qValue: Double = .nan

        /// 95% interval of the odds ratio by Woolf's log method, 0.5 added to every cell when one is 0.
        /// The interval holds the reported (uncorrected) odds ratio: it reaches 0 when that is 0 and
        /// infinity when that is infinite (as R's `fisher.test` interval does), where the corrected
        /// interval alone lay wholly above an odds ratio of 0.
        public var confidenceInterval: (low: Double, high: Double) {
            var cells = [
                Double(covered), Double(total - covered), Double(restCovered), Double(restTotal - restCovered),
            ]
            if cells.contains(0) { cells = cells.map { $0 + 0.5 } }
            let logOdds = log(cells[0] * cells[3] / (cells[1] * cells[2]))
            let se = cells.map { 1 / $0 }.reduce(0, +).squareRoot()
            let (low, high) = (exp(logOdds - 1.959964 * se), exp(logOdds + 1.959964 * se))
            guard !oddsRatio.isNaN else { return (0, .infinity) }
            return (min(low, oddsRatio), max(high, oddsRatio))
        }
    }

    /// A top-FIS region: 1-based genome range, and the window it was scored in (0 head, 1 tail).
    public typealias TopRegion = (part: Int, chromosome: String, range: ClosedRange<Int>)

    /// All measures of one run.
    public struct Result: Sendable {
        public let coverage: [Coverage]
        /// `[feature][bin]`: mean covered fraction of each bin over the fusions, head bins then tail bins.
        public let landscape: [[Double]]
        /// Top-FIS positions of all fusions in each bin (all zero without FIS regions).
        public let topPositions: [Int]
        /// `[feature][bin]`: the feature's covered top-FIS positions in each bin (over `topPositions`
        /// it is the landscape of the top-FIS regions only).
        public let topCovered: [[Int]]
        /// Each feature in top-FIS regions against the rest of the windows (empty without FIS regions).
        public let top: [Enrichment]
        /// Each feature in positive against negative fusions' windows (empty without both labels).
        public let labels: [Enrichment]
        /// Fusions measured (both strands known).
        public let fusions: Int
    }

    public let manifest: FeatureManifest
    /// Bins per 10-kb window (the landscape has twice as many); must divide 10,000.
    public var binsPerWindow = 50

    public init(manifest: FeatureManifest) {
        self.manifest = manifest
    }

    /// Integer sums over a set of fusions: exact, so partial sums of threads add up to the same
    /// result in any order.
    private struct Tally {
        /// `[feature][bin]` covered positions.
        var landscape: [[Int]]
        var topPositions: [Int]
        var topCovered: [[Int]]
        var top: [(covered: Int, total: Int, restCovered: Int, restTotal: Int)]
        var byLabel: [(positive: Int, positiveTotal: Int, negative: Int, negativeTotal: Int)]
        var fusions = 0

        init(features: Int, bins: Int) {
            landscape = [[Int]](repeating: [Int](repeating: 0, count: bins), count: features)
            topPositions = [Int](repeating: 0, count: bins)
            topCovered = landscape
            top = [(Int, Int, Int, Int)](repeating: (0, 0, 0, 0), count: features)
            byLabel = [(Int, Int, Int, Int)](repeating: (0, 0, 0, 0), count: features)
        }

        mutating func add(_ other: Tally) {
            for f in landscape.indices {
                for b in landscape[f].indices {
                    landscape[f][b] += other.landscape[f][b]
                    topCovered[f][b] += other.topCovered[f][b]
                }
                top[f] = (
                    top[f].0 + other.top[f].0, top[f].1 + other.top[f].1, top[f].2 + other.top[f].2,
                    top[f].3 + other.top[f].3
                )
                byLabel[f] = (
                    byLabel[f].0 + other.byLabel[f].0, byLabel[f].1 + other.byLabel[f].1,
                    byLabel[f].2 + other.byLabel[f].2, byLabel[f].3 + other.byLabel[f].3
                )
            }
            for b in topPositions.indices { topPositions[b] += other.topPositions[b] }
            fusions += other.fusions
        }
    }

    /// Results over `records` (their data-row numbers given), with each fusion's top-FIS regions
    /// (1-based genome ranges) when known, on `threads` threads (the same result on any number);
    /// `progress` hears about how many records are done.
    public func run(
        _ records: [(row: Int, record: FusionRecord)], topRegions: (Int, FusionRecord) -> [TopRegion]?,
        threads: Int = 1, progress: (Int) -> Void = { _ in }
    ) -> Result {
        let bins = binsPerWindow
        let features = manifest.features.count
        // Contiguous chunks, one per thread, so the coverage rows keep the input order.
        let workers = max(1, min(threads, records.count))
        let chunks = parallelMap(count: workers, states: [Void](repeating: (), count: workers)) {
            _, w -> ([Coverage], Tally) in
            var tally = Tally(features: features, bins: 2 * bins)
            var coverage: [Coverage] = []
            let range = (w * records.count / workers)..<((w + 1) * records.count / workers)
            for i in range where records[i].record.head.strand != .unknown && records[i].record.tail.strand != .unknown
            {
                if w == 0 { progress(i * workers) }
                let (row, record) = records[i]
                coverage += measure(row: row, record: record, regions: topRegions(row, record), into: &tally)
            }
            return (coverage, tally)
        }
        var tally = Tally(features: features, bins: 2 * bins)
        for chunk in chunks { tally.add(chunk.1) }
        let binWidth = WindowRule.length / bins
        let landscape = tally.landscape.map { $0.map { Double($0) / Double(binWidth * max(1, tally.fusions)) } }
        func tests(_ counts: [(Int, Int, Int, Int)]) -> [Enrichment] {
            var results = zip(manifest.features, counts).compactMap { feature, c -> Enrichment? in
                guard c.1 > 0, c.3 > 0 else { return nil }
                let test = FisherExactTest(a: c.0, b: c.1 - c.0, c: c.2, d: c.3 - c.2)
                return Enrichment(
                    feature: feature.name, category: feature.category, covered: c.0, total: c.1, restCovered: c.2,
                    restTotal: c.3,
                    oddsRatio: test.oddsRatio, pValue: test.pValue)
            }
            for (i, q) in benjaminiHochberg(results.map(\.pValue)).enumerated() { results[i].qValue = q }
            return results
        }
        return Result(
            coverage: chunks.flatMap(\.0), landscape: landscape, topPositions: tally.topPositions,
            topCovered: tally.topCovered,
            top: tests(tally.top.map { ($0.covered, $0.total, $0.restCovered, $0.restTotal) }),
            labels: tests(tally.byLabel.map { ($0.positive, $0.positiveTotal, $0.negative, $0.negativeTotal) }),
            fusions: tally.fusions)
    }

    /// One fusion's coverage by each feature, its sums added to `tally`.
    private func measure(row: Int, record: FusionRecord, regions: [TopRegion]?, into tally: inout Tally) -> [Coverage] {
        let bins = binsPerWindow
        let binWidth = WindowRule.length / bins
        tally.fusions += 1
        // Adds a genome range inside the window of `breakpoint` to `counts`, bin by bin (input order).
        func add(_ genome: ClosedRange<Int>, _ breakpoint: Breakpoint, part: Int, to counts: inout [Int]) {
            let indices = WindowRule.indices(of: genome, position: breakpoint.position, strand: breakpoint.strand)
            var i = indices.lowerBound
            while i <= indices.upperBound {
                let bin = i / binWidth
                let end = min(indices.upperBound, (bin + 1) * binWidth - 1)
                counts[part * bins + bin] += end - i + 1
                i = end + 1
            }
        }
        // Top positions by input bin, in the orientation of the window explain scored them in.
        var inTop = [Int](repeating: 0, count: manifest.features.count)
        var regionSize = 0
        for region in regions ?? [] {
            let breakpoint = region.part == 0 ? record.head : record.tail
            let window = WindowRule.span(around: breakpoint.position)
            guard ChromosomeNames.same(region.chromosome, breakpoint.chromosome), region.range.overlaps(window) else {
                continue
            }
            let inWindow = region.range.clamped(to: window)
            regionSize += inWindow.count
            add(inWindow, breakpoint, part: region.part, to: &tally.topPositions)
            for (f, feature) in manifest.features.enumerated() {
                for part in feature.intervals.intersection(chromosome: region.chromosome, range: inWindow) {
                    inTop[f] += part.count
                    add(part, breakpoint, part: region.part, to: &tally.topCovered[f])
                }
            }
        }
        return manifest.features.enumerated().map { f, feature in
            var covered = [0, 0]
            for (side, breakpoint) in [record.head, record.tail].enumerated() {
                for part in feature.intervals.intersection(
                    chromosome: breakpoint.chromosome, range: WindowRule.span(around: breakpoint.position))
                {
                    covered[side] += part.count
                    add(part, breakpoint, part: side, to: &tally.landscape[f])
                }
            }
            let both = covered[0] + covered[1]
            var topCoverage: (Int, Int)?
            if regions != nil {
                topCoverage = (inTop[f], regionSize)
                tally.top[f].covered += inTop[f]
                tally.top[f].total += regionSize
                tally.top[f].restCovered += both - inTop[f]
                tally.top[f].restTotal += 2 * WindowRule.length - regionSize
            }
            if record.label == 1 {
                tally.byLabel[f].positive += both
                tally.byLabel[f].positiveTotal += 2 * WindowRule.length
            } else if record.label == 0 {
                tally.byLabel[f].negative += both
                tally.byLabel[f].negativeTotal += 2 * WindowRule.length
            }
            return Coverage(
                row: row, fusion: record.name, feature: feature.name, head: covered[0], tail: covered[1],
                top: topCoverage)
        }
    }
}
