import CHTSlib
import Foundation
import Support

/// A reference genome on disk: plain FASTA, bgzip FASTA (both through htslib faidx) or UCSC 2bit.
///
/// Opening reads the sequence names and lengths, builds a missing faidx index, resolves aliases and
/// detects the build. Bases are read through per-thread readers from ``makeReader()``.
public final class ReferenceGenome: Sendable {
    /// The file's kind, told from its first bytes (not its name).
    public enum Format: String, Sendable {
        case fasta = "FASTA"
        case bgzipFASTA = "bgzip FASTA"
        case twoBit = "2bit"
    }

    public let path: String
    public let format: Format
    /// Sequences in file order.
    public let sequences: [ChromosomeInfo]
    /// Alias resolution against ``sequences``.
    public let names: ChromosomeNames
    /// The build told from chromosome lengths.
    public let build: GenomeBuild
    /// What opening did beyond reading (index built, cache used), for the run summary.
    public let notes: [String]

    private let index: FASTAIndex?
    private let twoBit: TwoBitFile?

    /// Opens a genome file.
    /// - Parameters:
    ///   - path: FASTA (plain or bgzip) or `.2bit`.
    ///   - cacheDirectory: where to build a faidx index when the FASTA's folder is read-only;
    ///     default `$FUSIONAI_CACHE_DIR`, else `$XDG_CACHE_HOME/fusionai`, else `~/.cache/fusionai`.
    /// - Throws: ``GenomeError`` naming the file and the fix.
    public init(path: String, cacheDirectory: String? = nil) throws {
        self.path = path
        hts_set_log_level(HTS_LOG_OFF)  // our errors say more, and name the file
        // A genome is read at offsets, which a pipe cannot give (and opening one with no writer waits).
        if OutputTarget.isSpecial(path) {
            throw GenomeError(
                .unreadable, path: path, "is a named pipe, device or socket: a genome is read at random, give a file")
        }
        let magic = try Self.firstBytes(of: path, count: 18)
        var notes: [String] = []
        if magic.count >= 4, Self.isTwoBit(magic) {
            let file = try TwoBitFile(path: path)
            format = .twoBit
            twoBit = file
            index = nil
            sequences = try file.sequences()
        } else {
            let compressed = magic.starts(with: [0x1F, 0x8B])
            if compressed, !Self.isBGZF(magic) {
                throw GenomeError(
                    .unsupportedFormat, path: path,
                    "is gzip-compressed but not with bgzip, so it cannot be read by region. "
                        + "Fix: `zcat \(path) | bgzip > genome.fa.gz` (or gunzip it)"
                )
            }
            if !compressed, magic.first != UInt8(ascii: ">") {
                throw GenomeError(
                    .unsupportedFormat, path: path, "is neither FASTA (first byte is not '>'), bgzip FASTA nor .2bit")
            }
            let located = try FASTAIndex.locate(fasta: path, compressed: compressed, cacheDirectory: cacheDirectory)
            if let note = located.note { notes.append(note) }
            format = compressed ? .bgzipFASTA : .fasta
            index = located
            twoBit = nil
            sequences = try FASTAReader(path: path, index: located).sequences
        }
        guard !sequences.isEmpty else {
            throw GenomeError(.corrupt, path: path, "holds no sequences")
        }
        names = ChromosomeNames(sequences)
        build = GenomeBuild.detect(sequences).build
        self.notes = notes
    }

    /// A reader of bases for the calling thread.
    public func makeReader() throws -> SequenceReader {
        if let twoBit { return twoBit }
        guard let index else { throw GenomeError(.unreadable, path: path, "has no index") }
        return try FASTAReader(path: path, index: index)
    }

    /// Total length in bases.
    public var totalLength: Int { sequences.reduce(0) { $0 + $1.length } }

    private static func isTwoBit(_ magic: [UInt8]) -> Bool {
        let v = magic.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
        return v == TwoBitFile.signature || v.byteSwapped == TwoBitFile.signature
    }

    /// gzip with the BGZF extra field (`BC`), as bgzip writes it.
    private static func isBGZF(_ magic: [UInt8]) -> Bool {
        magic.count >= 16 && magic[2] == 8 && magic[3] & 4 != 0 && magic[12] == 66 && magic[13] == 67
    }

    private static func firstBytes(of path: String, count: Int) throws -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw GenomeError(.notFound, path: path, "no such file")
        }
        guard !isDirectory.boolValue else {
            throw GenomeError(.unreadable, path: path, "is a folder, not a genome file")
        }
        func unreadable() -> GenomeError {
            GenomeError(.unreadable, path: path, "cannot be read: \(SystemReason.last)")
        }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw unreadable() }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: count)
        let got = read(fd, &bytes, count)
        guard got >= 0 else { throw unreadable() }
        guard got > 0 else { throw GenomeError(.corrupt, path: path, "is empty") }
        return Array(bytes.prefix(got))
    }
}
