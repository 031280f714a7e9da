import Foundation
import Support

/// A MEME motif file (the "minimal" text format of MEME versions 4 and 5, read by TOMTOM, FIMO and
/// JASPAR's downloads): a header (version, alphabet, strands, background letter frequencies), then
/// per motif a `MOTIF ID [ALT]` line and a `letter-probability matrix:` block.
public struct MEMEFile: Sendable, Equatable {
    public var motifs: [MotifMatrix]
    /// Background frequencies of A, C, G, T (uniform when the file gives none).
    public var background: [Double]
    /// `+ -` (both strands) or `+`, as the `strands:` line says; both when absent.
    public var bothStrands: Bool
    /// Matrix rows whose sum was off 1 by more than rounding (0.01) and were rescaled on reading.
    public var renormalisedRows = 0

    public init(
        motifs: [MotifMatrix], background: [Double] = MotifMatrix.uniformBackground, bothStrands: Bool = true
    ) {
        self.motifs = motifs
        self.background = background
        self.bothStrands = bothStrands
    }

    /// Reads a MEME file (plain or gzip; `-` for standard input).
    /// - Throws: ``MotifFileError`` naming the line of a malformed header or matrix;
    ///   ``TextFileError`` when the file cannot be opened.
    public static func read(path: String) throws -> MEMEFile {
        let lines = try TextLines(path: path, kind: "MEME motif file")
        var parser = Parser(path: path)
        while let line = try lines.next() {
            let text = line.withMemoryRebound(to: UInt8.self) { String(decoding: $0, as: UTF8.self) }
            try parser.take(text, line: lines.lineNumber)
        }
        return try parser.finish()
    }

    /// Parses MEME text (`path` names it in errors).
    /// - Throws: ``MotifFileError``.
    public static func parse(_ text: String, path: String = "<text>") throws -> MEMEFile {
        var parser = Parser(path: path)
        for (index, line) in text.lines().enumerated() {
            try parser.take(String(line.hasSuffix("\r") ? line.dropLast() : line), line: index + 1)
        }
        return try parser.finish()
    }

    /// The file as MEME version 4 text, probabilities to 6 decimals as MEME writes them.
    public var text: String {
        let bg = zip(["A", "C", "G", "T"], background).map { "\($0) \(Self.number($1))" }.joined(separator: " ")
        var out = "MEME version 4\n\nALPHABET= ACGT\n\nstrands: \(bothStrands ? "+ -" : "+")\n\n"
        out += "Background letter frequencies\n\(bg)\n"
        for motif in motifs {
            out += "\nMOTIF \(motif.id)\(motif.altName.map { " " + $0 } ?? "")\n"
            out += "letter-probability matrix: alength= 4 w= \(motif.width) nsites= \(motif.sites ?? 20) E= 0\n"
            for row in motif.rows { out += row.map { " " + Self.number($0) }.joined(separator: " ") + "\n" }
            if let url = motif.url { out += "URL \(url)\n" }
        }
        return out
    }

    /// Writes the file atomically.
    /// - Throws: ``OutputError``.
    public func write(to path: String) throws {
        try OutputFile.write(text, to: path)
    }

    private static func number(_ value: Double) -> String { String(format: "%.6f", value) }
}

/// Reads MEME text one line at a time: a small state machine over the header and motif blocks.
private struct Parser {
    let path: String
    var sawVersion = false
    var background = MotifMatrix.uniformBackground
    var bothStrands = true
    var motifs: [MotifMatrix] = []
    var renormalised = 0
    /// Collecting `A p C p ...` pairs after `Background letter frequencies`, from this line.
    var backgroundStart: Int?
    var backgroundPairs: [String] = []
    /// Inside `ALPHABET "..."` ... `END ALPHABET` (MEME 5's custom alphabet block).
    var inAlphabetBlock = false
    var current: Pending?
    /// Each motif ID read so far and its MOTIF line.
    var motifLines: [String: Int] = [:]
    /// MEME itself finds motifs of at most 300 columns; a user's matrix may be longer, but one of
    /// thousands of rows is a file whose blocks ran together, and comparing it costs its width squared.
    static let maximumWidth = 1000

    struct Pending {
        var id: String
        var altName: String?
        var line: Int
        var matrixLine: Int?
        var width: Int?
        var sites: Int?
        var rows: [[Double]] = []
        var url: String?
        /// A `log-odds matrix` block is being skipped.
        var skipping = false
    }

    init(path: String) { self.path = path }

    mutating func take(_ raw: String, line: Int) throws {
        let text = raw.trimmingCharacters(in: .whitespaces)
        if !sawVersion {
            guard !text.isEmpty else { return }
            guard text.hasPrefix("MEME version") else {
                throw MotifFileError(
                    .notMEME, path: path, line: line,
                    "expected a MEME motif file starting with `MEME version 4` (or 5), found `\(text.prefix(40))`")
            }
            sawVersion = true
            return
        }
        if inAlphabetBlock {
            if text.hasPrefix("END ALPHABET") { inAlphabetBlock = false }
            return
        }
        if backgroundStart != nil, current == nil, !text.isEmpty, let first = text.first, "ACGTacgt".contains(first) {
            backgroundPairs += text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            if backgroundPairs.count >= 8 { try finishBackground(line: line) }
            return
        }
        if let start = backgroundStart, !text.isEmpty {
            try finishBackground(line: start)
        }
        if text.hasPrefix("MOTIF") {
            try closeMotif()
            let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard words.count >= 2 else {
                throw MotifFileError(.badMatrix, path: path, line: line, "a MOTIF line needs an identifier")
            }
            current = Pending(id: words[1], altName: words.count > 2 ? words[2] : nil, line: line)
            return
        }
        if var motif = current {
            try takeInMotif(text, line: line, motif: &motif)
            current = motif
            return
        }
        try takeHeader(text, line: line)
    }

    mutating func takeHeader(_ text: String, line: Int) throws {
        if text.hasPrefix("ALPHABET=") {
            let letters = text.dropFirst("ALPHABET=".count).trimmingCharacters(in: .whitespaces).uppercased()
            guard letters == "ACGT" else {
                throw MotifFileError(
                    .unsupportedAlphabet, path: path, line: line,
                    "alphabet `\(letters)`: only DNA (ACGT) motifs are read")
            }
        } else if text.hasPrefix("ALPHABET") {
            guard text.uppercased().contains("DNA") else {
                throw MotifFileError(
                    .unsupportedAlphabet, path: path, line: line, "`\(text)`: only DNA (ACGT) motifs are read")
            }
            inAlphabetBlock = true
        } else if text.hasPrefix("strands:") {
            bothStrands = text.contains("-")
        } else if text.hasPrefix("Background letter frequencies") {
            backgroundStart = line
            backgroundPairs = []
        }
    }

    mutating func takeInMotif(_ text: String, line: Int, motif: inout Pending) throws {
        if text.hasPrefix("letter-probability matrix") {
            motif.matrixLine = line
            motif.skipping = false
            motif.width = Self.field("w=", in: text).flatMap { Int($0) }
            if let sites = Self.field("nsites=", in: text).flatMap({ Double($0) }) {
                // A count: it weighs the pseudocount in every log-odds score, so it must be one, and at
                // least 1 (0 sites leave the pseudocount alone: every score 0, or 0/0 without one).
                guard sites.isFinite, sites >= 0.5, sites <= 1e12 else {
                    throw MotifFileError(
                        .badMatrix, path: path, line: line,
                        "motif \(motif.id): nsites= \(sites) is not a number of sites (a motif is built from at least "
                            + "one; leave nsites= out for MEME's default of 20)")
                }
                motif.sites = Int(sites.rounded())
            }
            return
        }
        if text.hasPrefix("log-odds matrix") {
            motif.skipping = true
            return
        }
        if text.hasPrefix("URL") {
            motif.url = text.dropFirst(3).trimmingCharacters(in: .whitespaces)
            return
        }
        guard motif.matrixLine != nil, !motif.skipping, !text.isEmpty else {
            if text.isEmpty { motif.skipping = false }
            return
        }
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        let values = fields.compactMap { Double($0) }
        if let width = motif.width, motif.rows.count >= width {
            // After the matrix: other lines are passed over, but one more row means `w=` is wrong.
            guard fields.count == 4, values.count == 4 else { return }
            throw MotifFileError(
                .badMatrix, path: path, line: line, "motif \(motif.id): w= \(width) but more rows follow")
        }
        guard motif.rows.count < Self.maximumWidth else {
            throw MotifFileError(
                .badMatrix, path: path, line: line,
                "motif \(motif.id) is wider than \(Self.maximumWidth) columns: not a binding-site motif "
                    + "(is a matrix missing its blank line or next MOTIF line?)")
        }
        guard fields.count == 4, values.count == 4 else {
            // Without `w=`, the first line that is not a row ends the matrix.
            if motif.width == nil, !motif.rows.isEmpty, values.isEmpty { return }
            throw MotifFileError(
                .badMatrix, path: path, line: line,
                "motif \(motif.id): a matrix row needs 4 probabilities (A C G T), found `\(text.prefix(60))`")
        }
        guard values.allSatisfy({ $0 >= 0 && $0.isFinite }) else {
            throw MotifFileError(
                .badMatrix, path: path, line: line, "motif \(motif.id): a probability is negative or not finite")
        }
        let sum = values.reduce(0, +)
        guard sum > 0 else {
            throw MotifFileError(.badMatrix, path: path, line: line, "motif \(motif.id): the row is all zeros")
        }
        if abs(sum - 1) > 0.01 { renormalised += 1 }
        motif.rows.append(values.map { $0 / sum })
    }

    mutating func finishBackground(line: Int) throws {
        backgroundStart = nil
        var frequencies: [Character: Double] = [:]
        var index = 0
        while index + 1 < backgroundPairs.count {
            guard let letter = backgroundPairs[index].uppercased().first,
                let value = Double(backgroundPairs[index + 1]),
                value >= 0, value.isFinite
            else { break }
            frequencies[letter] = value
            index += 2
        }
        let values = ["A", "C", "G", "T"].compactMap { frequencies[Character($0)] }
        let sum = values.reduce(0, +)
        // Each letter's frequency divides its log-odds scores: a 0 would make them infinite.
        guard values.count == 4, values.allSatisfy({ $0 > 0 }), sum.isFinite else {
            throw MotifFileError(
                .badBackground, path: path, line: line,
                "background letter frequencies need `A p C p G p T p`, each above 0, found `"
                    + backgroundPairs.joined(separator: " ") + "`"
            )
        }
        background = values.map { $0 / sum }
    }

    mutating func closeMotif() throws {
        guard let motif = current else { return }
        current = nil
        if let first = motifLines[motif.id] {
            throw MotifFileError(
                .badMatrix, path: path, line: motif.line,
                "motif ID \(motif.id) is used twice (first at line \(first)): matches are reported by ID, "
                    + "so each must be unique")
        }
        motifLines[motif.id] = motif.line
        guard let matrixLine = motif.matrixLine, !motif.rows.isEmpty else {
            throw MotifFileError(
                .missingMatrix, path: path, line: motif.line, "motif \(motif.id) has no letter-probability matrix")
        }
        if let width = motif.width, width != motif.rows.count {
            throw MotifFileError(
                .badMatrix, path: path, line: matrixLine,
                "motif \(motif.id): w= \(width) but \(motif.rows.count) row(s) follow")
        }
        motifs.append(
            MotifMatrix(
                id: motif.id, altName: motif.altName, rows: motif.rows, sites: motif.sites, background: background,
                url: motif.url))
    }

    mutating func finish() throws -> MEMEFile {
        guard sawVersion else {
            throw MotifFileError(.notMEME, path: path, "is empty: expected a MEME motif file (`MEME version 4`)")
        }
        if let start = backgroundStart { try finishBackground(line: start) }
        try closeMotif()
        guard !motifs.isEmpty else { throw MotifFileError(.noMotifs, path: path, "holds no MOTIF block") }
        var file = MEMEFile(motifs: motifs, background: background, bothStrands: bothStrands)
        file.renormalisedRows = renormalised
        return file
    }

    /// The value after `key` on a `letter-probability matrix:` line.
    static func field(_ key: String, in text: String) -> String? {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let at = words.firstIndex(of: key), at + 1 < words.count else {
            // `w=6` written without a space.
            return words.first { $0.hasPrefix(key) && $0.count > key.count }.map { String($0.dropFirst(key.count)) }
        }
        return words[at + 1]
    }
}
