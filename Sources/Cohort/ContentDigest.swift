import CHTSlib
import Foundation

/// An MD5 digest through htslib's implementation (the one CRAM uses for reference checksums): a
/// content key for the score cache, where collisions only matter between deliberately forged
/// windows, not between genomic sequences.
final class ContentDigest {
    private let context: OpaquePointer

    init() {
        // hts_md5_init fails only when malloc does.
        guard let context = hts_md5_init() else { fatalError("out of memory starting an MD5 digest") }
        self.context = context
    }

    deinit { hts_md5_destroy(context) }

    func update(_ bytes: some Collection<UInt8>) {
        let contiguous: Void? = bytes.withContiguousStorageIfAvailable { raw in
            hts_md5_update(context, raw.baseAddress, UInt(raw.count))
        }
        if contiguous == nil { update(Array(bytes)) }
    }

    func update(_ text: String) { update(Array(text.utf8)) }

    /// The digest as 32 lowercase hex digits.
    func hex() -> String {
        var digest = [UInt8](repeating: 0, count: 16)
        hts_md5_final(&digest, context)
        var hex = [CChar](repeating: 0, count: 33)
        hts_md5_hex(&hex, digest)
        return String(decoding: hex.prefix(32).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The digest of a whole file, read in 1-MiB pieces.
    static func file(_ path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CohortError(.staleStage, path: path, "cannot be read to compute its digest")
        }
        defer { try? handle.close() }
        let digest = ContentDigest()
        while let data = try handle.read(upToCount: 1 << 20), !data.isEmpty { digest.update(data) }
        return digest.hex()
    }
}
