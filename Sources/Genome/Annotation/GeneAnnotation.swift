import CHTSlib
import Foundation

/// Genes from a GTF annotation: where each lies and on which strand, looked up by name or ID.
///
/// Fusion callers that give no gene strand (old JAFFA releases, SQUID) need one to orient a
/// fusion; this supplies it. Only `gene` lines are kept; a GTF without them (some pipelines strip
/// them) has its genes built from `transcript` lines, or failing those from `exon` lines, as the
/// span of each `gene_id`.
public struct GeneAnnotation: Sendable {
    /// One gene of the annotation.
    public struct Gene: Sendable, Hashable {
        /// `gene_name` (else `gene`, else `gene_id`).
        public let name: String
        /// `gene_id` as written, version suffix included (`ENSG00000153246.7`).
        public let id: String
        public let chromosome: String
        /// 1-based first base.
        public let start: Int
        /// 1-based last base (inclusive).
        public let end: Int
        public let strand: Strand

        public init(name: String, id: String, chromosome: String, start: Int, end: Int, strand: Strand) {
            self.name = name
            self.id = id
            self.chromosome = chromosome
            self.start = start
            self.end = end
            self.strand = strand
        }

        /// Whether 1-based `position` lies in the gene, `margin` bases either side allowed.
        public func contains(_ position: Int, margin: Int = 0) -> Bool {
            // `position - margin`, not `end + margin`: an end near Int.max must not overflow.
            position >= start - margin && position - margin <= end
        }
    }

    /// The file read, for messages.
    public let path: String
    /// The genes, in file order.
    public let genes: [Gene]
    /// Name, ID and unversioned ID -> indexes into `genes`.
    private let lookup: [String: [Int]]

    /// Reads a GTF (plain, gzip or bgzip).
    /// - Parameter gtfPath: the annotation; `#` lines are comments.
    /// - Throws: ``GenomeError`` when the file cannot be read, a line that matters is malformed (the
    ///   error names `file:line` and the column), or the file holds no gene, transcript or exon lines.
    /// - Complexity: one pass over the file; only `gene`, `transcript` and `exon` lines are decoded.
    public init(gtfPath: String) throws {
        let reader = try GTFReader(path: gtfPath)
        var fromGenes: [Gene] = []
        var fromTranscripts = GeneSpans()
        var fromExons = GeneSpans()
        while let line = try reader.next(features: [.gene, .transcript, .exon]) {
            let gene = try line.gene()
            switch line.feature {
            case .gene: fromGenes.append(gene)
            case .transcript: fromTranscripts.add(gene)
            case .exon: fromExons.add(gene)
            }
        }
        let genes = GeneSpans.merge(genes: fromGenes, transcripts: fromTranscripts, exons: fromExons)
        guard !genes.isEmpty else {
            throw GenomeError(
                .unsupportedFormat, path: gtfPath, "holds no gene, transcript or exon lines: is it a GTF annotation?")
        }
        self.init(path: gtfPath, genes: genes)
    }

    /// An annotation of the given genes (`path` only names it in messages).
    public init(path: String = "-", genes: [Gene]) {
        self.path = path
        self.genes = genes
        var lookup: [String: [Int]] = [:]
        for (i, gene) in genes.enumerated() {
            var keys: Set<String> = [gene.name, gene.id]
            if let id = Self.unversioned(gene.id) { keys.insert(id) }
            for key in keys where !key.isEmpty { lookup[key, default: []].append(i) }
        }
        self.lookup = lookup
    }

    /// An ID without its `.N` version suffix (`ENSG00000153246.7` -> `ENSG00000153246`); nil when it
    /// has none (a suffix that is not a number, as in `..._PAR_Y`, is not a version).
    public static func unversioned(_ id: String) -> String? {
        guard let dot = id.lastIndex(of: "."), id.index(after: dot) < id.endIndex,
            id[id.index(after: dot)...].allSatisfy(\.isNumber)
        else { return nil }
        return String(id[..<dot])
    }

    /// The genes called `name` (a `gene_name`, or a `gene_id` with or without its version).
    /// - Parameters:
    ///   - name: the gene's name or ID.
    ///   - chromosome: when given, only genes on this chromosome (`chr4`, `4` and `CHR4` alike; `M`, `MT` alike).
    public func genes(named name: String, chromosome: String? = nil) -> [Gene] {
        var found = (lookup[name] ?? []).map { genes[$0] }
        if found.isEmpty, let id = Self.unversioned(name) {
            found = (lookup[id] ?? []).map { genes[$0] }
        }
        guard let chromosome else { return found }
        return found.filter { ChromosomeNames.same($0.chromosome, chromosome) }
    }

    /// Whether gene `name` lies at `position` of `chromosome`, `margin` bases either side allowed. On Y
    /// inside a pseudoautosomal region a gene annotated on X at the same place of the region counts
    /// (Ensembl's GTF has no Y copies); GRCh37's and GRCh38's PAR1 overlap on Y, so either build's place does.
    public func gene(named name: String, liesAt position: Int, on chromosome: String, margin: Int = 0) -> Bool {
        if genes(named: name, chromosome: chromosome).contains(where: { $0.contains(position, margin: margin) }) {
            return true
        }
        guard ChromosomeNames.same(chromosome, "Y") else { return false }
        let places = PseudoautosomalRegion.all.compactMap { $0.xPosition(ofY: position) }
        guard !places.isEmpty else { return false }
        return genes(named: name, chromosome: "X").contains { gene in
            places.contains { gene.contains($0, margin: margin) }
        }
    }

    /// The strand of gene `name` (a name or ID).
    ///
    /// - Parameters:
    ///   - name: the gene's name or ID.
    ///   - chromosome: the chromosome the caller puts the gene on. When given, only genes named `name`
    ///     on it count: a symbol reused on another chromosome (or a gene the annotation places
    ///     elsewhere, another assembly's) says nothing of this one's strand.
    ///   - position: the call's breakpoint. On Y inside a pseudoautosomal region, a gene annotated
    ///     only on X inside the same region counts (Ensembl's GTF has no Y copies).
    /// - Returns: `.plus` or `.minus`; nil when no such gene is known (there), its strand is not
    ///   given, or its genes lie on both strands.
    public func strand(ofGene name: String, chromosome: String?, position: Int? = nil) -> Strand? {
        var found = genes(named: name, chromosome: chromosome)
        // Ensembl annotates the pseudoautosomal genes on X alone; their Y copies read the same way.
        if found.isEmpty, let chromosome, let position, ChromosomeNames.same(chromosome, "Y") {
            let regions = PseudoautosomalRegion.all.filter { $0.y.contains(position) }
            found = genes(named: name, chromosome: "X").filter { gene in
                regions.contains { $0.x.contains(gene.start) && $0.x.contains(gene.end) }
            }
        }
        return Self.single(found)
    }

    /// A pseudoautosomal region of one build, as it lies on X and on Y (the same sequence).
    private struct PseudoautosomalRegion {
        let x: ClosedRange<Int>
        let y: ClosedRange<Int>

        /// PAR1 and PAR2 of GRCh37 and of GRCh38. A gene counts only with a call in the same
        /// build's region on Y: GRCh38's X genes near GRCh37's PAR2 coordinates (BRCC3) are not PAR.
        static let all = [
            PseudoautosomalRegion(x: 60_001...2_699_520, y: 10_001...2_649_520),  // GRCh37 PAR1
            PseudoautosomalRegion(x: 154_931_044...155_260_560, y: 59_034_050...59_363_566),  // GRCh37 PAR2
            PseudoautosomalRegion(x: 10_001...2_781_479, y: 10_001...2_781_479),  // GRCh38 PAR1
            PseudoautosomalRegion(x: 155_701_383...156_030_895, y: 56_887_903...57_217_415),  // GRCh38 PAR2
        ]

        /// Where Y's `position` lies on X, when the region holds it (both copies are equally long).
        func xPosition(ofY position: Int) -> Int? {
            y.contains(position) ? x.lowerBound + (position - y.lowerBound) : nil
        }
    }

    /// The one stranded strand among `genes`, or nil when there is none or there are two.
    private static func single(_ genes: [Gene]) -> Strand? {
        let strands = Set(genes.map(\.strand)).subtracting([.unknown])
        return strands.count == 1 ? strands.first : nil
    }
}
