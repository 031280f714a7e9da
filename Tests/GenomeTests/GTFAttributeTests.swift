import SeededRandom
import XCTest

@testable import Genome

/// GTF column 9 is read by bytes (GTFLine.attribute); these check it against the reading by
/// Characters it replaced, on seeded random columns built from the bytes that matter to it.
final class GTFAttributeTests: XCTestCase {
    /// The Character-based reading, as it was before it was made a byte scan.
    private func byCharacters(_ key: String, in text: Substring) -> Substring? {
        for pair in text.split(separator: ";") {
            var item = pair.drop { $0 == " " }
            guard item.hasPrefix(key) else { continue }
            item = item.dropFirst(key.count)
            guard let first = item.first, first == " " || first == "\t" else { continue }
            var value = item.drop { $0 == " " || $0 == "\t" }
            while value.last == " " { value = value.dropLast() }
            if value.count >= 2, value.first == "\"", value.last == "\"" { value = value.dropFirst().dropLast() }
            return value
        }
        return nil
    }

    func testByteReadingAgreesWithCharacterReading() {
        let pieces = ["gene_id", "gene", "gene_name", "_id", " ", "\t", ";", "\"", "G1", "é", "x"]
        let keys = ["gene_id", "gene_name", "gene", "transcript_id"]
        var random = SeededGenerator(seed: 15)
        for _ in 0..<20_000 {
            let text = (0..<random.int(in: 0...12)).map { _ in pieces[random.int(in: 0...(pieces.count - 1))] }
                .joined()
            // As a slice of a longer line, as the reader hands column 9.
            let line = "chr1\t" + text
            let column = line[line.index(line.startIndex, offsetBy: 5)...]
            for key in keys {
                XCTAssertEqual(GTFLine.attribute(key, in: column), byCharacters(key, in: column), "\(key) in '\(text)'")
            }
        }
    }
}
