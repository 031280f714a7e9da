import CHTSlib
import Foundation
import Support

/// Where the faidx index (`.fai`, plus `.gzi` for bgzip) of a FASTA lives, building it when missing.
///
/// The index goes beside the FASTA, as samtools puts it. When that folder is read-only (a shared
/// reference, a container mount), it is built once into a cache folder instead, keyed by the FASTA's
/// absolute path, size and modification time, so a changed FASTA never meets a stale index.
struct FASTAIndex {
    let fai: String
    let gzi: String?
    /// What was done to find or build it, for the run summary; nil when the index was simply there.
    let note: String?

    static func locate(fasta path: String, compressed: Bool, cacheDirectory: String?) throws -> FASTAIndex {
        let fm = FileManager.default
        let besideFai = path + ".fai"
        let besideGzi = compressed ? path + ".gzi" : nil
        let besideExists = fm.fileExists(atPath: besideFai) && (besideGzi.map(fm.fileExists(atPath:)) ?? true)
        // An index older than its FASTA may be of another version of it (samtools only warns).
        let stale = besideExists && ([besideFai] + [besideGzi].compactMap { $0 }).contains { isOlder($0, than: path) }
        if besideExists, !stale {
            return FASTAIndex(fai: besideFai, gzi: besideGzi, note: nil)
        }

        let folder = PathNames.folder(of: path)
        let writable = isWritableFolder(folder.isEmpty ? "." : folder)
        if writable, build(path, fai: besideFai, gzi: besideGzi) {
            let why = stale ? "rebuilt index \(besideFai): it was older than the FASTA" : "built index \(besideFai)"
            return FASTAIndex(fai: besideFai, gzi: besideGzi, note: why)
        }
        if writable {
            // Where it could write, htslib refused the file itself (a cache copy would fail alike).
            throw GenomeError(
                .indexUnavailable, path: path,
                "cannot be indexed: are a sequence's lines of uneven length? (every line but a sequence's last "
                    + "must be equally long; re-wrap it, e.g. `seqkit seq -w 60`, then `samtools faidx` works too)")
        }

        let cache = cacheDirectory ?? CacheFolder.user
        var cacheFailure = ""
        if let cache {
            do {
                return try cachedIndex(for: path, compressed: compressed, in: cache)
            } catch {
                cacheFailure = " or in the cache \(cache) (\(SystemReason.of(error)))"
            }
        }
        throw GenomeError(
            .indexUnavailable, path: path,
            "has no faidx index and none could be written beside it (read-only folder)" + cacheFailure
                + ". Fix: run `samtools faidx \(path)` where you can write,"
                + " or set FUSIONAI_CACHE_DIR to a writable folder."
        )
    }

    private static func cachedIndex(for path: String, compressed: Bool, in cache: String) throws -> FASTAIndex {
        let fm = FileManager.default
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        let attributes = try fm.attributesOfItem(atPath: absolute)
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        let mtime = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let key = fnv1a("\(absolute)\u{0}\(size)\u{0}\(mtime)")
        let folder = cache + "/faidx"
        try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let stem = folder + "/" + PathNames.name(of: absolute) + "." + String(key, radix: 16)
        let fai = stem + ".fai"
        let gzi = compressed ? stem + ".gzi" : nil
        if fm.fileExists(atPath: fai), gzi.map(fm.fileExists(atPath:)) ?? true {
            return FASTAIndex(fai: fai, gzi: gzi, note: "using cached index \(fai)")
        }
        // Build under temporary names and rename, so a concurrent or killed run never leaves half an index.
        let tmp = stem + ".tmp\(getpid())"
        let tmpFai = tmp + ".fai"
        let tmpGzi = compressed ? tmp + ".gzi" : nil
        guard build(absolute, fai: tmpFai, gzi: tmpGzi) else {
            try? fm.removeItem(atPath: tmpFai)
            if let tmpGzi { try? fm.removeItem(atPath: tmpGzi) }
            throw GenomeError(.indexUnavailable, path: path, "could not build an index in \(folder)")
        }
        if let tmpGzi, let gzi { guard rename(tmpGzi, gzi) == 0 else { throw renameError(path, gzi) } }
        guard rename(tmpFai, fai) == 0 else { throw renameError(path, fai) }
        return FASTAIndex(
            fai: fai, gzi: gzi, note: "built index in the cache: \(fai) (the FASTA's folder is read-only)")
    }

    /// Whether `file` was last modified before `other` (false when either date cannot be read).
    private static func isOlder(_ file: String, than other: String) -> Bool {
        let fm = FileManager.default
        guard let made = try? fm.attributesOfItem(atPath: file)[.modificationDate] as? Date,
            let changed = try? fm.attributesOfItem(atPath: other)[.modificationDate] as? Date
        else { return false }
        return made < changed
    }

    /// Writable by this user, and not marked read-only: root may write anywhere, but a folder
    /// without write bits (a shared reference, say) is left as its owner meant it.
    private static func isWritableFolder(_ folder: String) -> Bool {
        var st = stat()
        guard stat(folder, &st) == 0 else { return false }
        return access(folder, W_OK) == 0 && (st.st_mode & 0o222) != 0
    }

    private static func build(_ path: String, fai: String, gzi: String?) -> Bool {
        fai_build3(path, fai, gzi) == 0
    }

    private static func renameError(_ path: String, _ target: String) -> GenomeError {
        GenomeError(
            .indexUnavailable, path: path,
            "could not move the new index to \(target): \(SystemReason.last)")
    }

    private static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }
}
