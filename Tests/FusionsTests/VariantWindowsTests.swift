import Foundation
import Genome
import SeededRandom
import TestSupport
import XCTest

@testable import Fusions

/// Variants applied to windows, against windows edited by hand: the window text changed at the
/// index the window rule gives (complemented on `-`), indels spliced and the far end trimmed or
/// filled with the next genome bases.
final class VariantWindowsTests: XCTestCase {
    private var chromosome = ""
    private var genome: ReferenceGenome!
    private let bp = 15_000

    override func setUpWithError() throws {
        var random = SeededGenerator(seed: 7)
        let letters = Array("ACGT")
        chromosome = String((0..<30_000).map { _ in letters[random.int(in: 0...3)] })
        let folder = try TestData.temporaryDirectory()
        try ">chrT\n\(chromosome)\n".write(toFile: folder + "/t.fa", atomically: false, encoding: .utf8)
        genome = try ReferenceGenome(path: folder + "/t.fa")
    }

    /// 1-based inclusive slice of the test chromosome.
    private func slice(_ from: Int, _ to: Int) -> String {
        String(decoding: Array(chromosome.utf8)[(from - 1)...(to - 1)], as: UTF8.self)
    }

    private func complement(_ s: String) -> String {
        let map: [Character: Character] = ["A": "T", "C": "G", "G": "C", "T": "A", "N": "N"]
        return String(s.map { map[$0] ?? "?" })
    }

    private func revcomp(_ s: String) -> String { String(complement(s).reversed()) }

    /// The unedited window, written out by the rule: `[bp-4999, bp+5000]`, reverse-complemented on `-`.
    private func plain(_ position: Int, _ strand: Strand) -> [Character] {
        let w =
            slice(position - 4999, min(position + 5000, chromosome.count))
            + String(repeating: "N", count: max(0, position + 5000 - chromosome.count))
        return Array(strand == .minus ? revcomp(w) : w)
    }

    private func variant(_ position: Int, _ ref: String, _ alt: String) -> SequenceVariant {
        SequenceVariant(
            record: VCFRecord(chromosome: "chrT", position: position, reference: ref, alternates: [alt], number: 1),
            alternate: alt)
    }

    /// What applying a variant gives: a window, or a skip's reason.
    private enum Applied: Equatable {
        case window(String)
        case skipped(VariantSkip.Reason)
    }

    /// The window the code derives, or the skip's reason.
    private func applied(_ v: SequenceVariant, at position: Int? = nil, _ strand: Strand) throws -> Applied {
        let match = try XCTUnwrap(genome.names.resolve("chrT"))
        let reader = try genome.makeReader()
        if let why = try VariantWindows.check(v, chromosome: match, reader: reader) { return .skipped(why.reason) }
        let breakpoint = Breakpoint(gene: "G", chromosome: "chrT", position: position ?? bp, strand: strand)
        switch try VariantWindows.window(around: breakpoint, chromosome: match, applying: v, reader: reader) {
        case .success(let bases): return .window(String(decoding: bases, as: UTF8.self))
        case .failure(let why): return .skipped(why.reason)
        }
    }

    private func other(_ base: String) -> String { base == "A" ? "C" : "A" }

    func testSubstitutionsChangeTheBaseAtTheRulesIndexComplementedOnMinus() throws {
        let p = bp + 7
        let alt = other(slice(p, p))
        var plus = plain(bp, .plus)
        plus[4999 + 7] = Character(alt)
        XCTAssertEqual(try applied(variant(p, slice(p, p), alt), .plus), .window(String(plus)))
        var minus = plain(bp, .minus)
        minus[5000 - 7] = Character(complement(alt))
        XCTAssertEqual(try applied(variant(p, slice(p, p), alt), .minus), .window(String(minus)))
        // An MNV across the breakpoint base is a substitution: allowed, both bases change.
        let mnv = other(slice(bp - 1, bp - 1)) + other(slice(bp, bp))
        var both = plain(bp, .plus)
        both[4998] = Array(mnv)[0]
        both[4999] = Array(mnv)[1]
        XCTAssertEqual(try applied(variant(bp - 1, slice(bp - 1, bp), mnv), .plus), .window(String(both)))
        XCTAssertEqual(variant(bp - 1, slice(bp - 1, bp), mnv).kind, .mnv)
    }

    func testDeletionsPullTheNextGenomeBasesInAtTheFarEnd() throws {
        // + strand, after the breakpoint: bp+21 and bp+22 go, bp+5001 and bp+5002 come in at the end.
        var w = plain(bp, .plus)
        w.removeSubrange(5020...5021)
        w += Array(slice(bp + 5001, bp + 5002))
        let after = variant(bp + 20, slice(bp + 20, bp + 22), slice(bp + 20, bp + 20))
        XCTAssertEqual(after.kind, .deletion)
        XCTAssertEqual(try applied(after, .plus), .window(String(w)))
        // + strand, before it: bp-29 and bp-28 go, bp-5001 and bp-5000 come in at the start.
        w = plain(bp, .plus)
        w.removeSubrange(4970...4971)
        w.insert(contentsOf: Array(slice(bp - 5001, bp - 5000)), at: 0)
        XCTAssertEqual(
            try applied(variant(bp - 30, slice(bp - 30, bp - 28), slice(bp - 30, bp - 30)), .plus), .window(String(w)))
        // - strand, genome after the breakpoint (5' of it in the window): indices 4947-4949 go, the
        // complement of bp+5003...bp+5001 comes in at the window's start.
        w = plain(bp, .minus)
        w.removeSubrange(4947...4949)
        w.insert(contentsOf: Array(revcomp(slice(bp + 5001, bp + 5003))), at: 0)
        XCTAssertEqual(
            try applied(variant(bp + 50, slice(bp + 50, bp + 53), slice(bp + 50, bp + 50)), .minus), .window(String(w))
        )
    }

    func testInsertionsPushTheFarEndOut() throws {
        // + strand, after the breakpoint: TTT after bp+5, the last three bases drop out.
        var w = plain(bp, .plus)
        w.insert(contentsOf: Array("TTT"), at: 5005)
        w.removeLast(3)
        let plus = variant(bp + 5, slice(bp + 5, bp + 5), slice(bp + 5, bp + 5) + "TTT")
        XCTAssertEqual(plus.kind, .insertion)
        XCTAssertEqual(try applied(plus, .plus), .window(String(w)))
        // - strand, genome before the breakpoint (3' of it): GA after bp-40 reads TC before that base's
        // complement at index 5040; the window's last two bases drop out.
        w = plain(bp, .minus)
        w.insert(contentsOf: Array("TC"), at: 5040)
        w.removeLast(2)
        XCTAssertEqual(
            try applied(variant(bp - 40, slice(bp - 40, bp - 40), slice(bp - 40, bp - 40) + "GA"), .minus),
            .window(String(w)))
    }

    /// VCF anchors an indel on the base before it: anchored on the breakpoint base, the indel lies
    /// after it in genome order and the base keeps its index (these were skipped as at the breakpoint).
    func testIndelsAnchoredOnTheBreakpointBaseLieAfterIt() throws {
        let base = slice(bp, bp)
        // + strand: TTT follows bp (index 4999); the last three bases drop out.
        var w = plain(bp, .plus)
        w.insert(contentsOf: Array("TTT"), at: 5000)
        w.removeLast(3)
        XCTAssertEqual(try applied(variant(bp, base, base + "TTT"), .plus), .window(String(w)))
        // - strand: genome after bp is 5' of it in the window; AC reads GT before bp's index 5000, and
        // the window's first two bases drop out.
        w = plain(bp, .minus)
        w.insert(contentsOf: Array("GT"), at: 5000)
        w.removeFirst(2)
        XCTAssertEqual(try applied(variant(bp, base, base + "AC"), .minus), .window(String(w)))
        // + strand deletion of bp+1 and bp+2: bp+5001 and bp+5002 come in at the end.
        w = plain(bp, .plus)
        w.removeSubrange(5000...5001)
        w += Array(slice(bp + 5001, bp + 5002))
        XCTAssertEqual(try applied(variant(bp, slice(bp, bp + 2), base), .plus), .window(String(w)))
        // - strand deletion of bp+1 and bp+2 (indices 4999 and 4998): the complement of bp+5002 and
        // bp+5001 comes in at the window's start.
        w = plain(bp, .minus)
        w.removeSubrange(4998...4999)
        w.insert(contentsOf: Array(revcomp(slice(bp + 5001, bp + 5002))), at: 0)
        XCTAssertEqual(try applied(variant(bp, slice(bp, bp + 2), base), .minus), .window(String(w)))
    }

    func testEdgesPadWithNAndDeletionsReachingAcrossTheWindowStart() throws {
        // Breakpoint 4,500 nt from the chromosome end: the window already ends in 500 N; a deletion
        // after the breakpoint pulls two more in.
        let near = 25_500
        var w = plain(near, .plus)
        XCTAssertEqual(w.suffix(500).allSatisfy { $0 == "N" }, true)
        w.removeSubrange(5010...5011)
        w += ["N", "N"]
        XCTAssertEqual(
            try applied(variant(near + 10, slice(near + 10, near + 12), slice(near + 10, near + 10)), at: near, .plus),
            .window(String(w)))
        // A deletion of bp-5000...bp-4998 (its anchor bp-5001 outside the window): the window loses
        // bp-4999 and bp-4998 and starts two genome bases earlier, at bp-5002.
        w = plain(bp, .plus)
        w.removeSubrange(0...1)
        w.insert(contentsOf: Array(slice(bp - 5002, bp - 5001)), at: 0)
        XCTAssertEqual(
            try applied(variant(bp - 5001, slice(bp - 5001, bp - 4998), slice(bp - 5001, bp - 5001)), .plus),
            .window(String(w)))
    }

    func testIndelsAtTheBreakpointAndBadAllelesAreSkippedWithTheReason() throws {
        XCTAssertEqual(
            try applied(variant(bp - 1, slice(bp - 1, bp), slice(bp - 1, bp - 1)), .plus), .skipped(.indelAtBreakpoint))
        // Not anchored on the breakpoint base (it is deleted, or replaced): skipped.
        XCTAssertEqual(
            try applied(variant(bp, slice(bp, bp + 1), other(slice(bp, bp))), .plus), .skipped(.indelAtBreakpoint))
        // The base before the breakpoint as an insertion's anchor is fine: the insertion lies before bp.
        let anchored = try applied(variant(bp - 1, slice(bp - 1, bp - 1), slice(bp - 1, bp - 1) + "A"), .plus)
        if case .skipped(let why) = anchored { XCTFail("skipped: \(why)") }
        let wrong = other(slice(bp + 3, bp + 3))
        XCTAssertEqual(try applied(variant(bp + 3, wrong, slice(bp + 3, bp + 3)), .plus), .skipped(.referenceMismatch))
        XCTAssertEqual(try applied(variant(29_999, "ACG", "A"), .plus), .skipped(.pastChromosomeEnd))
        XCTAssertEqual(try applied(variant(bp, slice(bp, bp), "<DEL>"), .plus), .skipped(.symbolicAllele))
        XCTAssertEqual(try applied(variant(bp, slice(bp, bp), "G]chrT:100]"), .plus), .skipped(.symbolicAllele))
        XCTAssertEqual(try applied(variant(bp, slice(bp, bp), "*"), .plus), .skipped(.noAllele))
        XCTAssertEqual(try applied(variant(bp, slice(bp, bp), "AXG"), .plus), .skipped(.invalidAllele))
        // A multi-allelic record may list REF among its ALTs: nothing to score.
        XCTAssertEqual(try applied(variant(bp, slice(bp, bp), slice(bp, bp)), .plus), .skipped(.sameAsReference))
        XCTAssertEqual(try applied(variant(bp, "", "C"), .plus), .skipped(.invalidAllele))
        XCTAssertEqual(variant(bp, "AC", "TGG").kind, .complex)
    }

    func testOffsetIsInTranscriptOrientation() {
        let v = variant(bp + 12, "A", "C")
        XCTAssertEqual(
            VariantWindows.offset(of: v, from: Breakpoint(gene: "G", chromosome: "chrT", position: bp, strand: .plus)),
            12)
        XCTAssertEqual(
            VariantWindows.offset(of: v, from: Breakpoint(gene: "G", chromosome: "chrT", position: bp, strand: .minus)),
            -12)
        XCTAssertEqual(v.label, "chrT:15012:A>C")
    }

    func testWindowIndexFindsEveryWindowAVariantReaches() throws {
        func record(_ h: Int, _ t: Int) -> FusionRecord {
            FusionRecord(
                head: Breakpoint(gene: "H", chromosome: "chrT", position: h, strand: .plus),
                tail: Breakpoint(gene: "T", chromosome: "chrT", position: t, strand: .minus), line: 1, sourceFields: [])
        }
        let match = try XCTUnwrap(genome.names.resolve("chrT"))
        let placed = FusionWindowIndex.Placement(head: match, tail: match)
        let index = FusionWindowIndex(
            fusions: [record(10_000, 20_000), record(12_000, 28_000), record(1, 2)], placements: [placed, placed, nil])
        XCTAssertEqual(index.count, 4)
        // 15,000 is in fusion 0's head window [5001, 15000] and fusion 1's [7001, 17000].
        let found = index.windows(overlapping: 15_000...15_000, on: "chrT").map { "\($0.fusion)\($0.side)" }
        XCTAssertEqual(found, ["0head", "1head"])
        // A deletion from 14,999 to 15,002 also reaches fusion 0's tail window [15001, 25000].
        XCTAssertEqual(
            index.windows(overlapping: 14_999...15_002, on: "chrT").map { "\($0.fusion)\($0.side)" },
            ["0head", "0tail", "1head"])
        XCTAssertTrue(index.windows(overlapping: 1...5_000, on: "chrT").isEmpty)
        XCTAssertTrue(index.windows(overlapping: 15_000...15_000, on: "chrX").isEmpty)
        // Windows [5001, 15000], [15001, 25000], [7001, 17000], [23001, 33000]: touching ones merge.
        XCTAssertEqual(GenomeRegion.merged(index.regions).map(\.spans), [[5_001...33_000]])
    }
}
