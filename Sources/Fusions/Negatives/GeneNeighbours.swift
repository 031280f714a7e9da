import Genome

/// Which genes are neighbours, so that pairs a read-through transcript could join are kept out of
/// negative sets. Two genes on one chromosome are neighbours when they overlap, or when no other
/// gene of the annotation lies wholly between them (starts after the first one ends and ends before
/// the second one starts). Every gene counts as "other", whatever its type or exon count; genes on
/// different chromosomes are never neighbours.
public struct GeneNeighbours: Sendable {
    private let genes: [GeneAnnotation.Gene]
    /// Per chromosome: indexes into `genes`, by ascending start.
    private let byStart: [String: [Int]]

    public init(genes: [GeneAnnotation.Gene]) {
        self.genes = genes
        var byStart: [String: [Int]] = [:]
        for (i, gene) in genes.enumerated() { byStart[gene.chromosome, default: []].append(i) }
        for key in byStart.keys { byStart[key]!.sort { (genes[$0].start, $0) < (genes[$1].start, $1) } }
        self.byStart = byStart
    }

    /// Whether genes `a` and `b` (indexes into the genes given) are neighbours.
    /// - Complexity: O(log n) to find the gap, then a scan of the genes starting in it that stops at
    ///   the first one lying wholly inside it.
    public func areNeighbours(_ a: Int, _ b: Int) -> Bool {
        let x = genes[a]
        let y = genes[b]
        guard x.chromosome == y.chromosome else { return false }
        if x.start <= y.end, y.start <= x.end { return true }  // overlap
        let (left, right) = x.end < y.start ? (x, y) : (y, x)
        let list = byStart[x.chromosome] ?? []
        // First gene starting after `left` ends.
        var low = 0
        var high = list.count
        while low < high {
            let mid = (low + high) / 2
            if genes[list[mid]].start <= left.end { low = mid + 1 } else { high = mid }
        }
        var k = low
        while k < list.count, genes[list[k]].start < right.start {
            let i = list[k]
            if i != a, i != b, genes[i].end < right.start { return false }
            k += 1
        }
        return true
    }
}
