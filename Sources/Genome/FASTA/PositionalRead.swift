import Foundation

/// Reads `count` bytes at `offset` of `fd` into `buffer`, retrying reads a signal interrupts.
/// - Returns: the bytes read: fewer than `count` at the end of the file; -1 with `errno` set on
///   an error.
func preadFully(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, count: Int, offset: Int) -> Int {
    var done = 0
    while done < count {
        let n = pread(fd, buffer + done, count - done, off_t(offset + done))
        if n < 0, errno == EINTR { continue }
        if n < 0 { return -1 }
        if n == 0 { break }
        done += n
    }
    return done
}
