import Genome

/// One source row under parsing: its fields and line, with checked access that turns anything
/// unusable into a ``Rejection`` naming the column and the bad value. Nothing here can trap on input.
struct Row {
    let fields: [Substring]
    let line: Int

    /// A `.malformed` rejection for this row.
    func malformed(_ detail: String) -> Rejection { Rejection(.malformed, line: line, detail) }

    /// A rejection for this row.
    func reject(_ reason: Rejection.Reason, _ detail: String) -> Rejection { Rejection(reason, line: line, detail) }

    /// The field at `index` (column `name`), blanks trimmed.
    /// - Throws: `.malformed` when the row is too short.
    func field(_ index: Int, _ name: String) throws(Rejection) -> Substring {
        guard index >= 0, index < fields.count else {
            throw malformed("has \(fields.count) column(s), so column \(index + 1) (\(name)) is missing")
        }
        return fields[index].trimmingBlanks
    }

    /// A non-empty name (gene or chromosome) at `index`.
    func name(_ index: Int, _ column: String) throws(Rejection) -> String {
        let value = try field(index, column)
        guard !value.isEmpty else { throw malformed("\(column) is empty") }
        return String(value)
    }

    /// A positive 1-based position at `index`.
    func position(_ index: Int, _ column: String) throws(Rejection) -> Int {
        let value = try field(index, column)
        guard let position = value.genomePosition else {
            throw malformed("\(column) '\(value)' is not a position (a whole number from 1 to 2^40)")
        }
        return position
    }

    /// A position at `index`, written `offset` less than 1-based (1 for 0-based files), made 1-based.
    func position(_ index: Int, _ column: String, offset: Int) throws(Rejection) -> Int {
        guard offset != 0 else { return try position(index, column) }
        let value = try field(index, column)
        guard let number = Int(value), number >= 0, number < ChromosomeInfo.largestPosition else {
            throw malformed("\(column) '\(value)' is not a 0-based position (a whole number from 0 to 2^40 - 1)")
        }
        return number + offset
    }

    /// A strand written `1` or `-1` (PRADA) at `index`.
    func signedStrand(_ index: Int, _ column: String) throws(Rejection) -> Strand {
        let value = try field(index, column)
        switch value {
        case "1", "+1": return .plus
        case "-1": return .minus
        default: throw malformed("\(column) '\(value)' is not 1 or -1")
        }
    }

    /// Character `offset` (0 or 1) of a two-strand field such as `+-` (FusionMap, MapSplice) at `index`.
    func strandCharacter(_ offset: Int, of index: Int, _ column: String) throws(Rejection) -> Strand {
        let value = try field(index, column)
        let characters = Array(value)
        guard characters.count == 2, let strand = Strand(rawValue: characters[offset]) else {
            throw malformed("\(column) '\(value)' is not two strands such as +- or --")
        }
        return strand
    }

    /// A strand (`+`, `-` or `.`) at `index`.
    func strand(_ index: Int, _ column: String) throws(Rejection) -> Strand {
        let value = try field(index, column)
        guard let strand = Strand(value) else { throw malformed("\(column) '\(value)' is not +, - or .") }
        return strand
    }

    /// A breakpoint written `chr:pos:strand` (STAR-Fusion, DRAGEN, FusionCatcher) at `index`.
    func breakpointWithStrand(_ index: Int, _ column: String) throws(Rejection) -> (
        chromosome: String, position: Int, strand: Strand
    ) {
        let value = try field(index, column)
        // Split from the right: contig names may hold ':' (GRCh38's HLA-A*01:01:01:01).
        let colon = UInt8(ascii: ":")
        guard let last = value.lastIndex(ofByte: colon), let middle = value[..<last].lastIndex(ofByte: colon) else {
            throw malformed("\(column) '\(value)' is not chromosome:position:strand")
        }
        let chromosome = value[..<middle]
        let position = value[value.index(after: middle)..<last]
        let strandText = value[value.index(after: last)...]
        guard !chromosome.isEmpty else { throw malformed("\(column) '\(value)' has no chromosome") }
        guard let pos = position.genomePosition else {
            throw malformed(
                "\(column) '\(value)': position '\(position)' is not a position (a whole number from 1 to 2^40)")
        }
        guard let strand = Strand(strandText) else {
            throw malformed("\(column) '\(value)': strand '\(strandText)' is not +, - or .")
        }
        return (String(chromosome), pos, strand)
    }

    /// A breakpoint written `chr:pos` (Arriba) at `index`.
    func breakpoint(_ index: Int, _ column: String) throws(Rejection) -> (chromosome: String, position: Int) {
        let value = try field(index, column)
        guard let colon = value.lastIndex(ofByte: UInt8(ascii: ":")) else {
            throw malformed("\(column) '\(value)' is not chromosome:position")
        }
        let chromosome = value[..<colon]
        let position = value[value.index(after: colon)...]
        guard !chromosome.isEmpty else { throw malformed("\(column) '\(value)' has no chromosome") }
        guard let pos = position.genomePosition else {
            throw malformed(
                "\(column) '\(value)': position '\(position)' is not a position (a whole number from 1 to 2^40)")
        }
        return (String(chromosome), pos)
    }

    /// The source row's columns, for ``FusionRecord/sourceFields``.
    var sourceFields: [Substring] { fields }
}
