/// Resolves the chromosome names that callers write (`chr1`, `1`, `MT`, `chrMT`, ...) against a genome's own.
///
/// An exact name always wins. Otherwise names are compared by a key that ignores case and a leading
/// `chr`, treats `M` and `MT` alike, and drops a `:1-LENGTH` suffix (a FASTA header such as
/// `>chrM:1-16569` names a whole sequence starting at 1, so its coordinates are the chromosome's).
/// A key shared by two genome names is ambiguous and never aliased.
public struct ChromosomeNames: Sendable {
    /// A name resolved against the genome.
    public struct Match: Sendable, Equatable {
        /// The genome's own name.
        public let name: String
        /// The sequence's length in the genome.
        public let length: Int
        /// True when the query differs from `name` (reported in run summaries).
        public let isAlias: Bool

        public init(name: String, length: Int, isAlias: Bool) {
            self.name = name
            self.length = length
            self.isAlias = isAlias
        }
    }

    private let exact: [String: Int]
    private let byKey: [String: Int?]
    private let sequences: [ChromosomeInfo]

    public init(_ sequences: [ChromosomeInfo]) {
        self.sequences = sequences
        var exact: [String: Int] = [:]
        var byKey: [String: Int?] = [:]
        for (i, s) in sequences.enumerated() {
            exact[s.name] = i
            let key = Self.key(s.name, length: s.length)
            if byKey[key] != nil { byKey[key] = .some(nil) } else { byKey[key] = i }
        }
        self.exact = exact
        self.byKey = byKey
    }

    /// The genome sequence `name` refers to, or nil when none (or more than one) fits.
    public func resolve(_ name: some StringProtocol) -> Match? {
        let query = String(name)
        if let i = exact[query] {
            return Match(name: sequences[i].name, length: sequences[i].length, isAlias: false)
        }
        guard let found = byKey[Self.key(query, length: nil)], let i = found else { return nil }
        return Match(name: sequences[i].name, length: sequences[i].length, isAlias: true)
    }

    /// Whether two names denote the same sequence through the usual aliases (`chr2` and `2`).
    public static func same(_ a: String, _ b: String) -> Bool {
        key(a, length: nil) == key(b, length: nil)
    }

    /// The comparison key: lowercase, no `chr` prefix, `mt` -> `m`, `:1-LENGTH` suffix dropped, and
    /// NCBI's RefSeq accessions of the human chromosomes read as their names.
    static func key(_ name: String, length: Int?) -> String {
        var n = Substring(name.lowercased())
        if let length, let colon = n.lastIndex(of: ":"), n[n.index(after: colon)...] == "1-\(length)" {
            n = n[..<colon]
        }
        if n.hasPrefix("chr") { n = n.dropFirst(3) }
        if n == "mt" { n = "m" }
        return refSeqChromosome(n) ?? String(n)
    }

    /// `NC_000001.11` -> `1` ... `NC_000023` -> `x`, `NC_000024` -> `y`, `NC_012920` -> `m`, any version:
    /// NCBI's GRCh37/GRCh38 FASTA and GTF name the chromosomes so, callers run on UCSC or Ensembl
    /// names. Other accessions (scaffolds, other species) are left as they are.
    private static func refSeqChromosome(_ name: Substring) -> String? {
        // Checked before anything is split off: every name lookup comes through here.
        guard name.hasPrefix("nc_") else { return nil }
        let digits = name.dropFirst(3).prefix { $0 != "." }
        guard digits.count == 6, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(digits) else {
            return nil
        }
        switch number {
        case 1...22: return String(number)
        case 23: return "x"
        case 24: return "y"
        case 12920: return "m"
        default: return nil
        }
    }
}
