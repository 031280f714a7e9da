import CHTSlib
import Foundation
import Support

/// Random access to a plain or bgzip-compressed FASTA, from its faidx index.
///
/// htslib builds the index and does the BGZF block I/O; the base range is turned into one byte
/// range with the index's line layout and read in a single call, then the line ends are dropped
/// while copying. (htslib 1.16's own `fai_fetch` reads a character at a time, several times slower.)
final class FASTAReader: SequenceReader {
    private let path: String
    private let fai: FAIEntries
    private let fd: Int32
    private let bgzf: UnsafeMutablePointer<BGZF>?
    private var scratch: [UInt8] = []

    init(path: String, index: FASTAIndex) throws {
        let text: String
        do {
            // A line per sequence: 256 MiB is millions of contigs, more than any assembly has.
            text = try SmallTextFile.read(index.fai, kind: "faidx index", maximumBytes: 256 << 20)
        } catch {
            throw GenomeError(
                .unreadable, path: index.fai, "cannot read the faidx index: \(SystemReason.of(error))")
        }
        fai = try FAIEntries(path: index.fai, contents: text)
        self.path = path
        if let gzi = index.gzi {
            guard let handle = bgzf_open(path, "r") else {
                throw GenomeError(.unreadable, path: path, "cannot open: \(SystemReason.last)")
            }
            guard bgzf_index_load(handle, gzi, nil) == 0 else {
                bgzf_close(handle)
                throw GenomeError(.corrupt, path: gzi, "could not load the bgzip index; delete it so it is rebuilt")
            }
            bgzf = handle
            fd = -1
        } else {
            fd = open(path, O_RDONLY)
            guard fd >= 0 else {
                throw GenomeError(.unreadable, path: path, "cannot open: \(SystemReason.last)")
            }
            bgzf = nil
        }
    }

    deinit {
        if let bgzf { bgzf_close(bgzf) }
        if fd >= 0 { close(fd) }
    }

    /// Names and lengths, in file order.
    var sequences: [ChromosomeInfo] {
        fai.entries.map { ChromosomeInfo(name: $0.name, length: $0.length) }
    }

    func bases(_ name: String, from start: Int, to end: Int) throws -> [UInt8] {
        guard let entry = fai[name] else {
            throw GenomeError(.unknownChromosome, path: path, "has no sequence named '\(name)'")
        }
        guard start >= 0, start <= end, end <= entry.length else {
            throw GenomeError(
                .outOfRange, path: path, "\(name):\(start + 1)-\(end) is outside the sequence (length \(entry.length))")
        }
        if start == end { return [] }
        let first = entry.byteOffset(of: start)
        let last = entry.byteOffset(of: end - 1)
        let span = last - first + 1
        if scratch.count < span { scratch = [UInt8](repeating: 0, count: span) }
        try read(at: first, count: span, name: name)

        // Copy the bases line by line, skipping each line end, then uppercase.
        var out = [UInt8](repeating: 0, count: end - start)
        scratch.withUnsafeBufferPointer { raw in
            out.withUnsafeMutableBufferPointer { o in
                guard let source = raw.baseAddress, let target = o.baseAddress else { return }
                var p = start
                var at = 0
                var written = 0
                while p < end {
                    let inLine = min(entry.lineBases - p % entry.lineBases, end - p)
                    (target + written).update(from: source + at, count: inLine)
                    written += inLine
                    p += inLine
                    at += inLine + (entry.lineWidth - entry.lineBases)
                }
                Nucleotides.uppercase(target, count: written)
            }
        }
        // Line ends or a header among the bases: the index was made for another layout of the file.
        if out.contains(where: { $0 == 10 || $0 == 13 || $0 == 62 }) {
            throw GenomeError(
                .corrupt, path: path,
                "\(name):\(start + 1)-\(end) reads line ends where its faidx index puts bases: the index was made for "
                    + "another version of the file; delete \(path).fai (and .gzi) so that it is rebuilt")
        }
        return out
    }

    private func read(at offset: Int, count: Int, name: String) throws {
        let got: Int = scratch.withUnsafeMutableBytes { buffer in
            guard let base = buffer.baseAddress else { return 0 }
            if let bgzf {
                guard bgzf_useek(bgzf, off_t(offset), SEEK_SET) == 0 else { return -1 }
                return bgzf_read(bgzf, base, count)
            }
            return preadFully(fd, base, count: count, offset: offset)
        }
        guard got == count else {
            throw GenomeError(
                .corrupt, path: path,
                "\(name) ends before its index says (truncated file, or a stale index: delete the .fai/.gzi)")
        }
    }
}
