/// Writes a record's 20-kb model input (head window then tail window) as one FASTA entry, 60 nt a line.
///
/// The name is `HEAD--TAIL_lineN` (unique within a run, and free of `:` so samtools faidx can
/// fetch it); the description gives both breakpoints and any padding.
enum FASTAFormatter {
    static let lineWidth = 60

    static func entry(_ record: FusionRecord, _ windows: PreparedWindows) -> [UInt8] {
        var header = ">\(record.name)_line\(record.line)"
        header += " head=\(record.head.chromosome):\(record.head.position):\(record.head.strand.symbol)"
        header += " tail=\(record.tail.chromosome):\(record.tail.position):\(record.tail.strand.symbol)"
        if windows.isClipped { header += " window_clipped=\(windows.headPadding),\(windows.tailPadding)" }
        var out = Array(header.utf8)
        out.append(10)
        let sequence = windows.head + windows.tail
        var i = 0
        while i < sequence.count {
            let end = min(i + lineWidth, sequence.count)
            out.append(contentsOf: sequence[i..<end])
            out.append(10)
            i = end
        }
        return out
    }
}
