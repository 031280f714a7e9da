import Fusions

/// The cohort's unique breakpoint pairs and the calls each one holds: calls at the same pair (both
/// chromosomes, positions and strands) are one pair; with a merge distance, pairs whose head and
/// tail positions both lie within it of a cluster's first pair join that cluster.
///
/// Clusters are anchored on their first pair (in ``PairKey`` order), not chained, so a cluster's
/// spread is at most twice the distance and the result does not depend on the order of the calls.
public struct CohortPairs: Sendable {
    /// One unique (or merged) breakpoint pair.
    public struct Pair: Sendable, Equatable {
        /// The pair that is scored: of those merged, the one with the most calls (the first in
        /// ``PairKey`` order on a tie), named with the genes most of its calls give.
        public let head: Breakpoint
        public let tail: Breakpoint
        /// Indices of its calls, ascending.
        public let calls: [Int]
        /// The exact pairs merged into it (1 without a merge distance).
        public let mergedPairs: Int
        /// Largest minus smallest head (tail) position of those merged.
        public let headSpread: Int
        public let tailSpread: Int

        public var key: PairKey { PairKey(head: head, tail: tail) }
    }

    /// In ``PairKey`` order of their scored pair: the rows of `cohort.tsv`.
    public let pairs: [Pair]
    /// For each call, the index of its pair.
    public let pairOfCall: [Int]

    /// The genes a call names, head then tail.
    private struct Genes: Hashable, Comparable {
        let head: String
        let tail: String
        static func < (a: Genes, b: Genes) -> Bool { (a.head, a.tail) < (b.head, b.tail) }
    }

    /// - Parameter mergeDistance: 0 joins exact pairs only.
    public init(calls: [CohortCall], mergeDistance: Int) {
        var groups: [PairKey: [Int]] = [:]
        for (i, call) in calls.enumerated() { groups[call.key, default: []].append(i) }
        let keys = groups.keys.sorted()
        var clusters: [[PairKey]] = []
        if mergeDistance <= 0 {
            clusters = keys.map { [$0] }
        } else {
            // Keys come sorted by sides, then head position: a cluster whose anchor is further than
            // the distance behind can take no later key.
            var open: [Int] = []
            var sides: [String] = []
            for key in keys {
                if key.sides != sides {
                    open = []
                    sides = key.sides
                }
                open.removeAll { key.headPosition - clusters[$0][0].headPosition > mergeDistance }
                if let c = open.first(where: { abs(key.tailPosition - clusters[$0][0].tailPosition) <= mergeDistance })
                {
                    clusters[c].append(key)
                } else {
                    clusters.append([key])
                    open.append(clusters.count - 1)
                }
            }
        }
        var pairs: [Pair] = clusters.map { members in
            // `max` keeps the last of equals: compare so the earliest key wins a tie.
            let scored =
                members.enumerated().max { a, b in
                    let (ca, cb) = (groups[a.element]?.count ?? 0, groups[b.element]?.count ?? 0)
                    return ca != cb ? ca < cb : a.offset > b.offset
                }?.element ?? members[0]
            let own = groups[scored] ?? []
            var named: [Genes: Int] = [:]
            for i in own { named[Genes(head: calls[i].head.gene, tail: calls[i].tail.gene), default: 0] += 1 }
            let genes =
                named.max { a, b in a.value != b.value ? a.value < b.value : a.key > b.key }?.key
                ?? Genes(head: "", tail: "")
            let first = calls[own[0]]
            var head = first.head
            var tail = first.tail
            head.gene = genes.head
            tail.gene = genes.tail
            let heads = members.map(\.headPosition)
            let tails = members.map(\.tailPosition)
            return Pair(
                head: head, tail: tail, calls: members.flatMap { groups[$0] ?? [] }.sorted(),
                mergedPairs: members.count, headSpread: (heads.max() ?? 0) - (heads.min() ?? 0),
                tailSpread: (tails.max() ?? 0) - (tails.min() ?? 0))
        }
        pairs.sort { $0.key < $1.key }
        var pairOfCall = [Int](repeating: 0, count: calls.count)
        for (p, pair) in pairs.enumerated() {
            for i in pair.calls { pairOfCall[i] = p }
        }
        self.pairs = pairs
        self.pairOfCall = pairOfCall
    }
}
