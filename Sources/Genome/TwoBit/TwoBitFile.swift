import Foundation
import Support

/// A UCSC `.2bit` genome: 2 bits per base (T=0, C=1, A=2, G=3), with N runs and soft-mask runs
/// listed per sequence. Reads with `pread`, so one instance is safe to share between threads.
///
/// Every count and offset read from the file is checked against the file's size before it sizes an
/// allocation, so a truncated or hostile file is an error, never a crash.
final class TwoBitFile: SequenceReader, @unchecked Sendable {
    private struct Entry {
        let name: String
        let offset: Int
    }

    private struct Record {
        let length: Int
        let nStarts: [Int]
        let nEnds: [Int]
        let dnaOffset: Int
    }

    static let signature: UInt32 = 0x1A41_2743

    let path: String
    private let fd: Int32
    private let fileSize: Int
    private let swapped: Bool
    private let entries: [Entry]
    private let entryIndex: [String: Int]
    private var records: [Record?]
    private let lock = NSLock()

    init(path: String) throws {
        self.path = path
        fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw GenomeError(.unreadable, path: path, "cannot open: \(SystemReason.last)")
        }
        var st = stat()
        fstat(fd, &st)
        fileSize = Int(st.st_size)
        do {
            let head = try Self.read(fd, path: path, fileSize: fileSize, at: 0, count: 16)
            let raw = head.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
            if raw == Self.signature {
                swapped = false
            } else if raw.byteSwapped == Self.signature {
                swapped = true
            } else {
                throw GenomeError(.unsupportedFormat, path: path, "is not a .2bit file (bad signature)")
            }
            let fields = head.withUnsafeBytes { b in
                (1...3).map { b.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self) }
            }
            let (version, count) = (
                swapped ? fields[0].byteSwapped : fields[0], Int(swapped ? fields[1].byteSwapped : fields[1])
            )
            guard version <= 1 else {
                throw GenomeError(
                    .unsupportedFormat, path: path, "has .2bit version \(version); versions 0 and 1 are supported")
            }
            // Each index entry takes at least 1 + 1 + 4 bytes: a count beyond that is a corrupt header.
            guard count <= (fileSize - 16) / 6 else {
                throw GenomeError(.corrupt, path: path, "claims \(count) sequences, more than the file can hold")
            }
            let offsetSize = version == 0 ? 4 : 8
            var entries: [Entry] = []
            entries.reserveCapacity(count)
            var at = 16
            for _ in 0..<count {
                let nameSize = Int(try Self.read(fd, path: path, fileSize: fileSize, at: at, count: 1)[0])
                let nameBytes = try Self.read(fd, path: path, fileSize: fileSize, at: at + 1, count: nameSize)
                let offBytes = try Self.read(
                    fd, path: path, fileSize: fileSize, at: at + 1 + nameSize, count: offsetSize)
                let offset =
                    offsetSize == 4
                    ? Int(Self.u32(offBytes, 0, swapped))
                    : Int(truncatingIfNeeded: Self.u64(offBytes, swapped))
                guard offset >= 0, offset < fileSize else {
                    throw GenomeError(
                        .corrupt, path: path,
                        "sequence \(entries.count + 1) starts past the end of the file (truncated?)")
                }
                entries.append(Entry(name: String(decoding: nameBytes, as: UTF8.self), offset: offset))
                at += 1 + nameSize + offsetSize
            }
            self.entries = entries
            var index: [String: Int] = [:]
            for (i, e) in entries.enumerated() { index[e.name] = i }
            entryIndex = index
            records = Array(repeating: nil, count: entries.count)
        } catch {
            close(fd)
            throw error
        }
    }

    deinit { close(fd) }

    /// Names and lengths, in file order.
    func sequences() throws -> [ChromosomeInfo] {
        try entries.indices.map { ChromosomeInfo(name: entries[$0].name, length: try record($0).length) }
    }

    func bases(_ name: String, from start: Int, to end: Int) throws -> [UInt8] {
        guard let i = entryIndex[name] else {
            throw GenomeError(.unknownChromosome, path: path, "has no sequence named '\(name)'")
        }
        let r = try record(i)
        guard start >= 0, start <= end, end <= r.length else {
            throw GenomeError(
                .outOfRange, path: path, "\(name):\(start + 1)-\(end) is outside the sequence (length \(r.length))")
        }
        if start == end { return [] }
        let firstByte = start / 4
        let lastByte = (end - 1) / 4
        let packed = try Self.read(
            fd, path: path, fileSize: fileSize, at: r.dnaOffset + firstByte, count: lastByte - firstByte + 1)
        var out = [UInt8](repeating: 0, count: end - start)
        let letters: [UInt8] = Array("TCAG".utf8)
        for p in start..<end {
            let byte = packed[p / 4 - firstByte]
            out[p - start] = letters[Int((byte >> UInt8(6 - 2 * (p % 4))) & 3)]
        }
        // N runs are sorted by start; only those before `end` and ending after `start` touch the range.
        var k = Self.firstEnding(after: start, in: r.nEnds)
        while k < r.nStarts.count, r.nStarts[k] < end {
            // A damaged file's runs may overlap or be out of order: an empty overlap is skipped.
            let from = max(start, r.nStarts[k])
            let to = min(end, r.nEnds[k])
            if from < to { for p in from..<to { out[p - start] = Nucleotides.n } }
            k += 1
        }
        return out
    }

    private func record(_ i: Int) throws -> Record {
        lock.lock()
        defer { lock.unlock() }
        if let r = records[i] { return r }
        let e = entries[i]
        var at = e.offset
        func word() throws -> Int {
            defer { at += 4 }
            return Int(Self.u32(try Self.read(fd, path: path, fileSize: fileSize, at: at, count: 4), 0, swapped))
        }
        func block(_ count: Int) throws -> [Int] {
            guard count <= (fileSize - at) / 4 else {
                throw GenomeError(
                    .corrupt, path: path, "sequence '\(e.name)' lists more blocks than the file holds (truncated?)")
            }
            let bytes = try Self.read(fd, path: path, fileSize: fileSize, at: at, count: count * 4)
            at += count * 4
            return (0..<count).map { Int(Self.u32(bytes, $0 * 4, swapped)) }
        }
        let length = try word()
        let nCount = try word()
        let nStarts = try block(nCount)
        let nSizes = try block(nCount)
        let maskCount = try word()
        at += 8 * maskCount  // soft-mask runs: bases are uppercased anyway
        at += 4  // reserved
        guard at <= fileSize, (length + 3) / 4 <= fileSize - at else {
            throw GenomeError(
                .corrupt, path: path, "sequence '\(e.name)' (\(length) nt) runs past the end of the file (truncated?)")
        }
        let order = nStarts.indices.sorted { nStarts[$0] < nStarts[$1] }
        let r = Record(
            length: length,
            nStarts: order.map { nStarts[$0] },
            nEnds: order.map { nStarts[$0] + nSizes[$0] },
            dnaOffset: at)
        records[i] = r
        return r
    }

    /// Index of the first N run that ends after `position` (runs do not overlap, so ends are sorted too).
    private static func firstEnding(after position: Int, in ends: [Int]) -> Int {
        var lo = 0
        var hi = ends.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if ends[mid] <= position { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    private static func u64(_ bytes: [UInt8], _ swapped: Bool) -> UInt64 {
        let v = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        return swapped ? v.byteSwapped : v
    }

    private static func u32(_ bytes: [UInt8], _ offset: Int, _ swapped: Bool) -> UInt32 {
        let v = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self) }
        return swapped ? v.byteSwapped : v
    }

    private static func read(_ fd: Int32, path: String, fileSize: Int, at offset: Int, count: Int) throws -> [UInt8] {
        guard offset >= 0, count >= 0, offset <= fileSize, count <= fileSize - offset else {
            throw GenomeError(
                .corrupt, path: path, "is truncated or corrupt (a read at byte \(offset) runs past its end)")
        }
        var buffer = [UInt8](repeating: 0, count: count)
        let done = buffer.withUnsafeMutableBytes { bytes in
            bytes.baseAddress.map { preadFully(fd, $0, count: count, offset: offset) } ?? 0
        }
        guard done == count else {
            throw GenomeError(
                .unreadable, path: path,
                "read failed at byte \(offset + max(0, done)): "
                    + "\(done < 0 ? SystemReason.last : "unexpected end of file")"
            )
        }
        return buffer
    }
}
