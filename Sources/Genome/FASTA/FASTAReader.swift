import CHTSlib

/// Random access to a plain or bgzip-compressed FASTA through htslib's faidx.
final class FASTAReader: SequenceReader {
    private let handle: OpaquePointer
    private let path: String

    init(path: String, index: FASTAIndex) throws {
        guard let handle = fai_load3(path, index.fai, index.gzi, 0) else {
            throw GenomeError(.corrupt, path: path, "could not load its faidx index \(index.fai); if the FASTA changed, delete the index and run again")
        }
        self.handle = handle
        self.path = path
    }

    deinit { fai_destroy(handle) }

    /// Names and lengths, in file order.
    var sequences: [ChromosomeInfo] {
        (0..<faidx_nseq(handle)).compactMap { i -> ChromosomeInfo? in
            guard let name = faidx_iseq(handle, i) else { return nil }
            // htslib 1.16 (Debian 12) has no faidx_seq_len64; its 32-bit length covers every human chromosome.
            return ChromosomeInfo(name: String(cString: name), length: Int(faidx_seq_len(handle, name)))
        }
    }

    func bases(_ name: String, from start: Int, to end: Int) throws -> [UInt8] {
        guard start >= 0, start <= end else {
            throw GenomeError(.outOfRange, path: path, "range \(start)-\(end) of \(name) is not a valid 0-based interval")
        }
        if start == end { return [] }
        var fetched: hts_pos_t = 0
        guard let raw = faidx_fetch_seq64(handle, name, hts_pos_t(start), hts_pos_t(end - 1), &fetched) else {
            throw GenomeError(.unknownChromosome, path: path, "has no sequence named '\(name)' or could not read it")
        }
        defer { free(raw) }
        guard fetched == end - start else {
            throw GenomeError(.outOfRange, path: path, "\(name):\(start + 1)-\(end) is past the sequence's end or the file is truncated (got \(max(0, Int(fetched))) of \(end - start) bases)")
        }
        return raw.withMemoryRebound(to: UInt8.self, capacity: end - start) { p in
            var out = [UInt8](UnsafeBufferPointer(start: p, count: end - start))
            Nucleotides.uppercase(&out)
            return out
        }
    }
}
