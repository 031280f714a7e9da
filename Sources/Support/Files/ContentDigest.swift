import CHTSlib
import Foundation

/// An MD5 digest through htslib's implementation (the one CRAM uses for reference checksums): a
/// content key (the score cache's, a training checkpoint's data), where collisions only matter
/// between deliberately forged inputs, not between genomic sequences.
public final class ContentDigest {
    private let context: OpaquePointer

    public init() {
        // hts_md5_init fails only when malloc does.
        guard let context = hts_md5_init() else { fatalError("out of memory starting an MD5 digest") }
        self.context = context
    }

    deinit { hts_md5_destroy(context) }

    public func update(_ bytes: some Collection<UInt8>) {
        let contiguous: Void? = bytes.withContiguousStorageIfAvailable { raw in
            hts_md5_update(context, raw.baseAddress, UInt(raw.count))
        }
        if contiguous == nil { update(Array(bytes)) }
    }

    public func update(_ text: String) { update(Array(text.utf8)) }

    /// The digest as 32 lowercase hex digits.
    public func hex() -> String {
        var digest = [UInt8](repeating: 0, count: 16)
        hts_md5_final(&digest, context)
        var hex = [CChar](repeating: 0, count: 33)
        hts_md5_hex(&hex, digest)
        return String(decoding: hex.prefix(32).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The digest of a whole file, read in 1-MiB pieces.
    /// - Throws: ``TextFileError`` when the file cannot be opened or read.
    public static func file(_ path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw TextFileError(.notFound, path: path, "cannot be opened to compute its digest: \(SystemReason.last)")
        }
        defer { try? handle.close() }
        let digest = ContentDigest()
        do {
            while let data = try handle.read(upToCount: 1 << 20), !data.isEmpty { digest.update(data) }
        } catch {
            throw TextFileError(
                .unreadable, path: path, "cannot be read to compute its digest: \(SystemReason.of(error))")
        }
        return digest.hex()
    }
}
