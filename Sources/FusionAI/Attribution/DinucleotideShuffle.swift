import SeededRandom

/// A dinucleotide-preserving shuffle (Altschul–Erickson, as in fasta-shuffle-letters -k 2): the
/// shuffled sequence has the same dinucleotide counts as the original. Used as the integrated-
/// gradients and DeepLIFT reference that keeps the sequence's composition but not its order.
enum DinucleotideShuffle {
    /// Shuffles one-hot rows `[positions, 4]` (all-zero N rows are a fifth letter); seeded.
    static func shuffled(_ oneHot: [Float], positions: Int, seed: UInt64) -> [Float] {
        let letters = (0..<positions).map { t in (0..<4).first { oneHot[t * 4 + $0] == 1 } ?? 4 }
        let order = shuffle(letters, seed: seed)
        var out = [Float](repeating: 0, count: positions * 4)
        for (t, l) in order.enumerated() where l < 4 { out[t * 4 + l] = 1 }
        return out
    }

    /// Euler-path shuffle: random edge orders out of each letter, with the last edge of each
    /// letter (a random arborescence towards the final letter) kept last so the walk completes.
    static func shuffle(_ s: [Int], seed: UInt64) -> [Int] {
        guard s.count > 2 else { return s }
        var rng = SeededGenerator(seed: seed)
        var edges = [[Int]](repeating: [], count: 5)
        for i in 0..<(s.count - 1) { edges[s[i]].append(s[i + 1]) }
        let end = s[s.count - 1]
        // Pick each letter's last exit so that following last exits from any letter reaches `end`.
        var last = [Int?](repeating: nil, count: 5)
        var inTree = [Bool](repeating: false, count: 5)
        inTree[end] = true
        for v in 0..<5 where !edges[v].isEmpty && !inTree[v] {
            var u = v
            var path: [Int: Int] = [:]
            while !inTree[u] {
                let next = edges[u][rng.int(in: 0...(edges[u].count - 1))]
                path[u] = next
                u = next
            }
            u = v
            while !inTree[u], let next = path[u] {
                last[u] = next
                inTree[u] = true
                u = next
            }
        }
        for v in 0..<5 {
            var list = edges[v]
            var chosen: Int?
            if let l = last[v], let at = list.firstIndex(of: l) { chosen = list.remove(at: at) }
            rng.shuffle(&list)
            if let chosen { list.append(chosen) }
            edges[v] = list
        }
        var out = [s[0]]
        var cursor = [Int](repeating: 0, count: 5)
        var u = s[0]
        while out.count < s.count, cursor[u] < edges[u].count {
            let next = edges[u][cursor[u]]
            cursor[u] += 1
            out.append(next)
            u = next
        }
        return out
    }
}
