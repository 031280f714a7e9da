import Genome

/// PRADA's `fus.summary.txt`: Gene_A is 5', strands `A_strand`/`B_strand` as 1/-1 (the genes'), and
/// breakpoints in `Junction`, a `|` list of `GENEA:chrA:posA_GENEB:chrB:posB,reads` (1-based exon
/// last/first bases). One record per `Junction` entry, in the order written, each counted as a row
/// (``furtherResults(_:line:)`` gives all but the first); a row without a junction (discordant pairs
/// only) is one rejection, as unplaced; a malformed entry is one rejection, the others still read.
struct PradaRowParser: FusionRowParser {
    private let gene: [Int], strand: [Int], junction: Int

    init(_ description: FormatDescription, header: HeaderColumns?, path: String, annotation: GeneAnnotation?) throws {
        let found = try (header ?? HeaderColumns([])).require(
            ["Gene_A", "Gene_B", "A_strand", "B_strand", "Junction"], format: description.format, path: path)
        gene = [found[0], found[1]]
        strand = [found[2], found[3]]
        junction = found[4]
    }

    /// One `Junction` entry.
    private struct Entry {
        let chromosome: [String]
        let position: [Int]
    }

    func parse(_ fields: [Substring], line: Int) -> RowResult {
        results(fields, line: line).first ?? .ignored
    }

    func furtherResults(_ fields: [Substring], line: Int) -> [RowResult] {
        Array(results(fields, line: line).dropFirst())
    }

    /// One result per `Junction` entry (one rejection when the row itself is unusable).
    private func results(_ fields: [Substring], line: Int) -> [RowResult] {
        let row = Row(fields: fields, line: line)
        let genes: [String]
        let strands: [Strand]
        let text: Substring
        do throws(Rejection) {
            genes = [try row.name(gene[0], "Gene_A"), try row.name(gene[1], "Gene_B")]
            strands = [try row.signedStrand(strand[0], "A_strand"), try row.signedStrand(strand[1], "B_strand")]
            text = try row.field(junction, "Junction")
            guard !text.isEmpty, text != "." else {
                throw row.reject(
                    .unplacedBreakpoint, "Junction is empty: PRADA found discordant pairs but no junction read")
            }
        } catch {
            return [.rejected(error)]
        }
        return text.split(separator: "|").map { written in
            guard let entry = Self.entry(written) else {
                return .rejected(row.malformed("Junction '\(written)' is not GENEA:chr:pos_GENEB:chr:pos,reads"))
            }
            let sides = (0..<2).map {
                Breakpoint(
                    gene: genes[$0], chromosome: entry.chromosome[$0], position: entry.position[$0],
                    strand: strands[$0])
            }
            return .record(FusionRecord(head: sides[0], tail: sides[1], line: line, sourceFields: row.sourceFields))
        }
    }

    /// `GENEA:chrA:posA_GENEB:chrB:posB,reads`, or nil.
    private static func entry(_ text: Substring) -> Entry? {
        guard let comma = text.lastIndex(of: ","), Int(text[text.index(after: comma)...]) != nil else {
            return nil
        }
        let parts = text[..<comma].split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 5, let underscore = parts[2].firstIndex(of: "_"),
            let first = parts[2][..<underscore].genomePosition, let second = parts[4].genomePosition,
            !parts[1].isEmpty, !parts[3].isEmpty
        else { return nil }
        return Entry(chromosome: [String(parts[1]), String(parts[3])], position: [first, second])
    }
}
