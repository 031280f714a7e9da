import Support

/// The rows of a faidx index (`.fai`): for each sequence its length, the byte offset of its first
/// base, and its line layout. This is all it takes to turn a base range into a byte range.
struct FAIEntries: Sendable {
    struct Entry: Sendable {
        let name: String
        let length: Int
        /// Offset of the first base in the (uncompressed) file.
        let offset: Int
        /// Bases per full line, and bytes per full line (bases plus the line end).
        let lineBases: Int
        let lineWidth: Int

        /// The byte offset of 0-based base `position`.
        func byteOffset(of position: Int) -> Int {
            offset + (position / lineBases) * lineWidth + position % lineBases
        }
    }

    let entries: [Entry]
    private let index: [String: Int]

    /// Parses the `.fai` at `path`; a malformed row is an error naming its line.
    init(path: String, contents: String) throws {
        var entries: [Entry] = []
        var index: [String: Int] = [:]
        for (i, line) in contents.lines(omittingEmpty: true).enumerated() {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard f.count >= 5, let length = Int(f[1]), let offset = Int(f[2]), let bases = Int(f[3]),
                let width = Int(f[4]),
                length >= 0, offset >= 0, bases > 0, width > bases
            else {
                throw GenomeError(
                    .corrupt, path: path, line: i + 1,
                    "is not a valid faidx index row; delete the index so it is rebuilt")
            }
            index[String(f[0])] = entries.count
            entries.append(
                Entry(name: String(f[0]), length: length, offset: offset, lineBases: bases, lineWidth: width))
        }
        self.entries = entries
        self.index = index
    }

    subscript(name: String) -> Entry? { index[name].map { entries[$0] } }
}
