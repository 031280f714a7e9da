import CHTSlib
import Foundation
import Support

/// A bgzip-compressed BED file with a tabix index (`.tbi` or `.csi` beside it), read by region so
/// that a genome-wide track costs only the lines near the regions asked for.
public final class TabixFile {
    let path: String
    private let file: UnsafeMutablePointer<BGZF>
    private let index: UnsafeMutablePointer<tbx_t>
    /// Chromosome key (alias-free) to the index's sequence id.
    private let ids: [String: Int32]
    /// The index's sequences, as alias-free chromosome keys.
    var chromosomes: Set<String> { Set(ids.keys) }
    private var buffer = kstring_t(l: 0, m: 0, s: nil)

    /// The index file beside `path`, if there is one (`PATH.tbi`, then `PATH.csi`).
    static func indexPath(for path: String) -> String? {
        [".tbi", ".csi"].map { path + $0 }.first { FileManager.default.fileExists(atPath: $0) }
    }

    /// Opens `path` and its index; nil when there is no index beside it.
    /// - Throws: ``GenomeError`` when the index is older than the file (it would silently miss
    ///   lines), unreadable, made for another format than BED, or made for another file.
    init?(path: String) throws {
        guard let indexPath = Self.indexPath(for: path) else { return nil }
        hts_set_log_level(HTS_LOG_OFF)  // our errors say more, and name the file
        let reindex = "re-index it with `tabix -f -p bed \(path)`"
        // Dates that cannot be read skip this check only: loading the index below reports the failure.
        if let data = try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date,
            let made = try? FileManager.default.attributesOfItem(atPath: indexPath)[.modificationDate] as? Date,
            made < data
        {
            throw GenomeError(
                .indexUnavailable, path: indexPath, "is older than \(path), so it may not match it: \(reindex)")
        }
        guard let index = tbx_index_load3(path, indexPath, 0) else {
            throw GenomeError(
                .indexUnavailable, path: indexPath,
                "cannot read the tabix index (truncated or not an index?): \(reindex)")
        }
        // BED presets: 0-based starts (TBX_UCSC), chrom/start/end in columns 1-3.
        guard index.pointee.conf.preset & TBX_UCSC != 0, index.pointee.conf.sc == 1, index.pointee.conf.bc == 2,
            index.pointee.conf.ec == 3
        else {
            tbx_destroy(index)
            throw GenomeError(.unsupportedFormat, path: indexPath, "indexes another format than BED: \(reindex)")
        }
        guard let file = bgzf_open(path, "r") else {
            tbx_destroy(index)
            throw GenomeError(.unreadable, path: path, "cannot open: \(SystemReason.last)")
        }
        var count: Int32 = 0
        var ids: [String: Int32] = [:]
        var names: [(name: String, id: Int32)] = []
        if let list = tbx_seqnames(index, &count) {
            for i in 0..<Int(count) {
                guard let name = list[i] else { continue }
                names.append((String(cString: name), Int32(i)))
                ids[ChromosomeNames.key(String(cString: name), length: nil)] = Int32(i)
            }
            free(list)
        }
        self.path = path
        self.file = file
        self.index = index
        self.ids = ids
        // Dates cannot tell an index of another file made later: each sequence's first line must be there.
        for (name, id) in names where !startsWith(name, id: id) {
            throw GenomeError(
                .indexUnavailable, path: indexPath,
                "does not match \(path) (its first line of \(name) is not where the index says): \(reindex)")
        }
    }

    /// Whether the first line the index finds for sequence `id` is a line of `name`. htslib ends a
    /// query silently at a line of another sequence, so an index of another file reads as no lines.
    private func startsWith(_ name: String, id: Int32) -> Bool {
        guard let iterator = fusionai_tbx_itr_queryi(index, id, 0, hts_pos_t(1) << 40) else { return false }
        defer { hts_itr_destroy(iterator) }
        guard fusionai_tbx_itr_next(file, index, iterator, &buffer) >= 0, let s = buffer.s else { return false }
        let line = UnsafeRawBufferPointer(start: s, count: Int(buffer.l))
        let key = Array(name.utf8) + [9]
        return line.count >= key.count && zip(line, key).allSatisfy { $0 == $1 }
    }

    /// Lines in the file, from the index's per-sequence counts; nil when the index keeps none.
    var lineCount: Int? {
        var total = 0
        for id in ids.values {
            var mapped: UInt64 = 0
            var unmapped: UInt64 = 0
            guard hts_idx_get_stat(index.pointee.idx, id, &mapped, &unmapped) == 0 else { return nil }
            total += Int(mapped)
        }
        return total
    }

    deinit {
        fusionai_ks_free(&buffer)
        tbx_destroy(index)
        bgzf_close(file)
    }

    /// Calls `body` with each line overlapping the 1-based `range` of `chromosome` (any alias);
    /// none when the index does not know the chromosome.
    func forEachLine(chromosome: String, range: ClosedRange<Int>, _ body: (UnsafeBufferPointer<CChar>) throws -> Void)
        throws
    {
        guard let id = ids[ChromosomeNames.key(chromosome, length: nil)] else { return }
        guard
            let iterator = fusionai_tbx_itr_queryi(
                index, id, hts_pos_t(range.lowerBound - 1), hts_pos_t(range.upperBound))
        else {
            throw GenomeError(
                .indexUnavailable, path: path,
                "tabix query \(chromosome):\(range.lowerBound)-\(range.upperBound) failed")
        }
        defer { hts_itr_destroy(iterator) }
        while true {
            let status = fusionai_tbx_itr_next(file, index, iterator, &buffer)
            if status == -1 { return }
            guard status >= 0, let s = buffer.s else {
                throw GenomeError(
                    .corrupt, path: path,
                    "read error in \(chromosome):\(range.lowerBound)-\(range.upperBound) "
                        + "(truncated file, or an index of another file?)"
                )
            }
            try body(UnsafeBufferPointer(start: s, count: Int(buffer.l)))
        }
    }

    /// Builds `PATH.tbi` for a bgzip-compressed BED sorted by chromosome and start.
    /// - Throws: ``GenomeError`` when the file is not BGZF or not sorted.
    public static func buildIndex(bedPath path: String) throws {
        var conf = tbx_conf_bed
        switch tbx_index_build(path, 0, &conf) {
        case 0: return
        case -2: throw GenomeError(.unsupportedFormat, path: path, "is not bgzip-compressed: compress it with `bgzip`")
        default:
            throw GenomeError(
                .corrupt, path: path, "cannot be indexed: sort it by chromosome and start (`sort -k1,1 -k2,2n`)")
        }
    }
}
