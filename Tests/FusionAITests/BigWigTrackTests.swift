import CBigWig
import Foundation
import FusionAI
import Fusions
import Genome
import TestSupport
import XCTest

final class BigWigTrackTests: XCTestCase {
    /// explain's bigWig tracks, read back through libBigWig, hold the bedGraphs' values at the
    /// bedGraphs' intervals, on both strands, with the chromosome length in the header.
    func testBigWigHoldsTheBedGraphValues() throws {
        let folder = try TestData.temporaryDirectory()
        let record = FusionRecord(
            head: Breakpoint(gene: "H", chromosome: "chr2", position: 20_000, strand: .minus),
            tail: Breakpoint(gene: "T", chromosome: "chr3", position: 3_000, strand: .plus), line: 1, sourceFields: [])
        // Values with fractions, so a float written or read wrongly cannot pass.
        let scores = (0..<20_000).map { Float(($0 * 7919) % 10_007) / 64 - 50 }
        let bases = (head: [UInt8](repeating: 65, count: 10_000), tail: [UInt8](repeating: 67, count: 10_000))
        _ = try ExplainOutputs(folder: folder).write(
            id: "x", record: record,
            head: WindowCoordinates(chromosome: "chr2", breakpoint: 20_000, strand: .minus, chromosomeLength: 50_000),
            // The tail's window starts before the chromosome: its first 2,001 positions are padding.
            tail: WindowCoordinates(chromosome: "chr3", breakpoint: 3_000, strand: .plus, chromosomeLength: nil),
            bases: bases, cropStart: 0, scores: scores, probability: 0.5, method: .gradInput)
        for (part, chromosome, length) in [("head", "chr2", 50_000), ("tail", "chr3", 8_000)] {
            let lines = try String(contentsOfFile: "\(folder)/x.\(part).bedGraph", encoding: .utf8)
                .split(separator: "\n").dropFirst().map { $0.split(separator: "\t").map(String.init) }
            XCTAssertEqual(lines.count, part == "head" ? 10_000 : 8_000)
            let file = try XCTUnwrap(bwOpen("\(folder)/x.\(part).bw", nil, "r"), "libBigWig cannot open the .bw")
            defer { bwClose(file) }
            XCTAssertEqual(file.pointee.cl.pointee.nKeys, 1)
            XCTAssertEqual(String(cString: try XCTUnwrap(file.pointee.cl.pointee.chrom[0])), chromosome)
            XCTAssertEqual(file.pointee.cl.pointee.len[0], UInt32(length))
            let first = try XCTUnwrap(UInt32(lines[0][1]))
            let last = try XCTUnwrap(UInt32(lines[lines.count - 1][2]))
            let read = try XCTUnwrap(bwGetOverlappingIntervals(file, chromosome, 0, UInt32(length)))
            defer { bwDestroyOverlappingIntervals(read) }
            XCTAssertEqual(Int(read.pointee.l), lines.count)
            for (i, line) in lines.enumerated() {
                XCTAssertEqual(read.pointee.start[i], UInt32(line[1]))
                XCTAssertEqual(read.pointee.end[i], UInt32(line[2]))
                XCTAssertEqual(read.pointee.value[i], Float(line[3]), "\(part) \(line)")
            }
            XCTAssertEqual(read.pointee.start[0], first)
            XCTAssertEqual(read.pointee.end[lines.count - 1], last)
        }
    }
}
