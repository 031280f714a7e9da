import CBigWig
import Foundation
import Support

/// A bigWig track of one chromosome's scored positions, written through libBigWig: the indexed
/// binary form of a bedGraph, which IGV and the UCSC browser load without reading it whole.
enum BigWigTrack {
    /// libBigWig's process-wide set-up (a buffer size; curl for remote files, unused here), once.
    private static let initialised: Bool = bwInit(1 << 17) == 0

    /// Writes `values` at 1-based `positions` (ascending, one base each) of `chromosome` to `path`,
    /// atomically: libBigWig writes a scratch file, whose bytes then go through ``OutputFile``.
    /// - Parameter chromosomeLength: the header's length; at least the last position.
    /// - Throws: ``OutputError`` when libBigWig fails or the file cannot be written.
    static func write(
        chromosome: String, chromosomeLength: Int, positions: [Int], values: [Float], to path: String
    ) throws {
        guard initialised else { throw OutputError(.writeFailed, path: path, "libBigWig could not start") }
        // Beside the output, named as OutputFile names its temporaries: one a kill leaves is swept
        // by the next run into the folder (in $TMPDIR nothing removed it).
        let scratch = OutputFile.temporaryPath(for: OutputTarget.resolvingLinks(path))
        defer { unlink(scratch) }
        try writeScratch(chromosome, chromosomeLength, positions, values, scratch, path)
        guard let bytes = FileManager.default.contents(atPath: scratch) else {
            throw OutputError(.writeFailed, path: path, "libBigWig wrote no file")
        }
        try OutputFile.write([UInt8](bytes), to: path)
    }

    private static func writeScratch(
        _ chromosome: String, _ length: Int, _ positions: [Int], _ values: [Float], _ scratch: String,
        _ path: String
    ) throws {
        let failed = { (step: String) in OutputError(.writeFailed, path: path, "libBigWig failed to \(step)") }
        guard let file = bwOpen(scratch, nil, "w") else { throw failed("open a scratch file") }
        defer { bwClose(file) }
        // 10 zoom levels: libBigWig's (and UCSC's bedGraphToBigWig's) default.
        guard bwCreateHdr(file, 10) == 0 else { throw failed("create the header") }
        let copy = strdup(chromosome)
        defer { free(copy) }
        var name = UnsafePointer(copy)
        var size = UInt32(clamping: max(length, positions.last ?? 1))
        guard let list = bwCreateChromList(&name, &size, 1) else { throw failed("list the chromosome") }
        file.pointee.cl = list
        guard bwWriteHdr(file) == 0 else { throw failed("write the header") }
        guard !positions.isEmpty else { return }
        var starts = positions.map { UInt32(clamping: $0 - 1) }
        var ends = positions.map { UInt32(clamping: $0) }
        var scores = values
        var names = [UnsafePointer<CChar>?](repeating: name, count: positions.count)
        guard bwAddIntervals(file, &names, &starts, &ends, &scores, UInt32(positions.count)) == 0 else {
            throw failed("add the values")
        }
    }
}
