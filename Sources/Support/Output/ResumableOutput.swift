import Foundation

/// An output that survives interruption: it is written to `PATH.partial`, with a checkpoint file
/// `PATH.partial.checkpoint` recording after each batch how many input rows were consumed and how
/// many bytes of output they made. ``finish()`` renames the partial file to `PATH`. A later run with
/// `resume` cuts the partial file back to the last checkpoint (dropping anything written after it)
/// and continues from the recorded row, so no row is done twice or lost.
public final class ResumableOutput {
    public struct Checkpoint: Codable, Sendable, Equatable {
        /// Input data rows fully handled.
        public var rows: Int
        /// Bytes of output those rows produced.
        public var bytes: Int
        /// What the run was, so a resume with other inputs is refused.
        public var signature: Signature
    }

    /// What identifies a run: each input, option or file state by a name a user knows
    /// (`--threshold`, `model file`), so a refused resume can say what differs.
    public typealias Signature = [String: String]

    /// What to do with the partial output an interrupted run left.
    public enum Interrupted: Sendable {
        /// Refuse to start (`fusionai predict` without `--resume`: the user decides).
        case refuse
        /// Continue it from its checkpoint; refuse when that is from another run, start over when there is
        /// none (`--resume`).
        case resume
        /// Continue it when its checkpoint is from this same run, else discard it and start over
        /// (`fusionai run`, which owns its results folder and promises to pick up where it stopped).
        case resumeOrRestart
    }

    public let path: String
    public let partialPath: String
    public let checkpointPath: String
    /// Where this run starts: the last checkpoint of an interrupted run, or zero.
    public let resumedFrom: Checkpoint?
    /// Why an interrupted run's partial output was discarded (``Interrupted/resumeOrRestart``); nil
    /// when there was none or it was resumed.
    public let discarded: String?
    /// `path`, or the file a link at `path` names: where ``finish()`` puts the output.
    private let target: String
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var bytes: Int
    private let signature: Signature
    /// Held until this output is finished or dropped, so two runs never append to one partial file.
    private let lock: OutputLock

    /// - Parameters:
    ///   - signature: identifies the run (inputs, model, options); a resume must match it.
    ///   - interrupted: what to do with an interrupted run's partial output.
    /// - Throws: ``OutputError`` when another process writes the same output (`.locked`), when a
    ///   partial output exists and `interrupted` is `.refuse`, when `.resume` is asked but the
    ///   checkpoint is missing or from another run, or on I/O errors.
    public init(path: String, signature: Signature, interrupted: Interrupted) throws {
        // A link is written through; a folder is refused before any work is done.
        try OutputTarget.requireNamed(path)
        let target = OutputTarget.resolvingLinks(path)
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: target, isDirectory: &isFolder), isFolder.boolValue {
            throw OutputError(.badPath, path: path, "is a folder; give a file name")
        }
        lock = try OutputLock(output: target)
        self.path = path
        self.target = target
        partialPath = target + ".partial"
        checkpointPath = target + ".partial.checkpoint"
        self.signature = signature
        let fm = FileManager.default
        var start: Checkpoint?
        var discarded: String?
        // A checkpoint without its partial file is left by a run killed after its output was moved
        // into place, or by a partial file deleted to start over: it records nothing to continue, and
        // continuing from it would pad the output with zeros.
        if !fm.fileExists(atPath: partialPath), fm.fileExists(atPath: checkpointPath) {
            try? fm.removeItem(atPath: checkpointPath)
        }
        if fm.fileExists(atPath: partialPath) {
            guard interrupted != .refuse else {
                throw OutputError(
                    .resumeConflict, path: path,
                    "an interrupted run left \(partialPath); continue it with --resume, or delete it to start over")
            }
            let partialBytes = (try? fm.attributesOfItem(atPath: partialPath)[.size] as? Int) ?? 0
            // A partial file shorter than its checkpoint records (cut by hand or by a failing disk)
            // cannot be continued: the missing bytes would be zeros.
            let checkpoint = fm.contents(atPath: checkpointPath).flatMap {
                try? JSONDecoder().decode(Checkpoint.self, from: $0)
            }.flatMap { $0.bytes <= partialBytes ? $0 : nil }
            switch (checkpoint, interrupted) {
            case (let checkpoint?, _) where checkpoint.signature == signature:
                start = checkpoint
            case (nil, _):
                // No row was recorded done (killed, or the disk filled, before the first checkpoint):
                // starting over redoes nothing twice and loses nothing.
                discarded = "it has no readable checkpoint that fits it, so no row of it was recorded done"
            case (.some, .resumeOrRestart):
                discarded = "it comes from a run with other inputs or options"
            case (let checkpoint?, _):
                throw OutputError(
                    .resumeConflict, path: path,
                    "cannot resume: \(partialPath) comes from a run with other inputs or options ("
                        + Self.differences(checkpoint.signature, signature) + "); rerun as it was, or without "
                        + "--resume after deleting it")
            }
        }
        self.discarded = discarded
        let flags = O_WRONLY | O_CREAT | (start == nil ? O_TRUNC : 0)
        fd = open(partialPath, flags, 0o644)
        guard fd >= 0 else {
            throw OutputError(
                .writeFailed, path: path, "cannot write \(partialPath): \(String(cString: strerror(errno)))")
        }
        bytes = start?.bytes ?? 0
        // Drop whatever was written after the last checkpoint.
        guard ftruncate(fd, off_t(bytes)) == 0, lseek(fd, off_t(bytes), SEEK_SET) >= 0 else {
            close(fd)
            throw OutputError(
                .writeFailed, path: path, "cannot rewind \(partialPath): \(String(cString: strerror(errno)))")
        }
        resumedFrom = start
    }

    deinit { close(fd) }

    public func write(_ bytes: some Collection<UInt8>) {
        buffer.append(contentsOf: bytes)
    }

    public func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
    }

    /// Writes what is buffered, syncs it, then records that `rows` input rows are done.
    public func checkpoint(rows: Int) throws {
        try flush()
        guard fsync(fd) == 0 else {
            throw OutputError(
                .writeFailed, path: path, "cannot sync \(partialPath): \(String(cString: strerror(errno)))")
        }
        let data = try JSONEncoder().encode(Checkpoint(rows: rows, bytes: bytes, signature: signature))
        try OutputFile.write(data, to: checkpointPath)
    }

    /// Drops the partial output and its checkpoint: a run that failed on its input (not one that was
    /// interrupted) leaves nothing for a later run to resume.
    public func discard() {
        buffer.removeAll()
        unlink(partialPath)
        unlink(checkpointPath)
    }

    /// Moves the finished output into place and removes the checkpoint.
    public func finish() throws {
        try flush()
        guard fsync(fd) == 0, rename(partialPath, target) == 0 else {
            throw OutputError(
                .writeFailed, path: path, "cannot move \(partialPath) into place: \(String(cString: strerror(errno)))")
        }
        try? FileManager.default.removeItem(atPath: checkpointPath)
    }

    /// `name: value there, value now` for each part of the two signatures that differs.
    static func differences(_ earlier: Signature, _ now: Signature) -> String {
        Set(earlier.keys).union(now.keys).sorted().compactMap { key in
            earlier[key] == now[key] ? nil : "\(key): \(earlier[key] ?? "none") there, \(now[key] ?? "none") now"
        }.joined(separator: "; ")
    }

    private func flush() throws {
        try buffer.withUnsafeBytes { raw in try writeAll(raw, to: fd, path: path) }
        bytes += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }
}
