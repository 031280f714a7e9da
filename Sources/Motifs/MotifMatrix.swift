import Foundation

/// A DNA motif as a letter-probability matrix: one row per position, the probabilities of A, C, G
/// and T in that order, each row summing to 1.
public struct MotifMatrix: Sendable, Equatable {
    /// The motif's identifier (`MA0139.2`), the first word after `MOTIF`.
    public var id: String
    /// The second word after `MOTIF` (`CTCF`), when there is one.
    public var altName: String?
    /// `[width][4]` probabilities of A, C, G, T.
    public var rows: [[Double]]
    /// Sites the matrix was built from (`nsites=`), when known.
    public var sites: Int?
    /// Background frequencies of A, C, G, T the matrix is read against.
    public var background: [Double]
    /// A `URL` line, kept so a rewritten file still links to the source.
    public var url: String?

    public static let uniformBackground: [Double] = [0.25, 0.25, 0.25, 0.25]

    public init(
        id: String, altName: String? = nil, rows: [[Double]], sites: Int? = nil,
        background: [Double] = MotifMatrix.uniformBackground, url: String? = nil
    ) {
        self.id = id
        self.altName = altName
        self.rows = rows
        self.sites = sites
        self.background = background
        self.url = url
    }

    public var width: Int { rows.count }

    /// The same motif read on the other strand: rows reversed and A<->T, C<->G swapped.
    public var reverseComplement: MotifMatrix {
        var copy = self
        copy.rows = rows.reversed().map { [$0[3], $0[2], $0[1], $0[0]] }
        return copy
    }

    /// Information content of each position in bits against a uniform background: `2 + sum p log2 p`.
    public var informationContent: [Double] {
        rows.map { row in 2 + row.reduce(0) { $0 + ($1 > 0 ? $1 * log2($1) : 0) } }
    }

    /// TOMTOM's consensus: per position the letter with the highest probability, or the IUPAC code
    /// of the two most probable letters when neither reaches 0.5 but together they reach 0.75, or
    /// `N` (MEME suite's `get_pssm_consensus` rule, as tomtom's output columns show it).
    public var consensus: String {
        String(rows.map(Self.consensusLetter))
    }

    private static let letters: [Character] = ["A", "C", "G", "T"]

    private static func consensusLetter(_ row: [Double]) -> Character {
        let order = row.indices.sorted { row[$0] > row[$1] || (row[$0] == row[$1] && $0 < $1) }
        let first = order[0]
        let second = order[1]
        if row[first] >= 0.5 { return letters[first] }
        if row[first] + row[second] >= 0.75 { return iupac(first, second) }
        return "N"
    }

    private static func iupac(_ a: Int, _ b: Int) -> Character {
        switch (min(a, b), max(a, b)) {
        case (0, 1): "M"
        case (0, 2): "R"
        case (0, 3): "W"
        case (1, 2): "S"
        case (1, 3): "Y"
        default: "K"
        }
    }
}
