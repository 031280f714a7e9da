/// Formats records as FusionAI tables: `Hgene Hchr Hbp Hstrand Tgene Tchr Tbp Tstrand`, then the
/// head and tail windows when there are any, then a data file's label, then the row's extra columns
/// (or, on request, the source row's own columns).
struct PreparedRowFormatter {
    static let columns = FusionAIRowParser.columnNames
    /// Where a row came from, written after the label when several files are read together.
    static let originColumns = ["source", "caller"]

    let keepSourceColumns: Bool
    /// Whether rows carry ``originColumns`` (several inputs).
    var withOrigin = false

    /// The header line for rows of this shape.
    func header(withWindows: Bool, label: Bool, extraNames: [String]) -> String {
        var names = Self.columns
        if withWindows { names += ["HeadSeq", "TailSeq"] }
        if label { names.append("label") }
        if withOrigin { names += Self.originColumns }
        names += extraNames
        return names.joined(separator: "\t") + "\n"
    }

    /// One row's bytes, with its line end.
    func row(_ record: FusionRecord, windows: (head: [UInt8], tail: [UInt8])?) -> [UInt8] {
        let fields: [String] = [
            record.head.gene, record.head.chromosome, String(record.head.position), record.head.strand.symbol,
            record.tail.gene, record.tail.chromosome, String(record.tail.position), record.tail.strand.symbol,
        ]
        var out: [UInt8] = []
        out.reserveCapacity(200 + (windows == nil ? 0 : 2 * WindowRule.length))
        out.append(contentsOf: fields.joined(separator: "\t").utf8)
        if let windows {
            out.append(9)
            out.append(contentsOf: windows.head)
            out.append(9)
            out.append(contentsOf: windows.tail)
        }
        if let label = record.label {
            out.append(9)
            out.append(contentsOf: String(label).utf8)
        }
        if withOrigin {
            for origin in [record.source ?? "", record.caller?.rawValue ?? ""] {
                out.append(9)
                out.append(contentsOf: origin.utf8)
            }
        }
        for extra in keepSourceColumns ? record.sourceFields : record.extraFields {
            out.append(9)
            out.append(contentsOf: extra.utf8)
        }
        out.append(10)
        return out
    }
}
