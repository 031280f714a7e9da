import Foundation
import Fusions
import Support

/// The cohort's sample sheet: a TSV with a header naming `sample`, `path` (relative to the sheet's
/// folder unless absolute) and optionally `format` (empty: detected). A sample may have several
/// rows, one per caller's file.
public struct SampleSheet: Sendable {
    /// One row of the sheet.
    public struct Entry: Sendable, Equatable {
        public let sample: String
        /// The path as the sheet gives it (what the cohort tables show).
        public let path: String
        /// The path to open: `path` from the sheet's folder.
        public let resolved: String
        /// nil: told from the file's header.
        public let format: FusionFormat?
        /// 1-based line of the sheet.
        public let line: Int
    }

    public let path: String
    public let entries: [Entry]

    /// The samples, in the order the sheet first names them.
    public var samples: [String] {
        var seen = Set<String>()
        return entries.map(\.sample).filter { seen.insert($0).inserted }
    }

    public func entries(of sample: String) -> [Entry] { entries.filter { $0.sample == sample } }

    /// - Parameter path: the sheet; `-` reads standard input (once: the stages of a cohort run in
    ///   one process all read the same sheet).
    /// - Throws: ``CohortError`` (`missingColumn`, `malformedRow`, `badSampleName`, `unknownFormat`,
    ///   `noSamples`) naming the sheet and line; ``TextFileError`` when it cannot be read.
    public init(path: String) throws {
        self.path = path
        entries = try path == "-" ? Self.standardInput.get() : Self.entries(path)
    }

    private static let standardInput = Result { try entries("-") }

    private static func entries(_ path: String) throws -> [Entry] {
        let lines = try TextLines(path: path, kind: "sample sheet")
        let folder = PathNames.folder(of: path)
        var header: [String]?
        var entries: [Entry] = []
        var seen: [String: Int] = [:]
        while let bytes = try lines.nextBytes() {
            var text = String(decoding: bytes, as: UTF8.self)
            // A spreadsheet's UTF-8 byte-order mark before the header.
            if header == nil, text.hasPrefix("\u{FEFF}") { text.removeFirst() }
            if text.trimmingCharacters(in: .whitespaces).isEmpty || text.hasPrefix("#") { continue }
            let fields = text.split(separator: "\t", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard let names = header else {
                header = fields
                for required in ["sample", "path"] where !fields.contains(required) {
                    throw CohortError(
                        .missingColumn, path: path, line: lines.lineNumber,
                        "the header has no \(required) column: a sample sheet is a TSV with columns sample, path "
                            + "and optionally format")
                }
                continue
            }
            let entry = try Self.entry(fields, names: names, folder: folder, path: path, line: lines.lineNumber)
            // The same file twice in a sample would count its calls twice.
            if let first = seen.updateValue(entry.line, forKey: entry.sample + "\t" + Self.identity(entry.resolved)) {
                throw CohortError(
                    .malformedRow, path: path, line: entry.line,
                    "repeats line \(first) (sample \(entry.sample), file \(entry.path)): list each file once")
            }
            entries.append(entry)
        }
        guard !entries.isEmpty else {
            throw CohortError(.noSamples, path: path, "lists no samples: add a row per sample and file")
        }
        return entries
    }

    private static func entry(_ fields: [String], names: [String], folder: String, path: String, line: Int) throws
        -> Entry
    {
        let cell = { (name: String) -> String in
            guard let i = names.firstIndex(of: name), i < fields.count else { return "" }
            return fields[i]
        }
        let sample = cell("sample")
        let file = cell("path")
        guard !sample.isEmpty, !file.isEmpty else {
            throw CohortError(.malformedRow, path: path, line: line, "needs both a sample name and a path")
        }
        guard isFileSafe(sample) else {
            throw CohortError(
                .badSampleName, path: path, line: line,
                "sample name '\(sample)' names files and workflow jobs: use letters, digits, '.', '_' and '-' only, "
                    + "not starting with '.'")
        }
        var format: FusionFormat?
        let named = cell("format")
        if !named.isEmpty {
            guard let known = FusionFormat(rawValue: named), known != .columns else {
                throw CohortError(
                    .unknownFormat, path: path, line: line,
                    "format '\(named)' is not one fusionai reads (see `fusionai prepare --help`); leave it empty to "
                        + "detect it")
            }
            format = known
        }
        let resolved = file.hasPrefix("/") || folder.isEmpty ? file : folder + "/" + file
        return Entry(sample: sample, path: file, resolved: resolved, format: format, line: line)
    }

    /// The file behind `path` (device and inode, so other spellings and links match), or the path
    /// when it cannot be read (the sample stage reports that).
    private static func identity(_ path: String) -> String {
        var st = stat()
        return stat(path, &st) == 0 ? "\(st.st_dev):\(st.st_ino)" : path
    }

    static func isFileSafe(_ name: String) -> Bool {
        !name.hasPrefix(".")
            && name.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || "._-".contains($0) }
    }
}
