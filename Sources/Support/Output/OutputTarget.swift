import Foundation

/// What an output path names on disk, checked before a writer renames a temporary over it.
///
/// Renaming over a symbolic link replaces the link, and renaming over a device or a named pipe
/// replaces the device (as root, `-o /dev/null` would leave a plain file there): a link is followed
/// to the file it names, and a special file is written in place.
public enum OutputTarget {
    /// `path` with symbolic links followed to the file they name (which need not exist yet).
    public static func resolvingLinks(_ path: String) -> String {
        var current = path
        // The kernel's own bound on links in a path.
        for _ in 0..<40 {
            var st = stat()
            guard lstat(current, &st) == 0, (st.st_mode & S_IFMT) == S_IFLNK else { return current }
            var target = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let count = readlink(current, &target, Int(PATH_MAX))
            guard count > 0 else { return current }
            let link = String(decoding: target[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            // /dev/stdout -> /proc/self/fd/1 -> `pipe:[123]`: no path, but the link itself opens the pipe.
            if !link.hasPrefix("/"), link.contains(":[") { return current }
            let folder = PathNames.folder(of: current)
            current = link.hasPrefix("/") || folder.isEmpty ? link : folder + "/" + link
        }
        return current
    }

    /// Refuses an empty path (`-o ''`, an unset shell variable): it failed only when the finished
    /// output was moved into place, after all the work, leaving `.partial` files in the working folder.
    /// - Throws: ``OutputError`` (`badPath`).
    public static func requireNamed(_ path: String) throws {
        guard path.isEmpty else { return }
        throw OutputError(
            .badPath, "an output path is empty (an unset shell variable?): name the file or folder to write")
    }

    /// Creates the output folder `path` (and its parents) after ``requireNamed(_:)``: an empty
    /// path would put a step's files at the root of the file system (`"" + "/report.html"`).
    /// - Throws: ``OutputError`` (`badPath`, or `writeFailed` with the system's reason).
    public static func makeFolder(_ path: String) throws {
        try requireNamed(path)
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue {
            throw OutputError(.badPath, path: path, "is a file, not a folder: name a folder for the output")
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw OutputError(.writeFailed, path: path, "cannot create the output folder: \(SystemReason.of(error))")
        }
    }

    /// The file a whole-file writer renames its temporary to: `path` with links followed.
    /// - Throws: ``OutputError`` (`badPath`) when that is a folder, a device or a pipe: a model or
    ///   a checkpoint is a file.
    public static func regularFile(_ path: String) throws -> String {
        try requireNamed(path)
        let target = resolvingLinks(path)
        var st = stat()
        guard stat(target, &st) == 0 else { return target }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return target
        case S_IFDIR: throw OutputError(.badPath, path: path, "is a folder; give a file name")
        default: throw OutputError(.badPath, path: path, "is not a regular file (a device or a pipe); give a file name")
        }
    }

    /// `path` with links followed and `.`/`..` resolved: two spellings of one file give one string.
    public static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: resolvingLinks(path)).standardizedFileURL.path
    }

    /// Whether `path` exists and is neither a regular file nor a folder: a device, a named pipe or
    /// a socket, which is written in place.
    public static func isSpecial(_ path: String) -> Bool {
        var st = stat()
        guard stat(path, &st) == 0 else { return false }
        let kind = st.st_mode & S_IFMT
        return kind != S_IFREG && kind != S_IFDIR
    }

    /// Refuses `outputs` of which two name one file (`-o x --rejects x`): the second written would
    /// replace the first.
    /// - Throws: ``OutputError`` (`badPath`) naming the path.
    public static func requireDistinctOutputs(_ outputs: [String]) throws {
        for output in outputs { try requireNamed(output) }
        var seen = Set<String>()
        for output in outputs where output != "-" && !isSpecial(output) {
            let key = canonical(output)
            guard seen.insert(key).inserted else {
                throw OutputError(.badPath, path: output, "is given for two outputs; give each its own file")
            }
        }
    }

    /// Refuses an input that a run would overwrite or clear: one of `outputs` (files, or folders the
    /// run fills), or a file inside one of those folders, under any spelling (links, `..`, hard links).
    /// - Throws: ``OutputError`` (`badPath`) naming the input and the output it collides with.
    public static func requireInputsOutside(_ inputs: [String], of outputs: [String]) throws {
        let written = outputs.map { (path: $0, canonical: canonical($0)) }
        for input in inputs where input != "-" {
            let path = canonical(input)
            if let hit = written.first(where: { path == $0.canonical || path.hasPrefix($0.canonical + "/") }) {
                throw OutputError(
                    .badPath, path: input,
                    "is where this run writes \(hit.path): it would be overwritten; move it out of the results "
                        + "folder, or write the results elsewhere")
            }
            for output in outputs { try requireDistinct(output, from: [input]) }
        }
    }

    /// Whether `a` and `b` are one existing file (links, other spellings and hard links included).
    public static func sameFile(_ a: String, _ b: String) -> Bool {
        var first = stat()
        var second = stat()
        return stat(a, &first) == 0 && stat(b, &second) == 0 && first.st_dev == second.st_dev
            && first.st_ino == second.st_ino
    }

    /// Refuses an output that is the same file as one of `inputs` (same device and inode, links
    /// and other spellings of the path included): renaming over it would replace an input the
    /// run is still reading, and the user would lose it.
    /// - Throws: ``OutputError`` (`badPath`) naming both.
    public static func requireDistinct(_ output: String, from inputs: [String]) throws {
        guard output != "-" else { return }
        var out = stat()
        guard stat(output, &out) == 0, (out.st_mode & S_IFMT) == S_IFREG else { return }
        if let input = inputs.first(where: { $0 != "-" && sameFile($0, output) }) {
            throw OutputError(.badPath, path: output, "is the input \(input); write the output to another file")
        }
    }
}
