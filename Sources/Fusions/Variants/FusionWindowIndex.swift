import Genome

/// The head and tail windows of many fusions, looked up by genome position: which windows a
/// variant falls in.
public struct FusionWindowIndex: Sendable {
    /// One window: its fusion, side and breakpoint.
    public struct Window: Sendable {
        /// Index of the fusion in the list the index was made from.
        public let fusion: Int
        public let side: VariantWindows.Side
        public let breakpoint: Breakpoint
        /// The breakpoint's chromosome in the genome.
        public let chromosome: ChromosomeNames.Match
        /// 1-based genome span of the window (``WindowRule/span(around:)``).
        public var span: ClosedRange<Int> { WindowRule.span(around: breakpoint.position) }
    }

    /// Per genome chromosome name, the windows sorted by start.
    private let byChromosome: [String: [Window]]
    /// The chromosomes in the order first met, so region queries run in a fixed order.
    private let order: [String]

    /// Where a fusion's two breakpoints lie in the genome.
    public struct Placement: Sendable {
        public let head: ChromosomeNames.Match
        public let tail: ChromosomeNames.Match

        public init(head: ChromosomeNames.Match, tail: ChromosomeNames.Match) {
            self.head = head
            self.tail = tail
        }
    }

    /// Indexes both windows of each fusion.
    /// - Parameter placements: each fusion's chromosomes in the genome; nil for a fusion without
    ///   windows, which is left out.
    public init(fusions: [FusionRecord], placements: [Placement?]) {
        var byChromosome: [String: [Window]] = [:]
        var order: [String] = []
        for (i, fusion) in fusions.enumerated() {
            guard let placed = placements[i] else { continue }
            for (side, breakpoint, chromosome) in [
                (VariantWindows.Side.head, fusion.head, placed.head), (.tail, fusion.tail, placed.tail),
            ] {
                if byChromosome[chromosome.name] == nil { order.append(chromosome.name) }
                byChromosome[chromosome.name, default: []].append(
                    Window(fusion: i, side: side, breakpoint: breakpoint, chromosome: chromosome))
            }
        }
        self.byChromosome = byChromosome.mapValues { windows in
            windows.sorted { ($0.span.lowerBound, $0.fusion) < ($1.span.lowerBound, $1.fusion) }
        }
        self.order = order
    }

    /// The windows overlapping `span` of genome chromosome `name`, by fusion and then head before tail.
    public func windows(overlapping span: ClosedRange<Int>, on name: String) -> [Window] {
        guard let windows = byChromosome[name] else { return [] }
        // Every window is WindowRule.length long: those overlapping start in [lower - length + 1, upper].
        let first = span.lowerBound - WindowRule.length + 1
        var low = 0
        var high = windows.count
        while low < high {
            let mid = (low + high) / 2
            if windows[mid].span.lowerBound < first { low = mid + 1 } else { high = mid }
        }
        var found: [Window] = []
        var i = low
        while i < windows.count, windows[i].span.lowerBound <= span.upperBound {
            found.append(windows[i])
            i += 1
        }
        return found.sorted { ($0.fusion, $0.side == .head ? 0 : 1) < ($1.fusion, $1.side == .head ? 0 : 1) }
    }

    /// Every window's span, for region queries.
    public var regions: [GenomeRegion] {
        order.flatMap { name in (byChromosome[name] ?? []).map { GenomeRegion(chromosome: name, span: $0.span) } }
    }

    /// Number of windows indexed.
    public var count: Int { byChromosome.values.reduce(0) { $0 + $1.count } }
}
