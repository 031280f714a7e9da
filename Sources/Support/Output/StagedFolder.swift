import Foundation

/// A folder of many files written whole beside its target and put in the target's place when
/// complete: a run that fails part way leaves the target as an earlier run left it, never half of
/// this run's files beside the rest of another's.
///
/// The staging folder is a hidden temporary (`.NAME.tmp-PID-N`) that
/// ``OutputFile/removeStaleTemporaries(in:of:recursive:)`` removes once its writer is gone.
public final class StagedFolder {
    /// The folder this one replaces on ``commit()``.
    public let target: String
    /// Where the files are written until then.
    public let path: String
    private var settled = false

    /// Creates the staging folder beside `target` (whose parent must exist).
    /// - Throws: ``OutputError`` (`writeFailed`) when it cannot be made.
    public init(replacing target: String) throws {
        self.target = target
        path = OutputFile.temporaryPath(for: target)
        guard mkdir(path, 0o755) == 0 else {
            throw OutputError(
                .writeFailed, path: target, "could not make a folder beside it: \(String(cString: strerror(errno)))")
        }
    }

    /// Removes the staging folder unless it was committed: a failed run leaves no trace of it.
    deinit { discard() }

    /// Puts the staged files in the target's place, removing what the target held.
    /// - Throws: ``OutputError`` (`writeFailed`) when the old folder cannot be removed or the new one
    ///   moved in.
    public func commit() throws {
        guard !settled else { return }
        // The old folder is moved aside first and put back if the new one cannot go in, so a failure
        // leaves the target as it was.
        let aside = FileManager.default.fileExists(atPath: target) ? OutputFile.temporaryPath(for: target) : nil
        if let aside, rename(target, aside) != 0 {
            throw OutputError(
                .writeFailed, path: target, "could not move the earlier run's folder aside: \(SystemReason.last)")
        }
        guard rename(path, target) == 0 else {
            let reason = SystemReason.last
            if let aside { rename(aside, target) }
            throw OutputError(.writeFailed, path: target, "could not move the finished folder into place: \(reason)")
        }
        settled = true
        if let aside { try? FileManager.default.removeItem(atPath: aside) }
    }

    /// Drops the staged files; the target is left as it was.
    public func discard() {
        guard !settled else { return }
        settled = true
        try? FileManager.default.removeItem(atPath: path)
    }
}
