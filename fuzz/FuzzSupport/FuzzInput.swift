import CFuzzer
import Foundation

/// The fuzzer's bytes as a file: every reader under test takes a path (htslib, libhdf5 and the
/// caller readers open files themselves), so each input is written to a scratch file first.
public enum FuzzInput {
    /// A folder of this process's own under /dev/shm (memory, so millions of inputs cost no disk).
    public static let folder: String = {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let path = base + "/fusionai-fuzz-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    /// Writes `bytes` to `name` in ``folder`` and runs `body` on its path. A thrown error is the
    /// reader refusing the input, which is what it should do: only crashes, hangs and memory
    /// blow-ups are findings. Every file `body` made beside the input is removed afterwards.
    public static func withFile(_ bytes: UnsafeRawBufferPointer, name: String, _ body: (String) throws -> Void) {
        let path = folder + "/" + name
        // One open and write: FileManager.createFile copied the bytes into a Data and wrote a
        // temporary beside the file first, a few percent of a small input's time.
        let file = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard file >= 0 else { return }
        var written = 0
        while written < bytes.count, let base = bytes.baseAddress {
            let step = write(file, base + written, bytes.count - written)
            guard step > 0 else { break }
            written += step
        }
        close(file)
        guard written == bytes.count else { return }
        try? body(path)
        for file in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
            try? FileManager.default.removeItem(atPath: folder + "/" + file)
        }
    }

    /// Hands `test` to libFuzzer's driver with the command line, and exits with its status.
    public static func run(_ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, test))
    }

    /// The first byte chooses among `choices` (a file kind); the rest is the file.
    public static func split<T>(
        _ data: UnsafePointer<UInt8>?, _ size: Int, among choices: [T]
    ) -> (choice: T, bytes: UnsafeRawBufferPointer)? {
        guard let data, size > 0, !choices.isEmpty else { return nil }
        return (choices[Int(data[0]) % choices.count], UnsafeRawBufferPointer(start: data + 1, count: size - 1))
    }
}
