import Foundation

/// Genes with their transcripts and exons, from a GTF annotation: what a tool needs to place
/// breakpoints at exon boundaries (``GeneAnnotation`` keeps only where each gene lies).
///
/// Genes come from `gene` lines; a GTF without them has each `gene_id` spanned from its transcript
/// or exon lines, as ``GeneAnnotation`` does. Exons are grouped by `gene_id` (per chromosome) and
/// `transcript_id`; an exon line without a `transcript_id` counts as its own one-exon transcript.
public struct GeneModels: Sendable {
    /// One transcript: its exons as 1-based inclusive ranges, in transcript order (5' to 3': by
    /// ascending position on `+`, descending on `-`).
    public struct Transcript: Sendable, Hashable {
        public let id: String
        /// `transcript_type` (GENCODE) or `transcript_biotype` (Ensembl), when given.
        public let type: String?
        public let exons: [ClosedRange<Int>]

        public init(id: String, type: String?, exons: [ClosedRange<Int>]) {
            self.id = id
            self.type = type
            self.exons = exons
        }
    }

    /// One gene with its transcripts.
    public struct Model: Sendable, Hashable {
        public let gene: GeneAnnotation.Gene
        /// `gene_type` (GENCODE) or `gene_biotype` (Ensembl), when given.
        public let type: String?
        /// The gene's transcripts, in file order (empty when the GTF has no exon lines for it).
        public let transcripts: [Transcript]

        public init(gene: GeneAnnotation.Gene, type: String?, transcripts: [Transcript]) {
            self.gene = gene
            self.type = type
            self.transcripts = transcripts
        }
    }

    /// The file read, for messages.
    public let path: String
    /// Every gene of the annotation, in file order.
    public let models: [Model]

    public init(path: String = "-", models: [Model]) {
        self.path = path
        self.models = models
    }

    /// Reads a GTF (plain, gzip or bgzip).
    /// - Throws: ``GenomeError`` when the file cannot be read, a line that matters is malformed
    ///   (naming `file:line` and the column), or it holds no gene, transcript or exon lines.
    /// - Complexity: one pass over the file.
    public init(gtfPath: String) throws {
        let reader = try GTFReader(path: gtfPath)
        var fromGenes: [GeneAnnotation.Gene] = []
        var geneTypes: [String: String] = [:]
        var fromTranscripts = GeneSpans()
        var fromExons = GeneSpans()
        // gene key -> transcript ids in order; transcript key -> exons.
        var transcriptOrder: [String: [String]] = [:]
        var exons: [String: [ClosedRange<Int>]] = [:]
        var transcriptTypes: [String: String] = [:]
        var loneExons = 0
        while let line = try reader.next(features: [.gene, .transcript, .exon]) {
            let gene = try line.gene()
            let geneKey = gene.id + "\t" + gene.chromosome
            let attributes = line.columns[8]
            if geneTypes[geneKey] == nil,
                let type = GTFLine.attribute("gene_type", in: attributes)
                    ?? GTFLine.attribute("gene_biotype", in: attributes)
            {
                geneTypes[geneKey] = String(type)
            }
            switch line.feature {
            case .gene: fromGenes.append(gene)
            case .transcript: fromTranscripts.add(gene)
            case .exon:
                fromExons.add(gene)
                let transcriptID: String
                if let id = GTFLine.attribute("transcript_id", in: attributes), !id.isEmpty {
                    transcriptID = String(id)
                } else {
                    loneExons += 1
                    transcriptID = "exon\(loneExons)"
                }
                let key = geneKey + "\t" + transcriptID
                if exons[key] == nil {
                    transcriptOrder[geneKey, default: []].append(transcriptID)
                    if let type = GTFLine.attribute("transcript_type", in: attributes)
                        ?? GTFLine.attribute("transcript_biotype", in: attributes)
                    {
                        transcriptTypes[key] = String(type)
                    }
                }
                exons[key, default: []].append(gene.start...gene.end)
            }
        }
        let genes = GeneSpans.merge(genes: fromGenes, transcripts: fromTranscripts, exons: fromExons)
        guard !genes.isEmpty else {
            throw GenomeError(
                .unsupportedFormat, path: gtfPath, "holds no gene, transcript or exon lines: is it a GTF annotation?")
        }
        let models = genes.map { gene -> Model in
            let geneKey = gene.id + "\t" + gene.chromosome
            let transcripts = (transcriptOrder[geneKey] ?? []).map { id -> Transcript in
                let key = geneKey + "\t" + id
                var ordered = Set(exons[key] ?? []).sorted { $0.lowerBound < $1.lowerBound }
                if gene.strand == .minus { ordered.reverse() }
                return Transcript(id: id, type: transcriptTypes[key], exons: ordered)
            }
            return Model(gene: gene, type: geneTypes[geneKey], transcripts: transcripts)
        }
        self.init(path: gtfPath, models: models)
    }
}
