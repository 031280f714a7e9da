import Foundation
import Fusions
import Genome
import Results
import Support

/// One partner's scored window and where its values lie in the genome, recovered from
/// `ID.fis.tsv` through the window rule (``WindowRule``).
public struct PartPlacement: Sendable, Equatable {
    /// `head` or `tail`.
    public let name: String
    public let chromosome: String
    /// The 1-based breakpoint the window was built around.
    public let breakpoint: Int
    public let strand: Strand
    /// The 0-based window index of the part's first value (the model may see only the centre).
    public let firstIndex: Int
    /// Per value, whether it lies on the chromosome (false for N padding past an end).
    public let onGenome: [Bool]

    public init(
        name: String, chromosome: String, breakpoint: Int, strand: Strand, firstIndex: Int, onGenome: [Bool]
    ) {
        self.name = name
        self.chromosome = chromosome
        self.breakpoint = breakpoint
        self.strand = strand
        self.firstIndex = firstIndex
        self.onGenome = onGenome
    }

    /// Values in this part.
    public var count: Int { onGenome.count }

    /// The 1-based genome position of the part's value `k` (which may be padding).
    public func genomePosition(ofValue k: Int) -> Int {
        WindowRule.genomePosition(ofIndex: firstIndex + k, position: breakpoint, strand: strand)
    }
}

/// What `explain` wrote for one fusion, as seqlet calling reads it: the per-position scores, the
/// `[positions x 4]` hypothetical contributions, the bases, and each part's placement.
public struct ExplainedFusion: Sendable {
    public let id: String
    /// Head values then tail values (`ID.fis.npy`).
    public let scores: [Float]
    /// `[positions x 4]` (A, C, G, T): `ID.hyp.npy` when explain wrote it (DeepLIFT), else each score
    /// at its present base and 0 at the others.
    public let hypothetical: [Float]
    /// Whether ``hypothetical`` came from `ID.hyp.npy`.
    public let hasHypothetical: Bool
    /// The model's view of each position, uppercase ASCII (`N` for anything but A, C, G, T).
    public let bases: [UInt8]
    /// Head, then tail.
    public let parts: [PartPlacement]

    public init(
        id: String, scores: [Float], hypothetical: [Float]?, bases: [UInt8], parts: [PartPlacement]
    ) {
        self.id = id
        self.scores = scores
        self.bases = bases
        self.parts = parts
        hasHypothetical = hypothetical != nil
        self.hypothetical =
            hypothetical
            ?? bases.indices.flatMap { k in
                (0..<4).map { c in Nucleotide.channel(bases[k]) == c ? scores[k] : 0 }
            }
    }

    /// The index of part `part`'s value `k` in ``scores``.
    public func offset(part: Int) -> Int { part == 0 ? 0 : parts[0].count }

    /// Reads fusion `id` from `folder`.
    /// - Throws: ``SeqletsError`` (`badArray`, `badScoreTable`) naming the file.
    public static func read(id: String, folder: ExplainFolder) throws -> ExplainedFusion {
        let scorePath = folder.scoreArray(id)
        let scores = try NumpyFile.readFloat32(scorePath)
        guard scores.shape.count == 1, scores.values.count >= 2, scores.values.count % 2 == 0 else {
            throw SeqletsError(.badArray, path: scorePath, "has shape \(scores.shape), not (positions,)")
        }
        let positions = scores.values.count
        var hypothetical: [Float]?
        let hypPath = folder.hypotheticalContributions(id)
        if FileManager.default.fileExists(atPath: hypPath) {
            let hyp = try NumpyFile.readFloat32(hypPath)
            guard hyp.shape == [positions, 4] else {
                throw SeqletsError(
                    .badArray, path: hypPath, "has shape \(hyp.shape), not (\(positions), 4) as \(id).fis.npy says")
            }
            hypothetical = hyp.values
        }
        let table = try ScoreTable.read(folder.scoreTable(id), positions: positions)
        return ExplainedFusion(
            id: id, scores: scores.values, hypothetical: hypothetical, bases: table.bases, parts: table.parts)
    }
}

/// A/C/G/T as channels 0-3 (the one-hot order), anything else as none.
enum Nucleotide {
    static func channel(_ base: UInt8) -> Int? {
        switch base {
        case UInt8(ascii: "A"), UInt8(ascii: "a"): 0
        case UInt8(ascii: "C"), UInt8(ascii: "c"): 1
        case UInt8(ascii: "G"), UInt8(ascii: "g"): 2
        case UInt8(ascii: "T"), UInt8(ascii: "t"): 3
        default: nil
        }
    }

    static let letters: [UInt8] = Array("ACGT".utf8)
}

/// The parts of `ID.fis.tsv` seqlets need: bases, and per part the chromosome and the genome
/// position of each value, from which the strand and breakpoint follow.
private struct ScoreTable {
    let bases: [UInt8]
    let parts: [PartPlacement]

    /// One row's placement fields.
    private struct Row {
        let index: Int
        let position: Int?
    }

    static func read(_ path: String, positions: Int) throws -> ScoreTable {
        let lines: TextLines
        do {
            lines = try TextLines(path: path, kind: "explain score table")
        } catch let error as TextFileError {
            throw SeqletsError(.badScoreTable, path: path, error.message)
        }
        guard let headerLine = try lines.nextBytes() else {
            throw SeqletsError(.badScoreTable, path: path, "is empty: give the folder `fusionai explain -o` wrote")
        }
        let header = fields(headerLine).map { String(decoding: $0, as: UTF8.self) }
        let wanted = [FISTable.part, FISTable.windowPosition, FISTable.chromosome, FISTable.position, FISTable.base]
        let columns = try wanted.map { name in
            guard let i = header.firstIndex(of: name) else {
                throw SeqletsError(
                    .badScoreTable, path: path, line: 1, "has no \(name) column: give the output of `fusionai explain`")
            }
            return i
        }
        let half = positions / 2
        var bases = [UInt8](repeating: UInt8(ascii: "N"), count: positions)
        var rows = [[Row]](repeating: [], count: 2)
        var chromosomes = ["", ""]
        var k = 0
        var bounds: [Range<Int>] = []
        let needed = (columns.max() ?? 0) + 1
        let words = [Array("head".utf8), Array("tail".utf8)]
        while let raw = try lines.next() {
            if raw.isEmpty { continue }
            guard k < positions else {
                throw SeqletsError(
                    .badScoreTable, path: path, line: lines.lineNumber,
                    "has more rows than the \(positions) scores of the .fis.npy beside it")
            }
            // Bytes, not Strings: a fusion's table has 20,000 rows.
            let line = UnsafeRawBufferPointer(raw)
            bounds.removeAll(keepingCapacity: true)
            var from = 0
            for i in 0..<line.count where line[i] == 9 {
                bounds.append(from..<i)
                from = i + 1
            }
            bounds.append(from..<line.count)
            guard bounds.count >= needed else {
                throw SeqletsError(.badScoreTable, path: path, line: lines.lineNumber, "has too few fields")
            }
            let part = k < half ? 0 : 1
            let index = integer(line[bounds[columns[1]]])
            let positionField = line[bounds[columns[3]]]
            let position = integer(positionField)
            guard line[bounds[columns[0]]].elementsEqual(words[part]), let index, index >= 1,
                position != nil || positionField.elementsEqual("NA".utf8)
            else {
                throw SeqletsError(
                    .badScoreTable, path: path, line: lines.lineNumber,
                    "is not a row of explain's table (part, window position, genome position or NA)")
            }
            if rows[part].isEmpty { chromosomes[part] = String(decoding: line[bounds[columns[2]]], as: UTF8.self) }
            rows[part].append(Row(index: index - 1, position: position))
            let base = line[bounds[columns[4]]]
            if base.count == 1, let c = Nucleotide.channel(base[base.startIndex]) { bases[k] = Nucleotide.letters[c] }
            k += 1
        }
        guard k == positions else {
            throw SeqletsError(
                .badScoreTable, path: path, "has \(k) rows for the \(positions) scores of the .fis.npy beside it")
        }
        let parts = try (0..<2).map { p in
            try placement(rows[p], name: p == 0 ? "head" : "tail", chromosome: chromosomes[p], path: path)
        }
        return ScoreTable(bases: bases, parts: parts)
    }

    /// The strand and breakpoint that put each row's window index at its genome position.
    private static func placement(_ rows: [Row], name: String, chromosome: String, path: String) throws
        -> PartPlacement
    {
        let placed = rows.filter { $0.position != nil }
        guard let first = rows.first, placed.count >= 2, let p1 = placed[0].position, let p2 = placed[1].position,
            abs(p2 - p1) == placed[1].index - placed[0].index, placed[1].index > placed[0].index
        else {
            throw SeqletsError(
                .badScoreTable, path: path, "has too few genome positions in the \(name) window to place it")
        }
        let strand: Strand = p2 > p1 ? .plus : .minus
        // Invert the window rule at the first placed row: its position is bp - 4999 + i on + and
        // bp + 5000 - i on -.
        let i1 = placed[0].index
        let breakpoint =
            strand == .plus
            ? p1 - i1 + WindowRule.upstream : p1 + i1 - (WindowRule.length - 1 - WindowRule.upstream)
        for (offset, row) in rows.enumerated() {
            let expected = WindowRule.genomePosition(ofIndex: row.index, position: breakpoint, strand: strand)
            guard row.index == first.index + offset, row.position == nil || row.position == expected else {
                throw SeqletsError(
                    .badScoreTable, path: path,
                    "has \(name) rows out of window order or off the window rule (index \(row.index + 1))")
            }
        }
        return PartPlacement(
            name: name, chromosome: chromosome, breakpoint: breakpoint, strand: strand, firstIndex: first.index,
            onGenome: rows.map { $0.position != nil })
    }

    private static func fields(_ line: [UInt8]) -> [ArraySlice<UInt8>] {
        line.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false)
    }

    /// A decimal integer, optionally negative, that is the whole field; nil for anything else.
    private static func integer(_ field: Slice<UnsafeRawBufferPointer>) -> Int? {
        var digits = field[...]
        let negative = digits.first == UInt8(ascii: "-")
        if negative { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.count <= 18 else { return nil }
        var value = 0
        for d in digits {
            guard d >= 48, d <= 57 else { return nil }
            value = value * 10 + Int(d - 48)
        }
        return negative ? -value : value
    }
}
