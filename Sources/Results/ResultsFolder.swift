import Foundation
import Support

/// The folder `fusionai run` fills: one file or folder per step, and `.done/` with a marker per
/// finished step. Paths are the folder's path, a slash and the name, as given.
public struct ResultsFolder: Sendable {
    /// The steps of a run, in order; each has a marker in `.done/` once it finished.
    public enum Step: String, Sendable, CaseIterable {
        case prepare, predict, explain, features, report
    }

    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// `prepare`'s windows, with a header line.
    public var prepared: String { file("prepared.tsv") }
    /// `prepare --qc`.
    public var preparedQC: String { file("prepared.qc.tsv") }
    /// `prepare --rejects`.
    public var preparedRejects: String { file("prepared.rejects.tsv") }
    public var predictions: String { file(PredictionsTable.schema.file) }
    public var explain: ExplainFolder { ExplainFolder(path: file("fis")) }
    public var features: FeaturesFolder { FeaturesFolder(path: file("feat")) }
    public var report: String { file("report.html") }
    /// An IGV desktop session of the run (genome, calls, FIS and feature tracks).
    public var igvSession: String { file("igv_session.xml") }
    /// Every call as a BEDPE arc between its breakpoints, for IGV.
    public var callsBEDPE: String { file("calls.bedpe") }
    /// MultiQC custom content (``MultiQCTables``): `multiqc RESULTS` shows a FusionAI section.
    public var multiQC: String { file("multiqc") }
    /// The folder of the step markers.
    public var markers: String { file(".done") }

    public func marker(_ step: Step) -> String { markers + "/" + step.rawValue }

    /// Every file and folder a run writes or clears: no input may be one of them or lie inside one.
    public var outputs: [String] {
        [
            prepared, preparedQC, preparedRejects, predictions, explain.path, features.path, report, igvSession,
            callsBEDPE, multiQC, markers,
        ]
    }

    /// Whether `step` finished before with the same signature.
    public func isDone(_ step: Step, _ signature: StepSignature) -> Bool {
        let recorded = FileManager.default.contents(atPath: marker(step))
        // Markers of earlier releases name the folder's own files by their full paths.
        return recorded == markerData(signature) || recorded == signature.data
    }

    /// Marks `step` finished with `signature`.
    public func markDone(_ step: Step, _ signature: StepSignature) throws {
        try FileManager.default.createDirectory(atPath: markers, withIntermediateDirectories: true)
        try OutputFile.write(markerData(signature), to: marker(step))
    }

    /// The marker's contents, the folder's own files named relative to it: a results folder moved
    /// whole (`mv`, which keeps sizes and times) is still done.
    private func markerData(_ signature: StepSignature) -> Data {
        let text = String(decoding: signature.data, as: UTF8.self)
        // Only where a line starts with the folder's path: `-o k` must not touch `/work/...`.
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line == path
                ? Self.here : line.hasPrefix(path + "/") ? Self.here + line.dropFirst(path.count) : String(line)
        }
        return Data(lines.joined(separator: "\n").utf8)
    }

    /// What a marker writes for the results folder's own path.
    private static let here = "{results}"

    /// Forgets that `step` finished (before it reruns, so an interrupted rerun is not taken as done).
    public func clearMarker(_ step: Step) throws {
        try Self.remove(marker(step))
    }

    /// Removes `path` (a step's output folder, emptied before the step fills it) when it exists.
    public static func remove(_ path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { return }
        try FileManager.default.removeItem(atPath: path)
    }

    private func file(_ name: String) -> String { path + "/" + name }
}

/// What a step ran with: its settings and the size and modification time of each file it reads,
/// so the same step with other options, or with an input edited in place, is not done.
public struct StepSignature: Sendable, Equatable {
    /// The size and modification time of one input file.
    public struct Stamp: Sendable, Equatable {
        public let path: String
        /// -1 when the file is missing (the step itself then reports it).
        public let size: Int
        /// Seconds since 1970; 0 when the file is missing.
        public let modified: Double

        public init(path: String) {
            self.path = path
            // A missing file is a stamp like any other: the step that reads it says what is wrong.
            let attributes = try? FileManager.default.attributesOfItem(atPath: path)
            size = (attributes?[.size] as? NSNumber)?.intValue ?? -1
            modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        }
    }

    /// The step's settings, one per line (the arguments of its subcommand: the marker format of
    /// earlier releases, so their results folders still resume).
    public let settings: [String]
    public let inputs: [Stamp]
    /// The step's outputs as it left them (every file of an output folder): one deleted, cut short or
    /// edited by hand afterwards makes the step not done.
    public let outputs: [Stamp]

    public init(settings: [String], reads files: [String], writes written: [String] = []) {
        self.settings = settings
        inputs = files.map(Stamp.init)
        outputs = written.flatMap(Self.files(of:)).map(Stamp.init)
    }

    /// `path`, or every file under it when it is a folder, sorted; hidden files (temporaries, locks) left out.
    private static func files(of path: String) -> [String] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
            return [path]
        }
        let names = (FileManager.default.subpaths(atPath: path) ?? []).filter {
            !$0.split(separator: "/").contains { $0.hasPrefix(".") }
        }
        return names.sorted().map { path + "/" + $0 }.filter {
            var inner: ObjCBool = false
            return FileManager.default.fileExists(atPath: $0, isDirectory: &inner) && !inner.boolValue
        }
    }

    /// The marker's contents.
    public var data: Data {
        let stamp = { (s: Stamp) in "\(s.path)\t\(s.size)\t\(s.modified)" }
        let lines = settings + inputs.map(stamp) + (outputs.isEmpty ? [] : ["outputs"] + outputs.map(stamp))
        return Data(lines.joined(separator: "\n").utf8)
    }
}

/// The folder `explain` writes: per fusion ID (``FusionID``) its tables, tracks and figure, and
/// the run's summary.
public struct ExplainFolder: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    public func scoreTable(_ id: String) -> String { file(id + FISTable.schema.file) }
    public func scoreArray(_ id: String) -> String { file(id + ".fis.npy") }
    public func ismMatrix(_ id: String) -> String { file(id + ".ism.npy") }
    /// DeepLIFT's hypothetical contributions, `[positions x 4]`.
    public func hypotheticalContributions(_ id: String) -> String { file(id + ".hyp.npy") }
    /// `part` is `head` or `tail`.
    public func bedGraph(_ id: String, part: String) -> String { file(id + "." + part + ".bedGraph") }
    /// The bedGraph's values as bigWig.
    public func bigWig(_ id: String, part: String) -> String { file(id + "." + part + ".bw") }
    public func topBED(_ id: String) -> String { file(id + ".top.bed") }
    public func topRegions(_ id: String) -> String { file(id + TopRegionsTable.schema.file) }
    public func figure(_ id: String) -> String { file(id + Self.figureSuffix) }
    public var summary: String { file(ExplainSummaryTable.file) }

    /// The IDs of the fusions explained here, as the run's summary lists them (not as files are
    /// found: a folder explain wrote into before may hold another run's), in row order.
    /// - Throws: ``ResultsFileError`` (`notAFolder` when the folder cannot be read, `unreadable`
    ///   when it has no summary: not a folder explain finished writing).
    public func explainedIDs() throws -> [String] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
            throw ResultsFileError(
                .notAFolder, path: path, "is not a readable folder: give the folder `fusionai explain -o` wrote")
        }
        guard FileManager.default.fileExists(atPath: summary) else {
            throw ResultsFileError(
                .unreadable, path: path,
                "has no \(ExplainSummaryTable.file): give the folder `fusionai explain -o` wrote (an explain that "
                    + "was stopped writes none: run it again)")
        }
        let table = try ExplainSummaryTable.schema(top: "").read(summary)
        let column = try table.index(of: ExplainSummaryTable.id)
        return table.rows.compactMap { $0.fields.count > column ? $0.fields[column] : nil }
            .filter { FusionID.row(of: $0) != nil }
            .sorted { $0.localizedStandardCompare($1) == .orderedAscending }
    }

    /// The explained fusions (``explainedIDs()``) with a figure here, in row order (row2 before row10).
    public func figureIDs() throws -> [String] {
        try explainedIDs().filter { FileManager.default.fileExists(atPath: figure($0)) }
    }

    /// Removes what explain wrote here before (every fusion's files and the summary), so that a new
    /// run's folder holds only its own fusions; other files are left alone.
    public func removeOutputs() throws {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
        for name in names where name == ExplainSummaryTable.file || isFusionOutput(name) {
            try FileManager.default.removeItem(atPath: file(name))
        }
    }

    /// Whether `name` is one of a fusion's files: `rowN_...` ending as one of the paths above does
    /// for an empty ID (the suffixes are named once, by those paths).
    private func isFusionOutput(_ name: String) -> Bool {
        let paths =
            [
                scoreTable(""), scoreArray(""), ismMatrix(""), hypotheticalContributions(""), topBED(""),
                topRegions(""),
                figure(""),
            ] + ["head", "tail"].flatMap { [bedGraph("", part: $0), bigWig("", part: $0)] }
        return FusionID.row(of: name) != nil && paths.contains { name.hasSuffix(PathNames.name(of: $0)) }
    }

    private static let figureSuffix = ".svg"

    private func file(_ name: String) -> String { path + "/" + name }
}

/// The folder `features` writes: its tables and figures, and per explained fusion its tracks.
public struct FeaturesFolder: Sendable {
    /// The outputs written as a table and a figure of the same name.
    public enum Output: String, Sendable {
        case landscape
        case landscapeTop = "landscape_top"
        case enrichment
    }

    public let path: String

    public init(path: String) {
        self.path = path
    }

    public var coverage: String { file(CoverageTable.schema.file) }
    public var landscape: String { file(LandscapeTable.schema.file) }
    public var landscapeTop: String { file(LandscapeTopTable.schema.file) }
    public var enrichment: String { file(EnrichmentTable.schema.file) }
    public func figure(_ output: Output) -> String { file(output.rawValue + ".svg") }
    /// The folder of the per-fusion tracks.
    public var tracks: String { file("tracks") }
    public func trackTable(_ id: String) -> String { tracks + "/" + id + FeatureTracksTable.schema.file }
    public func trackFigure(_ id: String) -> String { tracks + "/" + id + ".features.svg" }

    private func file(_ name: String) -> String { path + "/" + name }
}

/// The ID of a fusion's explain and feature-track outputs: `rowN_HEAD--TAIL` (N = 1-based data row).
public enum FusionID {
    public static func make(row: Int, fusion: String) -> String {
        "row\(row)_" + fileSafe(fusion)
    }

    /// The data row an ID names (`row12_A--B` -> 12), or nil for another name.
    public static func row(of id: String) -> Int? {
        guard id.hasPrefix("row"), let row = Int(id.dropFirst(3).prefix { $0.isNumber }), row >= 1 else { return nil }
        return row
    }

    /// Letters, digits, `-`, `_` and `.`; anything else becomes `_`.
    static func fileSafe(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "_" }.prefix(120))
    }
}
