import Foundation

/// Writes all of `bytes` to `fd`, retrying writes a signal interrupted and continuing after short
/// writes (a pipe, a nearly full disk).
/// - Throws: ``OutputError`` (`writeFailed`) naming `path`, with the system's reason.
func writeAll(_ bytes: UnsafeRawBufferPointer, to fd: Int32, path: String) throws {
    guard let base = bytes.baseAddress else { return }
    var done = 0
    while done < bytes.count {
        let n = Foundation.write(fd, base + done, bytes.count - done)
        if n < 0, errno == EINTR { continue }
        guard n > 0 else {
            throw OutputError(.writeFailed, path: path, "write failed: \(SystemReason.last)")
        }
        done += n
    }
}
