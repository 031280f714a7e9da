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

    /// - Throws: ``CohortError`` (`missingColumn`, `malformedRow`, `badSampleName`, `unknownFormat`,
    ///   `noSamples`) naming the sheet and line; ``TextFileError`` when it cannot be read.
    public init(path: String) throws {
        self.path = path
        let lines = try TextLines(path: path, kind: "sample sheet")
        let folder = (path as NSString).deletingLastPathComponent
        var header: [String]?
        var entries: [Entry] = []
        while let bytes = try lines.nextBytes() {
            let text = String(decoding: bytes, as: UTF8.self)
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
            entries.append(try Self.entry(fields, names: names, folder: folder, path: path, line: lines.lineNumber))
        }
        guard !entries.isEmpty else {
            throw CohortError(.noSamples, path: path, "lists no samples: add a row per sample and file")
        }
        self.entries = entries
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

    static func isFileSafe(_ name: String) -> Bool {
        !name.hasPrefix(".")
            && name.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || "._-".contains($0) }
    }
}
