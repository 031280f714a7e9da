/// Resolves the chromosome names that callers write (`chr1`, `1`, `MT`, `chrMT`, ...) against a genome's own.
///
/// An exact name always wins. Otherwise names are compared by a key that ignores case and a leading
/// `chr`, treats `M` and `MT` alike, and drops a `:1-LENGTH` suffix (a FASTA header such as
/// `>chrM:1-16569` names a whole sequence starting at 1, so its coordinates are the chromosome's).
/// A key shared by two genome names is ambiguous and never aliased. A RefSeq accession whose version
/// belongs to another build than the genome sequence it would alias (`NC_000001.11`, GRCh38's, against
/// hg19's `chr1`) is not aliased either, nor `MT` to UCSC hg19's chrM: their coordinates are not the
/// genome's (`buildMismatch`).
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
    /// The genome's build told from its lengths (accession versions are checked against it).
    private let build: GenomeBuild

    public init(_ sequences: [ChromosomeInfo]) {
        self.sequences = sequences
        build = GenomeBuild.detect(sequences).build
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
        guard let i = aliased(query), mismatch(query, sequences[i]) == nil else { return nil }
        return Match(name: sequences[i].name, length: sequences[i].length, isAlias: true)
    }

    /// Why `name`, a RefSeq accession, is not aliased to the genome's sequence of its chromosome:
    /// its version belongs to another build than that sequence (told from the sequence's own
    /// accession, else from the genome's lengths), or it is NC_012920 (the 16,569-nt rCRS) and the
    /// sequence is not 16,569 nt, or it is `MT` (the rCRS by Ensembl's name) and the sequence is UCSC
    /// hg19's 16,571-nt chrM. Nil otherwise.
    public func buildMismatch(_ name: some StringProtocol) -> String? {
        let query = String(name)
        guard exact[query] == nil, let i = aliased(query) else { return nil }
        return mismatch(query, sequences[i])
    }

    private func aliased(_ query: String) -> Int? {
        guard let found = byKey[Self.key(query, length: nil)] else { return nil }
        return found
    }

    private func mismatch(_ query: String, _ sequence: ChromosomeInfo) -> String? {
        guard let accession = RefSeqAccession(query) else {
            // `MT` is Ensembl's and 1000 Genomes' GRCh37 name of the rCRS, which UCSC's hg19 chrM is not.
            // The length first: every alias resolved passes here, and it rules out all but that chrM.
            guard sequence.length == RefSeqAccession.hg19ChrMLength, Self.key(query, length: nil) == "m",
                query.lowercased().hasSuffix("mt")
            else { return nil }
            return "\(query) names the revised Cambridge mitochondrial sequence (\(RefSeqAccession.rCRSLength) nt) "
                + "in Ensembl's and GRCh37's naming, and the genome's \(sequence.name) is "
                + "\(RefSeqAccession.hg19ChrMLength) nt, UCSC hg19's other sequence (NC_001807)"
        }
        if accession.chromosome == "m" {
            guard sequence.length != RefSeqAccession.rCRSLength else { return nil }
            return "\(query) is the revised Cambridge mitochondrial sequence (\(RefSeqAccession.rCRSLength) nt), "
                + "and the genome's \(sequence.name) is \(sequence.length) nt, another sequence"
        }
        guard let queryBuild = accession.build else { return nil }
        // A sequence named by a versioned accession is compared version to version (two versions older
        // than GRCh37 are two sequences too); any other by the build its lengths tell.
        let own = RefSeqAccession(sequence.name)
        if let own, let ownVersion = own.version, let ownBuild = own.build {
            guard accession.version != ownVersion else { return nil }
            return Self.mismatchText(query, accession, queryBuild, sequence, ownBuild, how: "by its name")
        }
        guard build != .other, queryBuild != build else { return nil }
        return Self.mismatchText(query, accession, queryBuild, sequence, build, how: "by its length")
    }

    private static func mismatchText(
        _ query: String, _ accession: RefSeqAccession, _ queryBuild: GenomeBuild, _ sequence: ChromosomeInfo,
        _ sequenceBuild: GenomeBuild, how: String
    ) -> String {
        func label(_ build: GenomeBuild) -> String {
            build == .other ? "a build other than GRCh37 and GRCh38" : build.label
        }
        return "\(query) is chromosome \(accession.chromosome.uppercased()) of \(label(queryBuild)), and the "
            + "genome's \(sequence.name) is \(label(sequenceBuild)) \(how)"
    }

    /// Whether two names denote the same sequence through the usual aliases (`chr2` and `2`); two RefSeq
    /// accessions of one chromosome with different versions do not.
    public static func same(_ a: String, _ b: String) -> Bool {
        guard key(a, length: nil) == key(b, length: nil) else { return false }
        guard let versionA = RefSeqAccession(a)?.version, let versionB = RefSeqAccession(b)?.version else {
            return true
        }
        return versionA == versionB
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

    /// NCBI's GRCh37/GRCh38 FASTA and GTF name the chromosomes by RefSeq accession, callers run on UCSC or
    /// Ensembl names.
    private static func refSeqChromosome(_ name: Substring) -> String? {
        // Checked before anything is split off: every name lookup comes through here.
        guard name.hasPrefix("nc_") else { return nil }
        return RefSeqAccession(name)?.chromosome
    }
}

/// A RefSeq accession of a human chromosome: `NC_000001.11` is chromosome 1 of GRCh38 ... `NC_000023`
/// X, `NC_000024` Y, `NC_012920` the mitochondrion; other accessions (scaffolds, other species) are none.
struct RefSeqAccession {
    /// The chromosome's key: `1`...`22`, `x`, `y`, `m`.
    let chromosome: String
    /// The accession's version (`11` of `NC_000001.11`), nil without one.
    let version: Int?
    /// The build the version belongs to: GRCh37's versions, GRCh38's (one more), or `.other` for
    /// another; nil without a version or for the mitochondrion (the same rCRS in both).
    let build: GenomeBuild?

    static let rCRSLength = 16_569
    /// UCSC hg19's chrM (NC_001807), not the rCRS.
    static let hg19ChrMLength = 16_571

    /// The versions of NC_000001...NC_000024 in GRCh37; GRCh38 has each one higher.
    private static let grch37Versions = [
        10, 11, 11, 11, 9, 11, 13, 10, 11, 10, 9, 11, 10, 8, 9, 9, 10, 9, 9, 10, 8, 10, 10, 9,
    ]

    init?(_ name: some StringProtocol) {
        // Looked at before anything is lowercased: most names asked about (`chr2`, `2`) are not accessions.
        func starts(with prefix: String, after offset: Int) -> Bool {
            let caseless = { (byte: UInt8) in byte | 0x20 }
            return name.utf8.dropFirst(offset).prefix(prefix.utf8.count).lazy.map(caseless)
                .elementsEqual(prefix.utf8.lazy.map(caseless))
        }
        guard starts(with: "nc_", after: 0) || (starts(with: "chr", after: 0) && starts(with: "nc_", after: 3)) else {
            return nil
        }
        var lower = Substring(name.lowercased())
        // `chrNC_000001.11` is keyed as `NC_000001.11` (ChromosomeNames.key drops `chr` first).
        if lower.hasPrefix("chr") { lower = lower.dropFirst(3) }
        guard lower.hasPrefix("nc_") else { return nil }
        let rest = lower.dropFirst(3)
        let digits = rest.prefix { $0 != "." }
        guard digits.count == 6, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(digits) else {
            return nil
        }
        var version: Int?
        if digits.count < rest.count {
            let text = rest.dropFirst(digits.count + 1)
            guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }), let v = Int(text) else { return nil }
            version = v
        }
        self.version = version
        switch number {
        case 1...24:
            chromosome = number == 23 ? "x" : number == 24 ? "y" : String(number)
            build = version.map { v in
                let grch37 = Self.grch37Versions[number - 1]
                return v == grch37 ? .hg19 : v == grch37 + 1 ? .hg38 : .other
            }
        case 12920:
            chromosome = "m"
            build = nil
        default: return nil
        }
    }
}
