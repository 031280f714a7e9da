/// One GTF line of a feature the annotation keeps, split into its nine columns.
struct GTFLine {
    /// The features read; others are skipped unread.
    enum Feature: String, CaseIterable {
        case gene, transcript, exon
    }

    let feature: Feature
    let line: Int
    let path: String
    let columns: [Substring]

    /// - Throws: ``GenomeError`` when the line does not have nine tab-separated columns.
    init(feature: Feature, text: String, line: Int, path: String) throws {
        self.feature = feature
        self.line = line
        self.path = path
        columns = text.split(separator: "\t", maxSplits: 8, omittingEmptySubsequences: false)
        guard columns.count == 9 else {
            throw error(
                "has \(columns.count) tab-separated column(s); a GTF line has 9 (seqname source feature start end "
                    + "score strand frame attributes)"
            )
        }
    }

    /// The gene this line describes (for transcripts and exons: the span of this line, under its gene).
    /// - Throws: ``GenomeError`` naming the column when the coordinates, strand or `gene_id` are unusable.
    func gene() throws -> GeneAnnotation.Gene {
        let chromosome = columns[0]
        guard !chromosome.isEmpty else { throw error("column 1 (seqname) is empty") }
        guard let start = Int(columns[3]), start > 0 else {
            throw error("column 4 (start) '\(columns[3])' is not a positive whole number")
        }
        guard let end = Int(columns[4]), end >= start, end <= ChromosomeInfo.largestPosition else {
            throw error(
                "column 5 (end) '\(columns[4])' is not a whole number at or after start \(start) (and at most 2^40)")
        }
        let strand: Strand
        switch columns[6] {
        case "+": strand = .plus
        case "-": strand = .minus
        case ".", "?": strand = .unknown
        default: throw error("column 7 (strand) '\(columns[6])' is not +, - or .")
        }
        let attributes = columns[8]
        guard let id = Self.attribute("gene_id", in: attributes), !id.isEmpty else {
            throw error("a \(feature.rawValue) line without a gene_id attribute (column 9)")
        }
        let name = Self.attribute("gene_name", in: attributes) ?? Self.attribute("gene", in: attributes) ?? id
        return GeneAnnotation.Gene(
            name: String(name.isEmpty ? id : name), id: String(id), chromosome: String(chromosome), start: start,
            end: end, strand: strand)
    }

    /// The value of attribute `key` in a GTF column 9 (`key "value"; key value; ...`), quotes removed.
    static func attribute(_ key: String, in text: Substring) -> Substring? {
        for pair in text.split(separator: ";") {
            var item = pair.drop { $0 == " " }
            guard item.hasPrefix(key) else { continue }
            item = item.dropFirst(key.count)
            guard let first = item.first, first == " " || first == "\t" else { continue }
            var value = item.drop { $0 == " " || $0 == "\t" }
            while value.last == " " { value = value.dropLast() }
            if value.count >= 2, value.first == "\"", value.last == "\"" { value = value.dropFirst().dropLast() }
            return value
        }
        return nil
    }

    private func error(_ message: String) -> GenomeError {
        GenomeError(.corrupt, path: path, line: line, message)
    }
}
