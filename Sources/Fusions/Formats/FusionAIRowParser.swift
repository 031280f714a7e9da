import Genome

/// FusionAI's own tables: the 8-column input (`Hgene Hchr Hbp Hstrand Tgene Tchr Tbp Tstrand`,
/// header optional, extra columns kept) and its data files (the 8 columns, then the 10,000-nt head and
/// tail windows, then an optional 0/1 label).
struct FusionAIRowParser: FusionRowParser {
    static let columnNames = ["Hgene", "Hchr", "Hbp", "Hstrand", "Tgene", "Tchr", "Tbp", "Tstrand"]

    /// True for data files: columns 9 and 10 are the windows.
    let withWindows: Bool

    /// A header naming `HeadSeq TailSeq` as columns 9 and 10 (`prepare --header`) marks a file with windows.
    init(_ description: FormatDescription, header: HeaderColumns?, path: String, annotation: GeneAnnotation?) {
        let names = header?.names ?? []
        withWindows = names.count >= 10 && names[8] == "HeadSeq" && names[9] == "TailSeq"
    }

    init(withWindows: Bool) {
        self.withWindows = withWindows
    }

    static func recognises(header fields: [Substring]) -> Bool {
        fields.count >= 8 && fields[0].trimmingPrefix("#").lowercased() == "hgene"
    }

    /// Whether a headerless first row looks like FusionAI's, and if so whether it carries windows.
    static func sniff(_ fields: [Substring]) -> (matches: Bool, withWindows: Bool) {
        guard fields.count >= 8, fields[2].genomePosition != nil, fields[6].genomePosition != nil,
            Strand(fields[3]) != nil, Strand(fields[7]) != nil
        else { return (false, false) }
        let windows =
            fields.count >= 10 && fields[8].utf8.count == WindowRule.length && fields[9].utf8.count == WindowRule.length
        return (true, windows)
    }

    func parse(_ fields: [Substring], line: Int) -> RowResult {
        let needed = withWindows ? 10 : 8
        guard fields.count >= needed else {
            let names = Self.columnNames + (withWindows ? ["HeadSeq", "TailSeq"] : [])
            return .rejected(
                Rejection(
                    .malformed, line: line,
                    "has \(fields.count) column(s); FusionAI rows need \(needed): \(names.joined(separator: " "))"))
        }
        var sides: [Breakpoint] = []
        for (offset, prefix) in [(0, "H"), (4, "T")] {
            guard let position = fields[offset + 2].genomePosition else {
                return .rejected(
                    Rejection(
                        .malformed, line: line,
                        "\(prefix)bp '\(fields[offset + 2])' is not a position (a whole number from 1 to 2^40)"))
            }
            guard let strand = Strand(fields[offset + 3]) else {
                return .rejected(
                    Rejection(.malformed, line: line, "\(prefix)strand '\(fields[offset + 3])' is not +, - or ."))
            }
            let chromosome = fields[offset + 1]
            guard !chromosome.isEmpty else {
                return .rejected(Rejection(.malformed, line: line, "\(prefix)chr is empty"))
            }
            sides.append(
                Breakpoint(
                    gene: String(fields[offset]), chromosome: String(chromosome), position: position, strand: strand))
        }
        var record = FusionRecord(head: sides[0], tail: sides[1], line: line, sourceFields: fields)
        guard withWindows else {
            record.extraFields = fields[8...].map(String.init)
            return .record(record)
        }
        let head = Array(fields[8].utf8)
        let tail = Array(fields[9].utf8)
        // Anything else was scored as N; non-ASCII text was reported as a wrong length.
        for (name, window) in [("HeadSeq", head), ("TailSeq", tail)] {
            if let at = Nucleotides.firstNonNucleotide(in: window) {
                let shown = window[at] < 0x80 ? "'\(Character(Unicode.Scalar(window[at])))'" : "non-ASCII text"
                return .rejected(
                    Rejection(
                        .malformed, line: line,
                        "\(name) holds \(shown) at position \(at + 1): not a DNA sequence (ACGTN or IUPAC codes)"))
            }
        }
        guard head.count == WindowRule.length, tail.count == WindowRule.length else {
            return .rejected(
                Rejection(
                    .malformed, line: line,
                    "HeadSeq and TailSeq must be \(WindowRule.length) nt each (found \(head.count) and \(tail.count))"))
        }
        record.windows = (head, tail)
        if fields.count >= 11 {
            guard let label = FusionLabel.parse(fields[10]) else {
                return .rejected(
                    Rejection(.malformed, line: line, "label '\(fields[10])' is not \(FusionLabel.accepted)"))
            }
            record.label = label
            record.extraFields = fields[11...].map(String.init)
        }
        return .record(record)
    }
}
