import Foundation

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
        // Bytes: a tab is always a Character of its own, so this is the Characters' split, without
        // the grapheme breaking (which was most of reading a line).
        columns = text.utf8.split(separator: UInt8(ascii: "\t"), maxSplits: 8, omittingEmptySubsequences: false)
            .map { Substring($0) }
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
        let bytes = text.utf8
        let found =
            bytes.withContiguousStorageIfAvailable { valueOffsets(key, in: $0) }
            ?? Array(bytes).withUnsafeBufferPointer { valueOffsets(key, in: $0) }
        guard let found else { return nil }
        let start = bytes.index(bytes.startIndex, offsetBy: found.lowerBound)
        return Substring(bytes[start..<bytes.index(start, offsetBy: found.count)])
    }

    /// Where attribute `key`'s value lies in column 9's bytes, or nil.
    private static func valueOffsets(_ key: String, in bytes: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        // Bytes, not Characters: this runs up to seven times on every kept line, and walking grapheme
        // clusters was most of reading a GTF. The separators are ASCII, so every slice is whole UTF-8.
        guard let base = bytes.baseAddress else { return nil }
        let space = UInt8(ascii: " ")
        let tab = UInt8(ascii: "\t")
        let quote = UInt8(ascii: "\"")
        var key = key
        return key.withUTF8 { key -> Range<Int>? in
            guard let keyBase = key.baseAddress else { return nil }
            var pair = 0
            while pair < bytes.count {
                let semicolon = memchr(base + pair, Int32(UInt8(ascii: ";")), bytes.count - pair)
                let end = semicolon.map { UnsafeRawPointer($0) - UnsafeRawPointer(base) } ?? bytes.count
                var i = pair
                pair = end + 1
                while i < end, bytes[i] == space { i += 1 }
                // The key, then at least one blank before the value.
                guard end - i > key.count, memcmp(base + i, keyBase, key.count) == 0 else { continue }
                i += key.count
                guard bytes[i] == space || bytes[i] == tab else { continue }
                while i < end, bytes[i] == space || bytes[i] == tab { i += 1 }
                var last = end
                while last > i, bytes[last - 1] == space { last -= 1 }
                if last - i >= 2, bytes[i] == quote, bytes[last - 1] == quote {
                    i += 1
                    last -= 1
                }
                return i..<last
            }
            return nil
        }
    }

    private func error(_ message: String) -> GenomeError {
        GenomeError(.corrupt, path: path, line: line, message)
    }
}
