import Foundation
import Fusions
import Genome
import NeuralNet
import SeededRandom
import Support

/// Labelled fusions read from disk by index: FusionAI data files (10 or 11 columns: 8 columns,
/// HeadSeq, TailSeq, optional 0/1 label) or `fusionai prepare --genome` output, with labels from
/// column 11 or from a file of one 0/1 per line (like the published `*_target.csv`).
///
/// Opening indexes the byte offset of every data row; a batch reads just its rows, so memory
/// does not grow with the file (20 kb a row on disk, 8 bytes in the index).
public final class WindowDataSet: TrainingData, @unchecked Sendable {
    public let path: String
    public let labels: [Int]
    private let offsets: [Int]
    private let lengths: [Int]
    private let lines: [Int]
    private let scorer: FusionScorer
    private let handle: FileHandle
    private let lock = NSLock()

    /// - Parameters:
    ///   - labelsPath: one 0/1 per data row; when nil, column 11 of each row.
    ///   - scorer: the model the inputs are for (it decides the crop of each window).
    /// - Throws: ``FusionInputError`` naming the file and line of a missing or bad label, a row
    ///   without windows, or a compressed file (rows are read by offset: decompress first).
    public init(path: String, labelsPath: String? = nil, scorer: FusionScorer) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw FusionInputError(.unreadable, path: path, "cannot be read")
        }
        let head: Data
        do {
            head = try handle.read(upToCount: 2) ?? Data()
        } catch {
            throw FusionInputError(.unreadable, path: path, "cannot be read (\(SystemReason.of(error)))")
        }
        if head.starts(with: [0x1F, 0x8B]) {
            throw FusionInputError(
                .compressed, path: path, "is compressed; training reads rows by offset, so decompress it first (gunzip)"
            )
        }
        try handle.seek(toOffset: 0)
        var index = try Self.indexRows(handle, path: path, labelsInColumn11: labelsPath == nil)
        if let labelsPath {
            index.labels = try Self.readLabels(labelsPath)
            guard index.labels.count == index.offsets.count else {
                throw FusionInputError(
                    .labelMismatch, path: labelsPath,
                    "has \(index.labels.count) labels for \(index.offsets.count) rows of \(path)")
            }
        }
        guard !index.offsets.isEmpty else { throw FusionInputError(.empty, path: path, "holds no rows") }
        self.path = path
        self.handle = handle
        self.offsets = index.offsets
        self.lengths = index.lengths
        self.lines = index.lines
        self.labels = index.labels
        self.scorer = scorer
    }

    /// Where each data row of the file is, and its label when the file holds them.
    private struct RowIndex {
        var offsets: [Int] = []
        var lengths: [Int] = []
        var lines: [Int] = []
        var labels: [Int] = []
    }

    /// One pass over the file: row offsets, lengths and (with `labelsInColumn11`) labels.
    private static func indexRows(_ handle: FileHandle, path: String, labelsInColumn11: Bool) throws -> RowIndex {
        var index = RowIndex()
        var position = 0
        var lineNumber = 0
        var lineStart = 0
        var pending = Data()
        func finish(_ line: Data) throws {
            lineNumber += 1
            var bytes = line
            if bytes.last == 13 { bytes.removeLast() }
            guard !bytes.isEmpty, bytes.first != UInt8(ascii: "#") else { return }
            let fields = bytes.split(separator: 9, omittingEmptySubsequences: false)
            if fields.first.map({ String(decoding: $0, as: UTF8.self) == "Hgene" }) == true { return }
            guard fields.count >= 10, fields[8].count == WindowRule.length, fields[9].count == WindowRule.length else {
                throw FusionInputError(
                    .malformedRow, path: path, line: lineNumber,
                    "is not a row with two 10,000-nt windows (columns 9 and 10); run `fusionai prepare --genome` first")
            }
            for (column, window) in [(9, fields[8]), (10, fields[9])] {
                if let at = Nucleotides.firstNonNucleotide(in: Array(window)) {
                    throw FusionInputError(
                        .malformedRow, path: path, line: lineNumber,
                        "column \(column) holds a byte that is no DNA letter at position \(at + 1) (ACGTN or IUPAC "
                            + "codes); it would be trained on as N")
                }
            }
            if labelsInColumn11 {
                guard fields.count >= 11, let label = FusionLabel.parse(String(decoding: fields[10], as: UTF8.self))
                else {
                    let value = fields.count >= 11 ? String(decoding: fields[10].prefix(20), as: UTF8.self) : nil
                    throw FusionInputError(
                        .malformedRow, path: path, line: lineNumber,
                        "has no 0/1 label in column 11\(value.map { " ('\($0)')" } ?? ""); write labels as "
                            + "\(FusionLabel.accepted), or give them with --labels FILE")
                }
                index.labels.append(label)
            }
            index.offsets.append(lineStart)
            index.lengths.append(bytes.count)
            index.lines.append(lineNumber)
        }
        while let chunk = try handle.read(upToCount: 1 << 22), !chunk.isEmpty {
            var from = chunk.startIndex
            while let newline = chunk[from...].firstIndex(of: 10) {
                pending.append(chunk[from..<newline])
                try finish(pending)
                pending.removeAll(keepingCapacity: true)
                position += newline - from + 1
                lineStart = position
                from = newline + 1
            }
            pending.append(chunk[from...])
            position += chunk.endIndex - from
        }
        if !pending.isEmpty { try finish(pending) }
        return index
    }

    /// A labels file: one 0/1 per line, or Keras-style one-hot pairs `1,0` / `0,1` (the published
    /// `*_target.csv`, also as numpy writes floats). Anything else is refused, not rounded: `1,1`,
    /// `2,5` or `0.3,0.7` are not labels, and reading them as the larger column would train on guesses.
    private static func readLabels(_ path: String) throws -> [Int] {
        let text: String
        do {
            // A short line per sample: 1 GiB is hundreds of millions of them.
            text = try SmallTextFile.read(path, kind: "labels file", maximumBytes: 1 << 30)
        } catch {
            throw FusionInputError(.unreadable, path: path, "cannot be read (\(SystemReason.of(error)))")
        }
        let values = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        return try values.enumerated().map { i, v in
            let fields = v.split(whereSeparator: { $0 == "," || $0 == "\t" || $0 == " " })
            let parts = fields.compactMap { FusionLabel.parse($0) }
            switch parts.count == fields.count ? parts : [] {
            case [0], [1]: return parts[0]
            case [1, 0]: return 0
            case [0, 1]: return 1
            default:
                throw FusionInputError(
                    .malformedRow, path: path, line: i + 1,
                    "'\(v)' is not a label: give \(FusionLabel.accepted), or a one-hot pair 1,0 (negative) or "
                        + "0,1 (positive)")
            }
        }
    }

    deinit { try? handle.close() }

    public var count: Int { offsets.count }

    public func batch(_ indices: [Int]) throws -> TrainingBatch {
        var pairs: [(head: [UInt8], tail: [UInt8])] = []
        lock.lock()
        defer { lock.unlock() }
        for i in indices {
            try handle.seek(toOffset: UInt64(offsets[i]))
            guard let data = try handle.read(upToCount: lengths[i]), data.count == lengths[i] else {
                throw FusionInputError(
                    .changed, path: path, line: lines[i], "the file changed while training (row cut short)")
            }
            let fields = data.split(separator: 9, omittingEmptySubsequences: false)
            pairs.append((Array(fields[8]), Array(fields[9])))
        }
        return TrainingBatch(x: scorer.encode(pairs), labels: indices.map { labels[$0] })
    }
}

/// A view of some samples of another data set (a train, validation or test split).
public struct DataSubset: TrainingData {
    public let base: any TrainingData
    public let indices: [Int]

    public init(_ base: any TrainingData, indices: [Int]) {
        self.base = base
        self.indices = indices
    }

    public var count: Int { indices.count }

    public func batch(_ positions: [Int]) throws -> TrainingBatch {
        try base.batch(positions.map { indices[$0] })
    }
}

/// The paper's splits: 70% train / 30% test, the train part split 80/20 into train and validation;
/// a seeded shuffle decides who goes where.
public enum DataSplit {
    public static func paper(count: Int, seed: UInt64) -> (train: [Int], validation: [Int], test: [Int]) {
        var order = Array(0..<count)
        var rng = SeededGenerator(seed: seed)
        rng.shuffle(&order)
        let testCount = Int((Double(count) * 0.3).rounded())
        let rest = Array(order[testCount...])
        let validationCount = Int((Double(rest.count) * 0.2).rounded())
        return (Array(rest[validationCount...]), Array(rest[..<validationCount]), Array(order[..<testCount]))
    }
}

extension FusionScorer {
    /// P(positive) for every sample of `data`, in order, with the samples' labels (1 = true).
    /// - Parameter progress: samples scored so far.
    public func scores(of data: some TrainingData, threads: Int, progress: (Int) -> Void = { _ in }) throws -> (
        scores: [Double], labels: [Bool]
    ) {
        var scores: [Double] = []
        var labels: [Bool] = []
        var start = 0
        while start < data.count {
            let batch = try data.batch(Array(start..<min(data.count, start + 32)))
            let (x, l) = (batch.x, batch.labels)
            scores += probabilities(x, threads: threads).map(Double.init)
            labels += l.map { $0 == 1 }
            start += x.batch
            progress(start)
        }
        return (scores, labels)
    }
}
