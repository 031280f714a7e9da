import SeededRandom
import TestSupport
import XCTest

@testable import Motifs

final class MotifComparisonTests: XCTestCase {
    static let database: MEMEFile? = try? MEMEFile.read(path: MEMEFileTests.jaspar)

    private func jaspar() throws -> MEMEFile { try XCTUnwrap(Self.database, "JASPAR test database unreadable") }

    /// CTCF with three uniform columns planted on each side, on both strands: the top hit is
    /// CTCF itself, at the offset the flanks put it.
    func testPlantedMatrixIsTheTopHit() throws {
        let db = try jaspar()
        let ctcf = try XCTUnwrap(db.motifs.first { $0.id == "MA0139.2" })
        let flank = [[Double]](repeating: [0.25, 0.25, 0.25, 0.25], count: 3)
        let planted = MotifMatrix(id: "planted", rows: flank + ctcf.rows + flank)
        for kind in MotifComparison.ColumnScore.allCases {
            var options = MotifComparison.Options()
            options.columnScore = kind
            let comparison = MotifComparison(targets: db.motifs, options: options)
            for (query, orientation, offset) in [
                (planted, MotifComparison.Orientation.forward, -3),
                (planted.reverseComplement, .reverse, -3),
            ] {
                let matches = comparison.compare(query).sorted { $0.pValue < $1.pValue }
                let top = try XCTUnwrap(matches.first)
                XCTAssertEqual(top.targetID, "MA0139.2", "\(kind)")
                XCTAssertEqual(top.orientation, orientation, "\(kind)")
                XCTAssertEqual(top.offset, offset, "\(kind)")
                XCTAssertEqual(top.overlap, ctcf.width, "\(kind)")
                XCTAssertLessThan(top.qValue, 0.05, "\(kind)")
                XCTAssertEqual(top.eValue, top.pValue * Double(db.motifs.count), accuracy: 1e-300)
            }
        }
    }

    /// Column-permuted JASPAR matrices and random matrices resemble nothing in the database. The
    /// permuted ones are drawn from motifs whose consensus holds all four letters: permuting a
    /// G-rich KLF/SP matrix leaves a G-rich matrix, which rightly still resembles KLF/SP motifs.
    func testShuffledAndRandomMatricesMatchNothing() throws {
        let db = try jaspar()
        var random = SeededGenerator(seed: 14)
        var queries: [MotifMatrix] = []
        let mixed = db.motifs.filter { motif in "ACGT".allSatisfy { motif.consensus.contains($0) } }
        for index in stride(from: 0, to: mixed.count, by: mixed.count / 12) {
            var rows = mixed[index].rows
            random.shuffle(&rows)
            queries.append(MotifMatrix(id: "permuted\(index)", rows: rows))
        }
        for index in 0..<10 {
            let rows = (0..<(8 + index)).map { _ -> [Double] in
                let w = (0..<4).map { _ in -log(Double(random.int(in: 1...1_000_000)) / 1_000_001) }
                return w.map { $0 / w.reduce(0, +) }
            }
            queries.append(MotifMatrix(id: "random\(index)", rows: rows))
        }
        let comparison = MotifComparison(targets: db.motifs)
        for (query, matches) in zip(queries, comparison.compare(queries, threads: 2)) {
            let best = try XCTUnwrap(matches.min { $0.qValue < $1.qValue })
            XCTAssertGreaterThanOrEqual(best.qValue, 0.05, "\(query.id) matched \(best.targetID)")
        }
    }

    func testBenjaminiHochbergByHand() {
        // Sorted p: 0.01 (x4/1 = 0.04), 0.02 (x4/2 = 0.04), 0.03 (x4/3 = 0.04), 0.5 (x4/4 = 0.5).
        XCTAssertEqual(
            MotifComparison.benjaminiHochberg([0.5, 0.02, 0.01, 0.03]).map { ($0 * 1e6).rounded() / 1e6 },
            [0.5, 0.04, 0.04, 0.04])
        // A later, smaller product caps the earlier: 0.04 x 2 / 1 = 0.08 > 0.045 x 2 / 2.
        XCTAssertEqual(MotifComparison.benjaminiHochberg([0.04, 0.045]), [0.045, 0.045])
    }
}

extension MotifComparisonTests {
    /// memelite's binned median by hand: 1,000 bins over [low, high], scale 999 / (high - low).
    func testBinnedMedianIsTheMeanOfTheHalfwayBin() {
        func median(_ values: [Double]) -> Double {
            values.withUnsafeBufferPointer {
                MotifComparison.binnedMedian($0, low: values.min() ?? 0, high: values.max() ?? 0)
            }
        }
        // Bins 0, 99, 199, 299, 999: the count reaches 2.5 in bin 199, which holds 2 alone.
        XCTAssertEqual(median([10, 0, 3, 1, 2]), 2)
        // Bins 0, 333, 666, 999: the count reaches 2 in bin 333 (the lower middle value).
        XCTAssertEqual(median([0, 1, 2, 3]), 1)
        // 0, 0.0001 and 0.0002 share bin 0, where the count reaches 2: their mean.
        XCTAssertEqual(median([0.0002, 10, 0, 0.0001]), 0.0001, accuracy: 1e-15)
        XCTAssertEqual(median([4, 4, 4]), 4)
    }
}

extension MotifComparisonTests {
    /// TOMTOM's numbers are C's `%.3g`: the formatter agrees with printf on values across the
    /// whole range a p-, E- or q-value takes, powers of ten and rounding carries included.
    func testNumbersAreFormattedAsPercentThreeG() {
        var random = SeededGenerator(seed: 9)
        var values: [Double] = [0, 1, 0.5, 1e-300, 9.995e-5, 9.9949e-5, 0.0001, 999.5, 1000, 123.4, 0.001, 5e-324]
        for e in -40...6 { values.append(pow(10, Double(e))) }
        for _ in 0..<20_000 {
            let mantissa = Double(random.int(in: 1...999_999)) / 100_000
            values.append(mantissa * pow(10, Double(random.int(in: -60...5))))
        }
        for value in values {
            XCTAssertEqual(TomtomNumber.format(value), String(format: "%.3g", value), "\(value)")
        }
    }
}

extension MotifComparisonTests {
    /// The nulls are built only for spans as wide as a target, one first column at a time; every
    /// p-value must equal the plain sum over all of a target's offsets with each span's
    /// distribution convolved from scratch: targets narrower than, as wide as and wider than the
    /// query (one offset per span, or several offsets laying the whole query inside the target).
    func testSpanNullsEqualEveryOffsetConvolvedFromScratch() {
        // Each way of building spans (every span from each first column; long suffixes from the
        // last column; windows split at a multiple of the target's width), chosen or forced.
        // Width 7 is the query's less two: a single window.
        assertSpanNulls(queryWidth: 9, targetWidths: [1, 3, 5, 7, 9, 14], directWidths: [nil, 0, 3, 14], seed: 11)
        assertSpanNulls(
            queryWidth: 23, targetWidths: [2, 5, 9, 20, 23, 30], directWidths: [nil, 0, 5, 9, 30], seed: 12)
        // Two wide motifs: the cheapest way is windows and suffixes (no span from each first column).
        assertSpanNulls(queryWidth: 23, targetWidths: [6, 20], directWidths: [nil], seed: 13)
        for width in [1, 2] {
            assertSpanNulls(queryWidth: width, targetWidths: [1, 2, 4], directWidths: [nil, 0, 4], seed: 14)
        }
    }

    private func assertSpanNulls(
        queryWidth width: Int, targetWidths: [Int], directWidths: [Int?], seed: UInt64,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        var random = SeededGenerator(seed: seed)
        let offset = 6
        // Thirteen bins per column, some empty at either end (the nulls trim them).
        let histograms = (0..<width).map { _ -> [Double] in
            let low = random.int(in: 0...3)
            let high = random.int(in: 9...12)
            let raw = (0..<13).map { $0 >= low && $0 <= high ? Double(random.int(in: 1...100)) : 0 }
            let total = raw.reduce(0, +)
            return raw.map { $0 / total }
        }
        func convolve(_ a: [Double], _ b: [Double]) -> [Double] {
            var out = [Double](repeating: 0, count: a.count + b.count - 1)
            for (i, x) in a.enumerated() { for (j, y) in b.enumerated() { out[i + j] += x * y } }
            return out
        }
        // sums[lo][hi - lo]: the distribution of columns lo...hi, each convolved from scratch.
        let sums = (0..<width).map { lo in
            (lo..<width).map { hi in histograms[lo...hi].dropFirst().reduce(histograms[lo], convolve) }
        }
        func reference(_ trial: SpanNulls.Trial) -> Double {
            var logNone = 0.0
            for o in -(width - 1)...(trial.targetWidth - 1) {
                let lo = max(0, -o)
                let hi = min(width - 1, trial.targetWidth - 1 - o)
                guard hi - lo + 1 >= trial.minOverlap else { continue }
                let sum = sums[lo][hi - lo]
                let k = trial.score + (hi - lo + 1) * offset
                logNone += log1p(-(k <= 0 ? 1 : min(1, sum[min(k, sum.count)...].reduce(0, +))))
            }
            return -expm1(logNone)
        }
        var trials: [SpanNulls.Trial] = []
        for targetWidth in targetWidths {
            for minOverlap in Set([1, 5, min(5, targetWidth)]) where minOverlap <= min(width, targetWidth) {
                for score in stride(from: -6 * width - 3, through: 6 * width + 3, by: max(3, width / 3)) {
                    trials.append(SpanNulls.Trial(score: score, targetWidth: targetWidth, minOverlap: minOverlap))
                }
            }
        }
        let expected = trials.map(reference)
        for direct in directWidths {
            let pValues = SpanNulls.pValues(
                trials, histograms: histograms, offset: offset, queryWidth: width, directWidth: direct)
            XCTAssertEqual(pValues.count, trials.count, file: file, line: line)
            for (i, p) in pValues.enumerated() {
                XCTAssertEqual(
                    p, expected[i], accuracy: 1e-12 + 1e-9 * expected[i],
                    "direct width \(direct.map(String.init) ?? "chosen"): \(trials[i])", file: file, line: line)
            }
            // Scores at both ends: certain below the null's range, impossible above it (and, for a
            // query wide enough to sum many columns, tiny but not 0 just below its top).
            XCTAssertEqual(pValues.first, 1, file: file, line: line)
            if width > 2 { XCTAssertTrue(pValues.contains { $0 > 0 && $0 < 1e-6 }, file: file, line: line) }
            XCTAssertTrue(pValues.contains { $0 == 0 }, file: file, line: line)
        }
    }
}
