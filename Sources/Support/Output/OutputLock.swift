import Foundation

/// An exclusive claim on an output (a file or a results folder), so two runs never write the same
/// one at once: the second is refused with the first's process id instead of both corrupting it.
///
/// The claim is an advisory `flock` on a hidden `.NAME.lock` file beside the output (for a folder,
/// `.lock` inside it). The kernel drops it when the holder exits, however it exits, so a killed run
/// never leaves a stale claim; the file itself is removed on ``release()``.
public final class OutputLock {
    /// The lock file.
    public let path: String
    private var fd: Int32
    /// The folders ``claimFolder(_:)`` made for this claim, deepest first (`-o new/a/b` makes three):
    /// removed again on release when the run put nothing in them (it failed on its input), so a
    /// failure leaves no empty folder behind.
    private var madeFolders: [String] = []

    /// Claims `output`.
    /// - Parameter folder: `output` is a results folder (the lock goes inside it) rather than a file.
    /// - Throws: ``OutputError`` `.locked` when another process holds the claim, `.writeFailed`
    ///   when the lock file cannot be created.
    public init(output: String, folder: Bool = false) throws {
        let url = URL(fileURLWithPath: output)
        path =
            folder
            ? url.appendingPathComponent(".lock").path
            : url.deletingLastPathComponent().appendingPathComponent("." + url.lastPathComponent + ".lock").path
        fd = -1
        // Retry when the file was removed by its previous holder between our open and our flock:
        // a claim on an unlinked file would not exclude the next process.
        for _ in 0..<100 {
            let handle = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard handle >= 0 else {
                let reason = SystemReason.last
                let folder = PathNames.folder(of: path)
                // The usual cause, said as prepare says it rather than through the lock's hidden name.
                if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
                    throw OutputError(.badPath, path: output, "its folder \(folder) does not exist")
                }
                throw OutputError(.writeFailed, path: output, "cannot create the lock \(path): \(reason)")
            }
            guard flock(handle, LOCK_EX | LOCK_NB) == 0 else {
                let holder = Self.holder(of: handle)
                close(handle)
                throw OutputError(
                    .locked, path: output,
                    "another fusionai\(holder) is writing this; wait for it to finish or choose another output")
            }
            var held = stat()
            var named = stat()
            if fstat(handle, &held) == 0, stat(path, &named) == 0, held.st_ino == named.st_ino,
                held.st_dev == named.st_dev
            {
                fd = handle
                break
            }
            close(handle)
        }
        guard fd >= 0 else {
            throw OutputError(.writeFailed, path: output, "could not claim the lock \(path)")
        }
        let note = "pid \(getpid()), since \(ISO8601DateFormatter().string(from: Date()))\n"
        _ = ftruncate(fd, 0)
        // The note only helps the refused process name us; failing to write it is no reason to stop.
        try? Array(note.utf8).withUnsafeBytes { try writeAll($0, to: fd, path: path) }
    }

    /// Makes the results folder `path` (``OutputTarget/makeFolder(_:)``) and claims it, so a second
    /// run into the same folder is refused before it clears or writes anything there; then sweeps
    /// the temporaries killed runs left in it and its subfolders.
    public static func claimFolder(_ path: String) throws -> OutputLock {
        var missing: [String] = []
        // Standardised, so `new/a/.` and `new/../b` name the folders they make.
        var folder = (path as NSString).standardizingPath
        while !folder.isEmpty, folder != "/", !FileManager.default.fileExists(atPath: folder) {
            missing.append(folder)
            folder = (folder as NSString).deletingLastPathComponent
        }
        try OutputTarget.makeFolder(path)
        let lock: OutputLock
        do {
            lock = try OutputLock(output: path, folder: true)
        } catch {
            removeEmpty(missing)
            throw error
        }
        lock.madeFolders = missing
        OutputFile.removeStaleTemporaries(in: path, recursive: true)
        return lock
    }

    deinit { release() }

    /// Gives the claim up and removes the lock file.
    public func release() {
        guard fd >= 0 else { return }
        unlink(path)
        close(fd)
        fd = -1
        Self.removeEmpty(madeFolders)
    }

    /// Removes `folders` (deepest first) while they are empty: rmdir leaves a folder that anything
    /// was written to, by the run or another process, and the folders above it.
    private static func removeEmpty(_ folders: [String]) {
        for folder in folders { guard rmdir(folder) == 0 else { break } }
    }

    /// " (pid N, since T)" from the holder's note, or "" when it has not written one yet.
    private static func holder(of handle: Int32) -> String {
        var bytes = [UInt8](repeating: 0, count: 128)
        let count = pread(handle, &bytes, bytes.count, 0)
        guard count > 0 else { return "" }
        let note = String(decoding: bytes[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return note.hasPrefix("pid ") ? " (\(note))" : ""
    }
}
