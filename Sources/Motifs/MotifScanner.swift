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
        /// The same, rounded onto the integer grid (each column shifted to a minimum of 0).
        let integers: [Int]
        /// `survival[s]`: P(integer total >= s) under the background.
        let survival: [Double]
        /// The smallest integer total whose p-value passes the threshold (an upper bound when none do).
        let cutoff: Int

        init(_ motif: MotifMatrix, options: Options) {
            width = motif.width
            let n = Double(motif.sites ?? 20)
            let c = options.pseudocount
            let bg = motif.background
            var logOdds: [Double] = []
            for row in motif.rows {
                for letter in 0..<4 {
                    let p = (n * row[letter] + c * bg[letter]) / (n + c)
                    logOdds.append(log2(max(p, 1e-300) / bg[letter]))
                }
            }
            self.logOdds = logOdds
            let columns = (0..<motif.width).map { j in logOdds[(j * 4)..<(j * 4 + 4)] }
            let minima = columns.map { $0.min() ?? 0 }
            let maxima = columns.map { $0.max() ?? 0 }
            let span = zip(maxima, minima).map { $0 - $1 }.reduce(0, +)
            let scale = span > 0 ? Double(options.resolution) / span : 1
            let grid = (0..<(width * 4)).map { Int(((logOdds[$0] - minima[$0 / 4]) * scale).rounded()) }
            integers = grid
            // The exact distribution of integer totals, column by column.
            var distribution = [1.0]
            for j in 0..<width {
                let top = (0..<4).map { grid[j * 4 + $0] }.max() ?? 0
                var next = [Double](repeating: 0, count: distribution.count + top)
                for (total, probability) in distribution.enumerated() where probability > 0 {
                    for letter in 0..<4 { next[total + grid[j * 4 + letter]] += probability * bg[letter] }
                }
                distribution = next
            }
            let tails = survivalFunction(distribution)
            survival = tails
            cutoff = tails.firstIndex { $0 <= options.threshold } ?? tails.count
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
        let codes = sequence.map(Self.code)
        // Bases since the last non-ACGT one, so a window's validity is one comparison.
        var run = [Int](repeating: 0, count: codes.count)
        var length = 0
        for (i, c) in codes.enumerated() {
            length = c < 0 ? 0 : length + 1
            run[i] = length
        }
        var sites: [Site] = []
        for (m, scorer) in scorers.enumerated() {
            let w = scorer.width
            guard w > 0, codes.count >= w else { continue }
            for start in 0...(codes.count - w) where run[start + w - 1] >= w {
                var forward = 0
                var reverse = 0
                for j in 0..<w {
                    forward += scorer.integers[j * 4 + Int(codes[start + j])]
                    // The reverse strand reads the complement backwards: column j meets base w-1-j.
                    reverse += scorer.integers[j * 4 + 3 - Int(codes[start + w - 1 - j])]
                }
                if forward >= scorer.cutoff {
                    sites.append(site(m, scorer, codes, start, .forward, forward))
                }
                if options.bothStrands, reverse >= scorer.cutoff {
                    sites.append(site(m, scorer, codes, start, .reverse, reverse))
                }
            }
        }
        return sites.sorted {
            ($0.start, $0.motifIndex, $0.strand == .forward ? 0 : 1)
                < ($1.start, $1.motifIndex, $1.strand == .forward ? 0 : 1)
        }
    }

    private func site(_ m: Int, _ scorer: Scorer, _ codes: [Int8], _ start: Int, _ strand: Strand, _ total: Int)
        -> Site
    {
        let w = scorer.width
        var score = 0.0
        for j in 0..<w {
            let letter = strand == .forward ? Int(codes[start + j]) : 3 - Int(codes[start + w - 1 - j])
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
