import CHTSlib
import Foundation

/// An output written atomically: into a hidden temporary file beside the target, renamed over it by
/// ``commit()``. A run that fails or is killed leaves the target as it was, never half written.
/// `-` writes to standard output, and an existing target that is not a regular file (`/dev/null`,
/// a named pipe, `/dev/stdout`) is written in place, since renaming over it would replace it; a
/// symbolic link is followed to the file it names (``OutputTarget``). A name ending in `.gz` is
/// written bgzip-compressed (readable by zcat, tabix and htslib).
public final class OutputFile {
    public let path: String
    private let temporaryPath: String?
    /// Where the temporary is renamed to: `path`, or the file a link at `path` names.
    private var finalPath: String
    private var fd: Int32 = -1
    private var bgzf: UnsafeMutablePointer<BGZF>?
    private var buffer: [UInt8] = []
    private var committed = false
    private static let flushSize = 1 << 20

    /// Opens `path` for writing (`-` for standard output).
    /// - Parameter threads: compression threads for `.gz` outputs.
    /// - Throws: ``OutputError`` when the folder is missing or not writable.
    public init(path: String, threads: Int = 1) throws {
        try OutputTarget.requireNamed(path)
        self.path = path
        finalPath = path
        buffer.reserveCapacity(Self.flushSize + 65_536)
        if path == "-" {
            temporaryPath = nil
            fd = STDOUT_FILENO
            return
        }
        // A link is written through (the file it names is replaced, not the link).
        let target = OutputTarget.resolvingLinks(path)
        var st = stat()
        if stat(target, &st) == 0, (st.st_mode & S_IFMT) != S_IFREG {
            guard (st.st_mode & S_IFMT) != S_IFDIR else {
                throw OutputError(.badPath, path: path, "is a folder; give a file name")
            }
            temporaryPath = nil
            fd = open(target, O_WRONLY)
            guard fd >= 0 else {
                throw OutputError(.writeFailed, path: path, "cannot write: \(String(cString: strerror(errno)))")
            }
            return
        }
        finalPath = target
        let url = URL(fileURLWithPath: target)
        let folder = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw OutputError(.badPath, path: path, "its folder \(folder) does not exist")
        }
        let tmp = Self.temporaryPath(for: target)
        temporaryPath = tmp
        if path.hasSuffix(".gz") {
            guard let handle = bgzf_open(tmp, "w") else {
                throw OutputError(
                    .writeFailed, path: path, "cannot write in \(folder): \(String(cString: strerror(errno)))")
            }
            if threads > 1 { bgzf_mt(handle, Int32(threads), 256) }
            bgzf = handle
        } else {
            fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0o644)
            guard fd >= 0 else {
                throw OutputError(
                    .writeFailed, path: path, "cannot write in \(folder): \(String(cString: strerror(errno)))")
            }
        }
    }

    deinit {
        if !committed { discard() }
    }

    /// Appends bytes.
    public func write(_ bytes: some Collection<UInt8>) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.flushSize { try flush() }
    }

    /// Appends a string's UTF-8 bytes.
    public func write(_ text: String) throws {
        try write(text.utf8)
    }

    /// Writes what is buffered.
    public func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            if let bgzf {
                guard bgzf_write(bgzf, base, raw.count) == raw.count else {
                    throw OutputError(.writeFailed, path: path, "write failed (disk full?)")
                }
                return
            }
            try writeAll(raw, to: fd, path: path)
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes a whole file at once, atomically.
    public static func write(_ contents: some Collection<UInt8>, to path: String) throws {
        let file = try OutputFile(path: path)
        try file.write(contents)
        try file.commit()
    }

    /// Writes a whole text file at once, atomically.
    public static func write(_ text: String, to path: String) throws {
        try write(text.utf8, to: path)
    }

    /// Flushes, closes and moves the finished file into place.
    public func commit() throws {
        try flush()
        committed = true
        guard let temporaryPath else {
            if fd >= 0, fd != STDOUT_FILENO { close(fd) }
            fd = -1
            return
        }
        if let bgzf {
            self.bgzf = nil
            guard bgzf_close(bgzf) == 0 else {
                unlink(temporaryPath)
                throw OutputError(.writeFailed, path: path, "could not finish the compressed file (disk full?)")
            }
        } else {
            let closed = close(fd)
            fd = -1
            guard closed == 0 else {
                unlink(temporaryPath)
                throw OutputError(.writeFailed, path: path, "could not close: \(String(cString: strerror(errno)))")
            }
        }
        guard rename(temporaryPath, finalPath) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw OutputError(.writeFailed, path: path, "could not move the finished file into place: \(reason)")
        }
    }

    /// A new name for a temporary of `target` in its folder, `.NAME.tmp-PID-N`: hidden, and marked
    /// with the writer's process so ``removeStaleTemporaries(in:of:recursive:)`` can tell it is left
    /// from a killed run. For writers that cannot go through ``OutputFile`` (libhdf5, libBigWig).
    public static func temporaryPath(for target: String) -> String {
        let url = URL(fileURLWithPath: target)
        return url.deletingLastPathComponent().path + "/." + url.lastPathComponent
            + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    }

    /// Removes the temporaries that killed writers left in `folder`: hidden `.NAME.tmp-PID-N` files
    /// (and staged folders) whose process no longer exists. A kill cannot clean up after itself, so a step that owns a
    /// folder sweeps it when it starts; a live writer's temporary is never touched.
    /// - Parameters:
    ///   - target: only the temporaries of this file name (nil: of any).
    ///   - recursive: the subfolders too (not through links): a results folder's own subfolders.
    /// - Returns: how many were removed.
    @discardableResult
    public static func removeStaleTemporaries(in folder: String, of target: String? = nil, recursive: Bool = false)
        -> Int
    {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return 0 }
        let prefix = "." + (target.map { $0 + ".tmp-" } ?? "")
        var removed = 0
        if recursive {
            for name in names {
                var st = stat()
                let path = folder + "/" + name
                guard lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else { continue }
                removed += removeStaleTemporaries(in: path, of: target, recursive: true)
            }
        }
        for name in names where name.hasPrefix(prefix) {
            guard let marker = name.range(of: ".tmp-", options: .backwards),
                let pid = Int32(name[marker.upperBound...].prefix { $0 != "-" }), pid > 0,
                kill(pid, 0) != 0, errno == ESRCH
            else { continue }
            // A staged folder (StagedFolder) goes whole.
            let path = folder + "/" + name
            if unlink(path) == 0 || (try? FileManager.default.removeItem(atPath: path)) != nil { removed += 1 }
        }
        return removed
    }

    /// Removes the temporaries killed writers left of each of `outputs` (file paths; `-` is skipped,
    /// a link stands for the file it names): for steps that write files rather than own a folder.
    public static func removeStaleTemporaries(of outputs: [String]) {
        for output in outputs where output != "-" {
            let target = OutputTarget.resolvingLinks(output)
            let folder = PathNames.folder(of: target)
            removeStaleTemporaries(in: folder.isEmpty ? "." : folder, of: PathNames.name(of: target))
        }
    }

    /// Drops everything written: the target is left untouched.
    public func discard() {
        committed = true
        buffer.removeAll()
        if let bgzf {
            bgzf_close(bgzf)
            self.bgzf = nil
        }
        if fd >= 0, fd != STDOUT_FILENO { close(fd) }
        fd = -1
        if let temporaryPath { unlink(temporaryPath) }
    }
}
