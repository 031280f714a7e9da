import Foundation
import TestSupport
import XCTest

@testable import Fusions

/// Detection of every caller file, merged cohort tables, column-mapped tables and several inputs.
final class TablesAndInputsTests: XCTestCase {
    private let moreCallers: [String: FusionFormat] = [
        "arriba_agfusion.tsv": .arriba, "chimpipe.txt": .chimPipe, "defuse.tsv": .deFuse,
        "fusioninspector_abridged.tsv": .starFusion, "fusionmap.txt": .fusionMap, "infusion.txt": .inFusion,
        "longgf_hg38.log": .longGF, "oncofuse.tsv": .oncofuse, "prada.tsv": .prada, "soapfuse.txt": .soapFuse,
        "starfusion_coding_effect.tsv": .starFusion, "tophat_fusion.txt": .tophatFusion,
    ]
    private let fixtures: [String: FusionFormat] = [
        "chimerascan.bedpe": .chimeraScan, "mapsplice_fusions_well_annotated.txt": .mapSplice, "nfuse.tsv": .nFuse,
        "fusionhunter.fusion": .fusionHunter,
    ]

    func testEveryMoreCallersFileIsDetected() throws {
        let folder = TestData.path("fusions/more-callers")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        XCTAssertEqual(files, moreCallers.keys.sorted(), "a caller file without an expected format here")
        for (file, format) in moreCallers {
            XCTAssertEqual(try FusionReader(path: folder + "/" + file).format, format, file)
            XCTAssertEqual(try FusionReader(path: folder + "/" + file, format: format).format, format, file)
        }
        for (file, format) in fixtures {
            XCTAssertEqual(try FusionReader(path: Fixtures.path(file)).format, format, file)
        }
    }

    func testAtMostOneFormatRecognisesEachHeader() throws {
        let paths =
            moreCallers.keys.map { TestData.path("fusions/more-callers/" + $0) }
            + fixtures.keys.map(Fixtures.path)
        for path in paths {
            let first = try XCTUnwrap(String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").first)
            let line = String(first).replacingOccurrences(of: "\r", with: "")
            let matching = FormatRegistry.all.filter {
                $0.recognises(header: $0.fields(of: line)) || $0.matchesContent($0.fields(of: line))
            }
            XCTAssertLessThanOrEqual(matching.count, 1, "\(path): \(matching.map(\.format))")
        }
    }

    /// A cohort table: a `sample` column first, then FusionInspector's columns, header without `#`.
    func testCohortTableWithSampleColumn() throws {
        let source = try String(
            contentsOfFile: TestData.path("fusions/more-callers/fusioninspector_abridged.tsv"), encoding: .utf8)
        let lines = source.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n").map(String.init)
        let cohort = ["sample\t" + lines[0].dropFirst()] + lines.dropFirst().map { "K562\t" + $0 }
        let path = try writeTemporary(cohort, name: "cohort.tsv")
        let expected = [
            "2 AL627171.2 chr14:49862686:- TPM3 chr1:154166382:-",
            "3 STAT3 chr17:42321234:- AL627171.2 chr14:49862799:-",
        ]
        for format in [nil, FusionFormat.starFusion] {
            let result = try readAll(path, format: format)
            XCTAssertEqual(result.format, .starFusion)
            XCTAssertEqual(result.summaries, expected)
        }
    }

    /// A supplement-style table, its columns named by the user (names with spaces and quotes).
    func testColumnMappedSupplementTable() throws {
        let path = try writeTemporary(
            [
                "Cell line\tGene 5'\tChr 5'\tBreakpoint 5'\tGene 3'\tChr 3'\tBreakpoint 3'\tStrand 5'\tStrand 3'",
                "K562\tBCR\tchr22\t23632600\tABL1\tchr9\t133729451\t+\t+",
                "K562\tNUP214\tchr9\t134062675\tXKR3\tchr22\t17288973\t+\t-",
                "K562\tBCR\tchr22\tn/a\tABL1\tchr9\t133729451\t+\t+",
            ], name: "supplement.tsv")
        let plain = try ColumnMapping(
            parsing: "Hgene=Gene 5',Hchr=Chr 5',Hbp=Breakpoint 5',Tgene=Gene 3',Tchr=Chr 3',Tbp=Breakpoint 3'")
        XCTAssertEqual(plain.head.gene, "Gene 5'")
        XCTAssertNil(plain.head.strand)
        let reader = try FusionReader(path: path, columns: plain)
        XCTAssertEqual(reader.format, .columns)
        var summaries: [String] = []
        var rejected: [Rejection] = []
        while let result = try reader.next() {
            if case .record(let record) = result { summaries.append(record.summary) }
            if case .rejected(let rejection) = result { rejected.append(rejection) }
        }
        XCTAssertEqual(
            summaries,
            ["2 BCR chr22:23632600:. ABL1 chr9:133729451:.", "3 NUP214 chr9:134062675:. XKR3 chr22:17288973:."])
        XCTAssertEqual(rejected.map(\.line), [4])
        XCTAssertEqual(rejected.map(\.reason), [.malformed])

        let stranded = try ColumnMapping(
            parsing: "hgene = \"Gene 5'\", Hchr=Chr 5',Hbp=Breakpoint 5',Tgene=Gene 3',Tchr=Chr 3',Tbp=Breakpoint 3',"
                + "Hstrand=Strand 5',Tstrand=Strand 3'", zeroBased: true)
        var records: [FusionRecord] = []
        let zeroBased = try FusionReader(path: path, columns: stranded)
        while let result = try zeroBased.next() { if case .record(let r) = result { records.append(r) } }
        XCTAssertEqual(records.map(\.summary).first, "2 BCR chr22:23632601:+ ABL1 chr9:133729452:+")

        let missing = try ColumnMapping(
            parsing: "Hgene=Gene 5',Hchr=Chr 5',Hbp=Position 5',Tgene=Gene 3',Tchr=Chr 3',Tbp=Breakpoint 3'")
        assertThrows(try FusionReader(path: path, columns: missing), FusionInputError.self, code: .missingColumn)
    }

    func testColumnMappingErrors() {
        let six = "Hgene=a,Hchr=b,Hbp=c,Tgene=d,Tchr=e,Tbp=f"
        assertThrows(try ColumnMapping(parsing: "Hgene=a,Hchr=b"), ColumnMappingError.self, code: .missingKey)
        assertThrows(try ColumnMapping(parsing: six + ",Hstrand=g"), ColumnMappingError.self, code: .missingKey)
        assertThrows(try ColumnMapping(parsing: six + ",Hgene=z"), ColumnMappingError.self, code: .duplicateKey)
        assertThrows(try ColumnMapping(parsing: six + ",Qgene=z"), ColumnMappingError.self, code: .unknownKey)
        assertThrows(try ColumnMapping(parsing: six + ",Hstrand"), ColumnMappingError.self, code: .malformedEntry)
        assertThrows(try ColumnMapping(parsing: six + ",Hstrand=,Tstrand=h"), ColumnMappingError.self, code: .emptyName)
        assertThrows(try ColumnMapping(parsing: ""), ColumnMappingError.self, code: .missingKey)
        XCTAssertEqual(try ColumnMapping(parsing: "Hgene=\"a, \"\"b\"\"\"," + six.dropFirst(8)).head.gene, "a, \"b\"")
        // A quote left open said as such (it swallowed the rest and reported keys missing).
        let open = assertThrows(
            try ColumnMapping(parsing: "Hgene=\"a," + six.dropFirst(8)), ColumnMappingError.self, code: .malformedEntry)
        XCTAssertTrue(
            open?.message.contains("the double quote opened at '\"a,Hchr") == true, "\(String(describing: open))")
    }

    /// A name the mapping uses that heads two columns is refused: the first was taken silently.
    func testAMappedNameHeadingTwoColumnsIsRefused() throws {
        let path = try writeTemporary(
            ["g1\tc1\tp1\tg2\tc2\tp2\tp1", "A\tchr1\t100\tB\tchr1\t5000\t999"], name: "twice.tsv")
        let mapping = try ColumnMapping(parsing: "Hgene=g1,Hchr=c1,Hbp=p1,Tgene=g2,Tchr=c2,Tbp=p2")
        let error = assertThrows(
            try FusionReader(path: path, columns: mapping), FusionInputError.self, code: .missingColumn)
        XCTAssertTrue(
            error?.message.contains("2 columns named p1 (columns 3, 7)") == true, "\(String(describing: error))")
        // A repeated name the mapping does not use is no matter.
        let other = try ColumnMapping(parsing: "Hgene=g1,Hchr=c1,Hbp=c1,Tgene=g2,Tchr=c2,Tbp=p2")
        XCTAssertNoThrow(try FusionReader(path: path, columns: other))
    }

    /// A header close to a known one names that format, the columns it lacked, and --columns.
    func testDetectionFailureNamesTheClosestFormat() throws {
        let lines = try callerLines("starfusion.tsv")
        let path = try writeTemporary(
            [lines[0].replacingOccurrences(of: "RightBreakpoint", with: "RightPoint"), lines[1]], name: "star.tsv")
        let error = assertThrows(try FusionReader(path: path), FusionInputError.self, code: .unknownFormat)
        XCTAssertEqual(error?.line, 1)
        XCTAssertTrue(
            error?.message.contains("STAR-Fusion (--format star-fusion)") ?? false, "\(String(describing: error))")
        XCTAssertTrue(error?.message.contains("lacks RightBreakpoint") ?? false)
        XCTAssertTrue(error?.message.contains("--columns") ?? false)
    }

    /// Several files, each detected on its own, every record marked with its file and caller.
    func testSeveralInputs() throws {
        let paths = [
            callerFile("starfusion.tsv"), TestData.path("fusions/more-callers/soapfuse.txt"), callerFile("jaffa.csv"),
        ]
        let reader = try MultiFusionReader(paths: paths)
        XCTAssertEqual(reader.readers.map(\.format), [.starFusion, .soapFuse, .jaffa])
        var bySource: [String: Int] = [:]
        var rows = 0
        while let result = try reader.next() {
            rows += 1
            guard case .record(let record) = result else { continue }
            let caller = try XCTUnwrap(record.caller)
            bySource["\(record.source ?? "?")|\(caller.rawValue)", default: 0] += 1
        }
        let single = try paths.map { try readAll($0) }
        XCTAssertEqual(rows, single.map { $0.records.count + $0.rejections.count + $0.ignored }.reduce(0, +))
        XCTAssertEqual(bySource["\(paths[0])|star-fusion"], single[0].records.count)
        XCTAssertEqual(bySource["\(paths[1])|soapfuse"], single[1].records.count)
        XCTAssertEqual(bySource["\(paths[2])|jaffa"], single[2].records.count)
        assertThrows(try MultiFusionReader(paths: []), FusionInputError.self, code: .empty)
        assertThrows(
            try MultiFusionReader(paths: [paths[0], try writeTemporary([""], name: "empty.tsv")]),
            FusionInputError.self,
            code: .empty)
    }
}
