import Cohort
import Foundation
import TestSupport
import XCTest

final class SampleSheetTests: XCTestCase {
    private func sheet(_ text: String) throws -> String {
        let folder = try TestData.temporaryDirectory()
        let path = folder + "/sheet.tsv"
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        return path
    }

    func testColumnsByNamePathsFromTheSheetsFolderAndSamplesInOrder() throws {
        let path = try sheet("# cohort\npath\tsample\tformat\na.tsv\tS2\tarriba\n/abs/b.tsv\tS1\t\nc.tsv\tS2\t\n")
        let sheet = try SampleSheet(path: path)
        XCTAssertEqual(sheet.samples, ["S2", "S1"])
        let folder = (path as NSString).deletingLastPathComponent
        XCTAssertEqual(sheet.entries.map(\.resolved), [folder + "/a.tsv", "/abs/b.tsv", folder + "/c.tsv"])
        XCTAssertEqual(sheet.entries.map(\.format), [.arriba, nil, nil])
        XCTAssertEqual(sheet.entries.map(\.line), [3, 4, 5])
        XCTAssertEqual(sheet.entries(of: "S2").map(\.path), ["a.tsv", "c.tsv"])
    }

    func testBadSheetsAreErrorsNamingTheLine() throws {
        let cases: [(text: String, code: CohortErrorCode, line: Int?)] = [
            ("sample\tfile\n", .missingColumn, 1),
            ("sample\tpath\n", .noSamples, nil),
            ("sample\tpath\nS1\t\n", .malformedRow, 2),
            ("sample\tpath\nS1\ta\nS 2\tb\n", .badSampleName, 3),
            ("sample\tpath\tformat\nS1\ta\tstarfusion\n", .unknownFormat, 2),
        ]
        for item in cases {
            let path = try sheet(item.text)
            let error = assertThrows(try SampleSheet(path: path), CohortError.self, code: item.code)
            XCTAssertEqual(error?.line, item.line, item.text)
            XCTAssertEqual(error?.path, path)
        }
    }
}
