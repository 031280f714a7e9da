import Foundation

/// Makes `path` (and the folders above it) unless it is there, taking a folder another process
/// made meanwhile as success: cluster jobs of one run make the same folders at once.
/// - Throws: ``OutputError`` (`badPath`) when it cannot be made and is not a folder.
public func makeSharedFolder(_ path: String) throws {
    var isFolder: ObjCBool = false
    if mkdir(path, 0o755) == 0 { return }
    // EEXIST is also a file of that name: said as such, not as the next mkdir's ENOTDIR below it.
    if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
        guard isFolder.boolValue else { throw OutputError(.badPath, path: path, "is a file, not a folder") }
        return
    }
    do {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    } catch {
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue { return }
        throw OutputError(.badPath, path: path, "cannot make the folder: \(SystemReason.line(for: error))")
    }
}
