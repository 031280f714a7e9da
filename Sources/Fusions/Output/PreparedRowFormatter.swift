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

    /// One row's bytes, with its line end. Fields are appended as bytes, with no string built per
    /// field or row: formatting is a large share of a run without a genome.
    func row(_ record: FusionRecord, windows: (head: [UInt8], tail: [UInt8])?) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(128 + (windows == nil ? 0 : 2 * WindowRule.length))
        for (offset, side) in [record.head, record.tail].enumerated() {
            if offset > 0 { out.append(9) }
            out.append(contentsOf: side.gene.utf8)
            out.append(9)
            out.append(contentsOf: side.chromosome.utf8)
            out.append(9)
            out.appendDecimal(side.position)
            out.append(9)
            out.append(contentsOf: side.strand.symbol.utf8)
        }
        if let windows {
            out.append(9)
            out.append(contentsOf: windows.head)
            out.append(9)
            out.append(contentsOf: windows.tail)
        }
        if let label = record.label {
            out.append(9)
            out.appendDecimal(label)
        }
        if withOrigin {
            for origin in [record.source ?? "", record.caller?.rawValue ?? ""] {
                out.append(9)
                out.append(contentsOf: origin.utf8)
            }
        }
        if keepSourceColumns {
            for column in record.sourceColumns {
                out.append(9)
                out.append(contentsOf: column.utf8)
            }
        } else {
            for extra in record.extraFields {
                out.append(9)
                out.append(contentsOf: extra.utf8)
            }
        }
        out.append(10)
        return out
    }
}
