import Foundation
import Fusions
import TestSupport
import XCTest

/// `fusionai variants` against `fusionai predict` on windows edited by hand: each scored variant's
/// alt_prob is what predict gives the prepared windows with the variant written into the window
/// text (at the window rule's index, complemented on `-`; indels spliced, the far end trimmed or
/// filled from the genome), and ref_prob what it gives them unedited.
final class VariantsCLITests: CLITestCase {
    private struct Setup {
        let folder: String
        let model: String
        let genome: String
        /// `prepare --genome` rows: 8 columns, head window, tail window.
        let prepared: String
        let rows: [[String]]
        /// The example genome's sequences, read here independently of htslib.
        let sequences: [String: [Character]]
    }

    /// One test variant: 1-based POS, REF and ALT, on the fusion's chromosome of the window given.
    private struct Planned {
        let row: Int
        let side: String
        let offset: Int
        let change: String
    }

    private func makeSetup(calls: Int = 40) throws -> Setup {
        let folder = try TestData.temporaryDirectory()
        XCTAssertEqual(try fusionai(["example", "-q", "-o", folder + "/ex", "--calls", "\(calls)"]).status, 0)
        let model = folder + "/m.safetensors"
        try makeSmallModel(model)
        let genome = folder + "/ex/genome.fa"
        let prepared = folder + "/prepared.tsv"
        let run = try fusionai(["prepare", "-q", "-g", genome, folder + "/ex/fusions.star-fusion.tsv", "-o", prepared])
        XCTAssertEqual(run.status, 0, run.stderr)
        let rows = try String(contentsOfFile: prepared, encoding: .utf8).split(separator: "\n").map {
            $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        }
        var sequences: [String: [Character]] = [:]
        var name = ""
        for line in try String(contentsOfFile: genome, encoding: .utf8).split(separator: "\n") {
            if line.hasPrefix(">") {
                name = String(line.dropFirst().prefix { $0 != " " })
            } else {
                sequences[name, default: []] += Array(line.uppercased())
            }
        }
        return Setup(
            folder: folder, model: model, genome: genome, prepared: prepared, rows: rows, sequences: sequences)
    }

    private func complement(_ c: Character) -> Character {
        ["A": "T", "C": "G", "G": "C", "T": "A"][c] ?? "N"
    }

    private func revcomp(_ s: [Character]) -> [Character] { s.reversed().map(complement) }

    /// `window` (transcript orientation) of the breakpoint `bp` on `strand` with an anchored indel
    /// or a substitution at 1-based `pos`, edited as text.
    private func handEdit(
        _ window: String, strand: String, bp: Int, pos: Int, ref: String, alt: String, genome: [Character]
    ) -> String {
        var w = Array(window)
        let minus = strand == "-"
        func index(_ g: Int) -> Int { minus ? bp + 5000 - g : g - (bp - 4999) }
        func bases(_ from: Int, _ to: Int) -> [Character] { Array(genome[(from - 1)...(to - 1)]) }
        if ref.count == alt.count {
            for (k, base) in alt.enumerated() { w[index(pos + k)] = minus ? complement(base) : base }
            return String(w)
        }
        let after = pos > bp  // the variant lies after the breakpoint in genome order
        if alt.count == 1 {  // deletion of pos+1 ... pos+d
            let d = ref.count - 1
            for i in (pos + 1...pos + d).map(index).sorted(by: >) { w.remove(at: i) }
            if after {
                let fill = bases(bp + 5001, bp + 5000 + d)
                if minus { w.insert(contentsOf: revcomp(fill), at: 0) } else { w += fill }
            } else {
                let fill = bases(bp - 4999 - d, bp - 5000)
                if minus { w += revcomp(fill) } else { w.insert(contentsOf: fill, at: 0) }
            }
        } else {  // insertion after pos
            let inserted = Array(alt.dropFirst())
            if minus {
                w.insert(contentsOf: revcomp(inserted), at: index(pos))
            } else {
                w.insert(contentsOf: inserted, at: index(pos) + 1)
            }
            // The far end: the window's end for + after / - before the breakpoint, else its start.
            if after != minus { w.removeLast(inserted.count) } else { w.removeFirst(inserted.count) }
        }
        return String(w)
    }

    /// P(positive) by `predict` for FusionAI data rows (8 columns and two windows), in order.
    private func predict(_ s: Setup, _ rows: [[String]], name: String) throws -> [String] {
        let path = s.folder + "/" + name
        try rows.map { $0.joined(separator: "\t") + "\n" }.joined().write(
            toFile: path, atomically: false, encoding: .utf8)
        let run = try fusionai(["predict", "-q", "-m", s.model, path, "--threads", "1"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let table = TSVTable(run.stdout)
        return table.rows.map { $0["fusion_positive_prob"] }
    }

    /// Variants near breakpoints of each strand and side: a substitution and an indel each.
    private func writeVCF(_ s: Setup, plans: [Planned], extra: [String] = []) throws -> String {
        var lines: [String] = []
        for plan in plans {
            let row = s.rows[plan.row]
            let chromosome = plan.side == "head" ? row[1] : row[5]
            let bp = try XCTUnwrap(Int(plan.side == "head" ? row[2] : row[6]))
            let genome = try XCTUnwrap(s.sequences[chromosome])
            let pos = bp + plan.offset
            let base = genome[pos - 1]
            let other: Character = base == "A" ? "C" : "A"
            let (ref, alt): (String, String)
            switch plan.change {
            case "snv": (ref, alt) = (String(base), String(other))
            case "del2": (ref, alt) = (String(genome[(pos - 1)...(pos + 1)]), String(base))
            default: (ref, alt) = (String(base), String(base) + "GAT")
            }
            lines.append("\(chromosome)\t\(pos)\t.\t\(ref)\t\(alt)\t.\t.\t.")
        }
        lines += extra
        let contigs = s.sequences.keys.sorted().map { "##contig=<ID=\($0),length=\(s.sequences[$0]?.count ?? 0)>\n" }
        let text =
            "##fileformat=VCFv4.2\n" + contigs.joined() + "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
            + lines.sorted { a, b in
                let x = a.split(separator: "\t")
                let y = b.split(separator: "\t")
                return (String(x[0]), Int(x[1]) ?? 0) < (String(y[0]), Int(y[1]) ?? 0)
            }.joined(separator: "\n") + "\n"
        let path = s.folder + "/v.vcf"
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        return path
    }

    /// A head and a tail of each strand, each with a substitution and an indel.
    private func plans(_ s: Setup) throws -> [Planned] {
        var plans: [Planned] = []
        for (side, strandColumn) in [("head", 3), ("tail", 7)] {
            for strand in ["+", "-"] {
                let row = try XCTUnwrap(s.rows.firstIndex { $0[strandColumn] == strand }, "\(side) \(strand)")
                plans.append(Planned(row: row, side: side, offset: 4, change: "snv"))
                // An indel on each side of the breakpoint across the cases.
                let before = (side == "head") == (strand == "+")
                plans.append(Planned(row: row, side: side, offset: before ? -40 : 25, change: "del2"))
                plans.append(Planned(row: row, side: side, offset: before ? 30 : -60, change: "ins3"))
            }
        }
        return plans
    }

    func testDeltaIsPredictOnTheHandEditedWindowForEveryRow() throws {
        let s = try makeSetup()
        let vcf = try writeVCF(s, plans: try plans(s))
        let run = try fusionai([
            "variants", "--vcf", vcf, "-g", s.genome, "-m", s.model, s.prepared, "--threads", "1", "--batch-size", "5",
        ])
        XCTAssertEqual(run.status, 0, run.stderr)
        // The same VCF piped in (`bcftools view ... | fusionai variants --vcf -`): the same rows.
        let piped = try fusionai(
            ["variants", "--vcf", "-", "-g", s.genome, "-m", s.model, s.prepared, "--threads", "1"],
            stdin: try String(contentsOfFile: vcf, encoding: .utf8))
        XCTAssertEqual(piped.status, 0, piped.stderr)
        XCTAssertEqual(piped.stdout, run.stdout)
        let table = TSVTable(run.stdout)
        XCTAssertEqual(
            table.columns,
            [
                "Hgene", "Hchr", "Hbp", "Hstrand", "Tgene", "Tchr", "Tbp", "Tstrand", "variant", "kind", "window",
                "offset", "ref_prob", "alt_prob", "delta",
            ])
        // Every row the tool wrote (the planned ones and any other window the variants fall in),
        // edited by hand and scored by predict.
        var edited: [[String]] = []
        var unedited: [[String]] = []
        var kinds: Set<String> = []
        for out in table.rows {
            let fusion = (0..<8).map { out[table.columns[$0]] }
            let row = try XCTUnwrap(s.rows.first { Array($0.prefix(8)) == fusion })
            let parts = out["variant"].split(separator: ":")
            let alleles = parts[2].split(separator: ">").map(String.init)
            let head = out["window"] == "head"
            let bp = try XCTUnwrap(Int(head ? row[2] : row[6]))
            let strand = head ? row[3] : row[7]
            let pos = try XCTUnwrap(Int(parts[1]))
            let window = handEdit(
                head ? row[8] : row[9], strand: strand, bp: bp, pos: pos, ref: alleles[0], alt: alleles[1],
                genome: try XCTUnwrap(s.sequences[String(parts[0])]))
            XCTAssertEqual(window.count, 10_000)
            edited.append(Array(row.prefix(8)) + (head ? [window, row[9]] : [row[8], window]))
            unedited.append(Array(row.prefix(10)))
            XCTAssertEqual(out["offset"], "\(strand == "-" ? bp - pos : pos - bp)")
            kinds.insert("\(out["window"]) \(strand) \(out["kind"])")
        }
        XCTAssertEqual(
            kinds.intersection([
                "head + snv", "head - snv", "tail + snv", "tail - snv", "head + deletion",
                "head - insertion", "tail + insertion", "tail - deletion",
            ]).count, 8, "\(kinds)")
        let alt = try predict(s, edited, name: "edited.tsv")
        let ref = try predict(s, unedited, name: "unedited.tsv")
        XCTAssertEqual(table.rows.map { $0["alt_prob"] }, alt)
        XCTAssertEqual(table.rows.map { $0["ref_prob"] }, ref)
        for (row, (a, r)) in zip(table.rows, zip(alt, ref)) {
            XCTAssertEqual(row["delta"], "\(try XCTUnwrap(Float(a)) - (try XCTUnwrap(Float(r))))")
        }
        XCTAssertTrue(table.rows.contains { $0["delta"] != "0.0" }, "some variant changes the score")
    }

    /// A record past its chromosome's end inside a window that runs past that end (N-padded) is a
    /// variant in a window: listed with --skipped, not only counted.
    func testARecordPastTheChromosomeEndInAPaddedWindowIsListedAsSkipped() throws {
        let s = try makeSetup(calls: 3)
        let row = s.rows[0]
        let length = try XCTUnwrap(s.sequences[row[1]]).count
        let calls = s.folder + "/end.tsv"
        try
            ("Hgene\tHchr\tHbp\tHstrand\tTgene\tTchr\tTbp\tTstrand\n"
            + "END\t\(row[1])\t\(length - 100)\t+\t\(row[4])\t\(row[5])\t\(row[6])\t\(row[7])\n")
            .write(toFile: calls, atomically: true, encoding: .utf8)
        let vcf = try writeVCF(s, plans: [], extra: ["\(row[1])\t\(length + 10)\t.\tA\tC\t.\t.\t."])
        let skipped = s.folder + "/skipped.tsv"
        let run = try fusionai(["variants", "--vcf", vcf, "-g", s.genome, "-m", s.model, calls, "--skipped", skipped])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("1 VCF record(s) start past the end of their chromosome"), run.stderr)
        XCTAssertTrue(run.stderr.contains("1 variant(s) skipped: REF past the chromosome end"), run.stderr)
        let skips = try TSVTable(path: skipped).rows
        XCTAssertEqual(skips.map { $0["variant"] }, ["\(row[1]):\(length + 10):A>C"])
        XCTAssertEqual(skips.map { $0["reason"] }, ["REF past the chromosome end"])
        XCTAssertEqual(TSVTable(run.stdout).rows.count, 0)
    }

    func testMismatchedAndSymbolicAllelesAreCountedSkipsWithTheirReasons() throws {
        let s = try makeSetup(calls: 10)
        let row = s.rows[0]
        let bp = try XCTUnwrap(Int(row[2]))
        let genome = try XCTUnwrap(s.sequences[row[1]])
        let base = genome[bp + 2]  // 1-based bp+3
        let wrong: Character = base == "A" ? "C" : "A"
        let good: Character = base == "G" ? "T" : "G"
        let vcf = try writeVCF(
            s, plans: [],
            extra: [
                "\(row[1])\t\(bp + 3)\t.\t\(wrong)\tT\t.\t.\t.",
                "\(row[1])\t\(bp + 3)\t.\t\(base)\t<DEL>,\(good)\t.\t.\t.",
                // Deletes the breakpoint base: skipped. Anchored on it (VCF's shared base): scored.
                "\(row[1])\t\(bp - 1)\t.\t\(genome[bp - 2])\(genome[bp - 1])\t\(genome[bp - 2])\t.\t.\t.",
                "\(row[1])\t\(bp)\t.\t\(genome[bp - 1])\t\(genome[bp - 1])AA\t.\t.\t.",
                // No ALT: listed, not dropped.
                "\(row[1])\t\(bp + 5)\t.\t\(genome[bp + 4])\t.\t.\t.\t.",
                // A sequence the genome lacks: counted and named.
                "chrZ\t100\t.\tA\tC\t.\t.\t.",
                // In the window, but 3 kb from the breakpoint: outside the 300 nt the small model reads.
                "\(row[1])\t\(bp + 3000)\t.\t\(genome[bp + 2999])\t\(genome[bp + 2999] == "A" ? "C" : "A")\t.\t.\t.",
                // Past the chromosome's end: another build's VCF.
                "\(row[1])\t\(genome.count + 10)\t.\tA\tC\t.\t.\t.",
            ])
        let skipped = s.folder + "/skipped.tsv"
        let run = try fusionai([
            "variants", "--vcf", vcf, "-g", s.genome, "-m", s.model, s.prepared, "--skipped", skipped,
        ])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("1 variant(s) skipped: REF differs from the genome"), run.stderr)
        XCTAssertTrue(run.stderr.contains("1 variant(s) skipped: symbolic allele"), run.stderr)
        XCTAssertTrue(run.stderr.contains("variant(s) skipped: indel at the breakpoint"), run.stderr)
        XCTAssertTrue(run.stderr.contains("1 variant(s) skipped: no alternate allele"), run.stderr)
        XCTAssertTrue(run.stderr.contains("1 VCF record(s) on sequences not in the genome"), run.stderr)
        XCTAssertTrue(run.stderr.contains("not scored: chrZ"), run.stderr)
        XCTAssertTrue(run.stderr.contains("variant(s) skipped: outside the model's input"), run.stderr)
        XCTAssertTrue(run.stderr.contains("1 VCF record(s) start past the end of their chromosome"), run.stderr)
        let skips = try TSVTable(path: skipped)
        let mismatch = try XCTUnwrap(skips.rows.first { $0["reason"] == "REF differs from the genome" })
        XCTAssertEqual(mismatch["variant"], "\(row[1]):\(bp + 3):\(wrong)>T")
        XCTAssertTrue(mismatch["detail"].contains("the genome has \(base)"), mismatch["detail"])
        // The multi-allelic record: its sequence ALT is scored, its symbolic one skipped.
        let scored = TSVTable(run.stdout).rows.map { $0["variant"] }
        XCTAssertTrue(scored.contains("\(row[1]):\(bp):\(genome[bp - 1])>\(genome[bp - 1])AA"), "\(scored)")
        XCTAssertTrue(scored.contains("\(row[1]):\(bp + 3):\(base)>\(good)"), "\(scored)")
        XCTAssertFalse(scored.contains { $0.contains("<DEL>") || $0.contains(">\(wrong)") })
        XCTAssertTrue(skips.rows.contains { $0["variant"] == "\(row[1]):\(bp + 3):\(base)><DEL>" })
        XCTAssertTrue(skips.rows.contains { $0["variant"] == "\(row[1]):\(bp + 5):\(genome[bp + 4])>." })
        let far = try XCTUnwrap(skips.rows.first { $0["reason"] == "outside the model's input" })
        XCTAssertTrue(far["variant"].hasPrefix("\(row[1]):\(bp + 3000):"), far["variant"])
        XCTAssertTrue(far["detail"].contains("the central 300 nt"), far["detail"])
        XCTAssertFalse(scored.contains { $0.hasPrefix("\(row[1]):\(bp + 3000):") }, "no delta of 0 for it")
    }

    func testIndexedBgzipAndBCFGiveThePlainFilesRowsAndVCFOutCarriesTheLargestDelta() throws {
        let s = try makeSetup()
        let plain = try writeVCF(s, plans: try plans(s))
        let arguments = ["-g", s.genome, "-m", s.model, s.prepared, "--threads", "1"]
        let reference = try fusionai(["variants", "--vcf", plain, "--vcf-out", s.folder + "/out.vcf"] + arguments)
        XCTAssertEqual(reference.status, 0, reference.stderr)
        XCTAssertTrue(reference.stderr.contains("no index (read whole)"), reference.stderr)
        let field = VCFFile.InfoField(id: "SOURCE", description: "copy")
        for name in ["v.vcf.gz", "v.bcf"] {
            let path = s.folder + "/" + name
            _ = try VCFFile.writeAnnotated(plain, to: path, field: field, values: [:])
            try VCFFile.buildIndex(path: path)
            let indexed = try fusionai(["variants", "--vcf", path] + arguments)
            XCTAssertEqual(indexed.status, 0, indexed.stderr)
            XCTAssertTrue(indexed.stderr.contains("region queries"), indexed.stderr)
            XCTAssertEqual(indexed.stdout, reference.stdout, name)
        }
        // Each scored record's INFO holds the delta of largest magnitude over its rows.
        var largest: [String: String] = [:]
        for row in TSVTable(reference.stdout).rows {
            let key = row["variant"].split(separator: ":").prefix(2).joined(separator: ":")
            let delta = try XCTUnwrap(Float(row["delta"]))
            if let old = largest[key].flatMap(Float.init), abs(old) >= abs(delta) { continue }
            largest[key] = row["delta"]
        }
        var annotated = 0
        for line in try String(contentsOfFile: s.folder + "/out.vcf", encoding: .utf8).split(separator: "\n")
        where !line.hasPrefix("#") {
            let f = line.split(separator: "\t")
            let key = "\(f[0]):\(f[1])"
            guard let info = f[7].split(separator: ";").first(where: { $0.hasPrefix("FUSIONAI_MAX_DELTA=") }) else {
                XCTAssertNil(largest[key], key)
                continue
            }
            let value = try XCTUnwrap(Float(info.dropFirst("FUSIONAI_MAX_DELTA=".count)))
            let expected = try XCTUnwrap(largest[key].flatMap(Float.init))
            // VCF text prints floats with 6 significant digits (htslib's %g).
            XCTAssertEqual(value, expected, accuracy: max(abs(expected), 1e-30) * 1e-5, key)
            annotated += 1
        }
        XCTAssertEqual(annotated, largest.count)

        // An input that declares FUSIONAI_MAX_DELTA otherwise: the line is replaced, not kept over floats.
        let declared = try String(contentsOfFile: plain, encoding: .utf8).replacingOccurrences(
            of: "#CHROM", with: "##INFO=<ID=FUSIONAI_MAX_DELTA,Number=A,Type=String,Description=\"other\">\n#CHROM")
        try declared.write(toFile: s.folder + "/declared.vcf", atomically: false, encoding: .utf8)
        let replaced = try fusionai(
            ["variants", "--vcf", s.folder + "/declared.vcf", "--vcf-out", s.folder + "/r.vcf"] + arguments)
        XCTAssertEqual(replaced.status, 0, replaced.stderr)
        let header = try String(contentsOfFile: s.folder + "/r.vcf", encoding: .utf8).split(separator: "\n")
            .filter { $0.hasPrefix("##INFO=<ID=FUSIONAI_MAX_DELTA,") }
        XCTAssertEqual(header.count, 1)
        XCTAssertTrue(header.first?.contains("Number=1,Type=Float") == true, "\(header)")

        // --vcf-out that cannot be written: the other outputs are not written either (the TSV was
        // moved into place first); a pipe as --vcf with --vcf-out is refused before any work.
        try "old\n".write(toFile: s.folder + "/keep.tsv", atomically: false, encoding: .utf8)
        let nowhere = try fusionai(
            ["variants", "--vcf", plain, "-o", s.folder + "/keep.tsv", "--vcf-out", s.folder + "/no/x.vcf"] + arguments)
        XCTAssertEqual(nowhere.status, 1, nowhere.stderr)
        XCTAssertEqual(try String(contentsOfFile: s.folder + "/keep.tsv", encoding: .utf8), "old\n")
        let piped = try fusionai(
            ["variants", "--vcf", "/dev/stdin", "--vcf-out", s.folder + "/p.vcf"] + arguments,
            stdin: try String(contentsOfFile: plain, encoding: .utf8))
        XCTAssertEqual(piped.status, 1, piped.stderr)
        XCTAssertTrue(piped.stderr.contains("--vcf-out reads the VCF a second time: give a file"), piped.stderr)
    }
}
