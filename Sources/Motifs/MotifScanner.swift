import Foundation

/// FIMO's scan (Grant et al., Bioinformatics 2011): each motif becomes a log-odds matrix
/// (`log2((p' + ...) / background)`, with FIMO's pseudocount `p' = (n p + c b) / (n + c)` for `n`
/// sites and pseudocount `c`), every window of a sequence is scored on both strands, and a
/// site's p-value is the chance that a background sequence scores at least as much, taken from
/// the exact distribution of the matrix's scores once rounded to integers (dynamic programming
/// over the columns, as FIMO does). Windows holding a base other than A, C, G, T are skipped.
public struct MotifScanner: Sendable {
    public struct Options: Sendable {
        /// FIMO's `--motif-pseudo`.
        public var pseudocount = 0.1
        /// Sites with a p-value above this are dropped (FIMO's `--thresh`).
        public var threshold = 1e-4
        /// Score the reverse strand too (FIMO's default; `--norc` turns it off).
        public var bothStrands = true
        /// Integer steps the whole score range of a motif is cut into for p-values.
        public var resolution = 1000

        public init() {}
    }

    /// The strand of a site, relative to the sequence scanned.
    public enum Strand: String, Sendable {
        case forward = "+"
        case reverse = "-"
    }

    /// One site.
    public struct Site: Sendable, Equatable {
        public let motifIndex: Int
        /// 0-based first base in the sequence.
        public let start: Int
        public let width: Int
        public let strand: Strand
        /// Log-odds score, bits.
        public let score: Double
        public let pValue: Double
    }

    /// A motif ready to scan: scores per column and letter, their integer version and the
    /// p-value of every integer total.
    public struct Scorer: Sendable {
        public let width: Int
        /// `[column * 4 + letter]` log-odds, bits, forward strand.
        public let logOdds: [Double]
        /// `survival[s]`: P(integer total >= s) under the background.
        let survival: [Double]
        /// The smallest integer total whose p-value passes the threshold (an upper bound when none do).
        let cutoff: Int
        /// Per group of `groupSize` columns, the group's total for each of its 5^groupSize base
        /// codes (A, C, G, T, other: base 5, first base lowest); a non-ACGT base inside the motif
        /// adds ``sink``. Forward strand, and reverse (columns reversed, letters complemented), so
        /// both strands are scored by one loop with a quarter of the lookups.
        let forwardGroups: [[Int]]
        let reverseGroups: [[Int]]
        static let groupSize = 4
        static let groupCodes = 625
        /// The integer score of a base no site holds (not A, C, G or T, or a letter of probability 0):
        /// far below any cutoff, and a 1,000-column motif of them still fits an Int.
        static let sink = -(1 << 40)

        init(_ motif: MotifMatrix, options: Options) {
            width = motif.width
            // At least one site: none would leave (n p + c bg) / (n + c) at 0/0 without a pseudocount.
            let n = Double(max(1, motif.sites ?? 20))
            let c = options.pseudocount
            let bg = motif.background
            var logOdds: [Double] = []
            var possible: [Bool] = []
            for row in motif.rows {
                for letter in 0..<4 {
                    let p = (n * row[letter] + c * bg[letter]) / (n + c)
                    logOdds.append(log2(max(p, 1e-300) / bg[letter]))
                    possible.append(p > 0)
                }
            }
            self.logOdds = logOdds
            // A letter the motif never holds (a zero without a pseudocount) scores minus infinity: a
            // window with it is no site. It is kept off the integer grid, whose steps would otherwise
            // span down to log2(1e-300) and round every real score onto a few of them.
            let columns = (0..<motif.width).map { j in
                (0..<4).filter { possible[j * 4 + $0] }.map { logOdds[j * 4 + $0] }
            }
            let minima = columns.map { $0.min() ?? 0 }
            let maxima = columns.map { $0.max() ?? 0 }
            let span = zip(maxima, minima).map { $0 - $1 }.reduce(0, +)
            let scale = span > 0 ? Double(options.resolution) / span : 1
            // The log-odds rounded onto the integer grid, each column shifted to a minimum of 0.
            let grid = (0..<(width * 4)).map {
                possible[$0] ? Int(((logOdds[$0] - minima[$0 / 4]) * scale).rounded()) : Self.sink
            }
            // The exact distribution of integer totals, column by column; an impossible letter's
            // share of the background is a total no window reaches.
            var distribution = [1.0]
            for j in 0..<width {
                let top = (0..<4).map { grid[j * 4 + $0] }.max() ?? 0
                var next = [Double](repeating: 0, count: distribution.count + top)
                for (total, probability) in distribution.enumerated() where probability > 0 {
                    for letter in 0..<4 where possible[j * 4 + letter] {
                        next[total + grid[j * 4 + letter]] += probability * bg[letter]
                    }
                }
                distribution = next
            }
            let tails = survivalFunction(distribution)
            survival = tails
            cutoff = tails.firstIndex { $0 <= options.threshold } ?? tails.count
            let w = motif.width
            func column(_ j: Int, _ letter: Int, reverse: Bool) -> Int {
                // Reverse strand: column j meets the complement of the base at w-1-j.
                reverse ? grid[(w - 1 - j) * 4 + 3 - letter] : grid[j * 4 + letter]
            }
            func groups(reverse: Bool) -> [[Int]] {
                stride(from: 0, to: w, by: Self.groupSize).map { first in
                    let columns = min(Self.groupSize, w - first)
                    return (0..<Self.groupCodes).map { code in
                        var total = 0
                        var rest = code
                        for i in 0..<columns {
                            let letter = rest % 5
                            rest /= 5
                            total += letter == 4 ? Self.sink : column(first + i, letter, reverse: reverse)
                        }
                        return total
                    }
                }
            }
            forwardGroups = groups(reverse: false)
            reverseGroups = groups(reverse: true)
        }

        func pValue(integerScore s: Int) -> Double { s < survival.count ? survival[max(0, s)] : 0 }
    }

    public let motifs: [MotifMatrix]
    public let options: Options
    public let scorers: [Scorer]

    public init(motifs: [MotifMatrix], options: Options = Options()) {
        self.motifs = motifs
        self.options = options
        scorers = motifs.map { Scorer($0, options: options) }
    }

    /// The sites of every motif in `sequence` (ASCII bases, any case) with a p-value at most the
    /// threshold, by position, then motif, then strand.
    public func scan(_ sequence: [UInt8]) -> [Site] {
        let codes = sequence.map { base -> Int in
            let code = Self.code(base)
            return code < 0 ? 4 : Int(code)
        }
        // The base-5 code of the `groupSize` bases from each position (past the end: other).
        let size = Scorer.groupSize
        let kmers = codes.indices.map { s in
            (0..<size).reversed().reduce(0) { $0 * 5 + (s + $1 < codes.count ? codes[s + $1] : 4) }
        }
        var sites: [Site] = []
        var totals: [Int] = []
        for (m, scorer) in scorers.enumerated() {
            let w = scorer.width
            guard w > 0, codes.count >= w else { continue }
            let positions = codes.count - w + 1
            for strand in options.bothStrands ? [Strand.forward, .reverse] : [.forward] {
                Self.totals(kmers, strand == .forward ? scorer.forwardGroups : scorer.reverseGroups, positions, &totals)
                for start in 0..<positions where totals[start] >= scorer.cutoff {
                    sites.append(site(m, scorer, codes, start, strand, totals[start]))
                }
            }
        }
        return sites.sorted {
            ($0.start, $0.motifIndex, $0.strand == .forward ? 0 : 1)
                < ($1.start, $1.motifIndex, $1.strand == .forward ? 0 : 1)
        }
    }

    /// Every window's integer total, group by group: a pass over the positions per group of
    /// columns, with no branches (a non-ACGT base's entry is far below any cutoff).
    private static func totals(_ kmers: [Int], _ groups: [[Int]], _ positions: Int, _ totals: inout [Int]) {
        if totals.count < positions { totals = [Int](repeating: 0, count: positions) }
        totals.withUnsafeMutableBufferPointer { totals in
            kmers.withUnsafeBufferPointer { kmers in
                for s in 0..<positions { totals[s] = 0 }
                for (g, table) in groups.enumerated() {
                    let shift = g * Scorer.groupSize
                    table.withUnsafeBufferPointer { table in
                        for s in 0..<positions { totals[s] += table[kmers[s + shift]] }
                    }
                }
            }
        }
    }

    private func site(_ m: Int, _ scorer: Scorer, _ codes: [Int], _ start: Int, _ strand: Strand, _ total: Int)
        -> Site
    {
        let w = scorer.width
        var score = 0.0
        for j in 0..<w {
            let letter = strand == .forward ? codes[start + j] : 3 - codes[start + w - 1 - j]
            score += scorer.logOdds[j * 4 + letter]
        }
        return Site(
            motifIndex: m, start: start, width: w, strand: strand, score: score,
            pValue: scorer.pValue(integerScore: total))
    }

    /// 0...3 for A, C, G, T in either case; -1 for anything else.
    static func code(_ base: UInt8) -> Int8 {
        switch base | 0x20 {
        case UInt8(ascii: "a"): 0
        case UInt8(ascii: "c"): 1
        case UInt8(ascii: "g"): 2
        case UInt8(ascii: "t"): 3
        default: -1
        }
    }
}
