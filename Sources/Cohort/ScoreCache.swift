import Foundation
import Support

/// Scores already computed, one small file per breakpoint pair, keyed by the content of its two
/// windows and the model file's digest, so a pair is scored once per model across samples, reruns
/// and cohorts sharing the folder.
///
/// Entries are written to a temporary file and renamed into place (``OutputFile``), so processes
/// writing at once (cluster jobs) never leave a half-written entry, and the last of two writers of
/// one entry wins with the same bytes. Each entry carries its key, the model's digest and a checksum
/// of its lines: an entry that is corrupt (truncated, edited) or stale (another key or model, an
/// older layout) is reported and recomputed, never trusted.
public struct ScoreCache: Sendable {
    /// P(fusion-negative) and P(fusion-positive) of one pair, exactly as the model gave them.
    public struct Score: Sendable, Equatable {
        public let negative: Float
        public let positive: Float

        public init(negative: Float, positive: Float) {
            self.negative = negative
            self.positive = positive
        }
    }

    /// What a lookup found.
    public enum Lookup: Sendable, Equatable {
        case hit(Score)
        case miss
        /// An entry that cannot be trusted, and why; it is recomputed and overwritten.
        case invalid(String)
    }

    /// The cache's folder (entries live under `v1/`).
    public let folder: String
    /// The model file's digest, part of every key.
    public let modelDigest: String

    private static let layout = "fusionai-score-cache\t1"

    /// - Throws: ``TextFileError`` when the model cannot be read, ``OutputError`` when the folder
    ///   cannot be made.
    public init(folder: String, model: String) throws {
        self.folder = folder
        modelDigest = try ContentDigest.file(model)
        try makeSharedFolder(folder)
        // The folder given must be one; inside it the cache is an aid: an entry that cannot be
        // stored is a warning (``store(_:key:)``), not the end of the run.
        try? makeSharedFolder(folder + "/v1")
    }

    /// `$FUSIONAI_CACHE_DIR/scores` or its defaults (``CacheFolder``).
    public static var defaultFolder: String? { CacheFolder.user.map { $0 + "/scores" } }

    /// The key of a pair of 10-kb windows under this cache's model.
    public func key(head: [UInt8], tail: [UInt8]) -> String {
        let digest = ContentDigest()
        digest.update("fusionai-score\n\(modelDigest)\n")
        digest.update(head)
        digest.update("\n")
        digest.update(tail)
        return digest.hex()
    }

    /// Where the entry of `key` lives.
    public func path(_ key: String) -> String { folder + "/v1/" + key.prefix(2) + "/" + key }

    public func lookup(_ key: String) -> Lookup {
        var st = stat()
        guard stat(path(key), &st) == 0 else { return .miss }
        // A named pipe would block the read forever, a device or a link to a huge file read it whole.
        guard (st.st_mode & S_IFMT) == S_IFREG, st.st_size < 4096 else {
            return .invalid("not a small regular file")
        }
        guard let data = FileManager.default.contents(atPath: path(key)) else { return .miss }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count == 7, lines[6].isEmpty, lines[0] == Self.layout else {
            return .invalid("not an entry of this cache layout (truncated or foreign)")
        }
        let body = lines[0..<5].joined(separator: "\n") + "\n"
        guard lines[5] == "check\t" + Self.checksum(body) else { return .invalid("its checksum does not match") }
        guard lines[1] == "key\t" + key, lines[2] == "model\t" + modelDigest else {
            return .invalid("it belongs to another pair or model")
        }
        guard let negative = Self.float(lines[3], "negative"), let positive = Self.float(lines[4], "positive") else {
            return .invalid("its scores do not parse")
        }
        return .hit(Score(negative: negative, positive: positive))
    }

    /// Writes (or overwrites) the entry of `key`.
    /// - Throws: ``OutputError`` when the entry cannot be written.
    public func store(_ score: Score, key: String) throws {
        let body =
            [
                Self.layout, "key\t" + key, "model\t" + modelDigest, "negative\t" + Self.bits(score.negative),
                "positive\t" + Self.bits(score.positive),
            ].joined(separator: "\n") + "\n"
        let entry = path(key)
        try makeSharedFolder(PathNames.folder(of: entry))
        // An entry is a file of its own: a pipe, device or link in its place would be written through
        // (a pipe blocks until someone reads it), so it is replaced instead.
        var st = stat()
        if lstat(entry, &st) == 0, [S_IFIFO, S_IFCHR, S_IFBLK, S_IFSOCK, S_IFLNK].contains(st.st_mode & S_IFMT) {
            try? FileManager.default.removeItem(atPath: entry)
        }
        try OutputFile.write(body + "check\t" + Self.checksum(body) + "\n", to: entry)
    }

    /// Floats by their bits: a cached score is the very number the model gave.
    private static func bits(_ x: Float) -> String {
        let hex = String(x.bitPattern, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }

    private static func float(_ line: Substring, _ name: String) -> Float? {
        let prefix = name + "\t"
        guard line.hasPrefix(prefix), line.count == prefix.count + 8,
            let bits = UInt32(line.dropFirst(prefix.count), radix: 16)
        else { return nil }
        return Float(bitPattern: bits)
    }

    private static func checksum(_ text: String) -> String {
        let digest = ContentDigest()
        digest.update(text)
        return digest.hex()
    }
}
