import Cohort
import Foundation
import Fusions
import Genome
import Results
import Support

extension CohortStep {
    /// Stage 1 with the sheet and annotation already read (the whole run reads them once).
    /// - Parameter warnsFailure: say when the sample is left out (a whole run leaves it to the
    ///   merge, which says it for every stage layout).
    static func sample(
        _ options: SampleOptions, sheet: SampleSheet, genes: GeneAnnotation?, log: StepLog, warnsFailure: Bool = true
    ) throws -> SampleResult {
        let name = options.sample
        let entries = sheet.entries(of: name)
        guard !entries.isEmpty else {
            throw CohortError(.unknownSample, path: sheet.path, "lists no sample '\(name)'")
        }
        let folder = options.layout.folder
        try makeSharedFolder(folder.samples)
        var calls: [CohortCall] = []
        var rows: [[String]] = []
        var failure: String?
        var rejected = 0
        for entry in entries {
            do {
                let read = try readCalls(entry, genes: genes)
                log.strandContradictions(read.strands, in: "sample \(name), \(entry.path)")
                calls += read.calls
                rejected += read.rejected
                rows.append([
                    name, entry.path, read.format.rawValue, SampleStatus.ok.rawValue, String(read.calls.count),
                    String(read.rejected), "",
                ])
            } catch {
                // One unreadable file fails its sample, not the cohort: said here and in samples.tsv.
                // The file is named once, as the sheet names it (the reader's error names it as resolved).
                let located = (error as? any FileLocatedError).flatMap { $0.path == entry.resolved ? $0 : nil }
                let reason = oneLine(
                    located.map { e in (e.line.map { "line \($0): " } ?? "") + e.message } ?? "\(error)")
                failure = failure ?? "\(entry.path): \(reason)"
                rows.append([
                    name, entry.path, entry.format?.rawValue ?? "auto", SampleStatus.failed.rawValue, "0", "0", reason,
                ])
            }
        }
        if let failure {
            // A part of a sample would bias recurrence: its other files are left out too.
            calls = []
            rows = rows.map { row in
                guard row[3] == SampleStatus.ok.rawValue else { return row }
                return Array(row[0..<3]) + [SampleStatus.dropped.rawValue, "0", row[5], "another file failed"]
            }
            if warnsFailure { log.warning("sample \(name) left out: \(failure)") }
        }
        try OutputFile.write(entries.map(CohortShards.sourceRecord).joined(), to: folder.sources(name))
        let shard = try OutputFile(path: folder.shard(name))
        try shard.write(CohortShardTable.schema.header())
        for call in calls { try shard.write(CohortShardTable.schema.line(call.fields)) }
        try shard.commit()
        // The status last: a shard is finished when its status exists.
        try OutputFile.write(
            CohortSamplesTable.schema.header() + rows.map(CohortSamplesTable.schema.line).joined(),
            to: folder.status(name))
        return SampleResult(sample: name, calls: calls.count, rejected: rejected, failure: failure)
    }

    /// The calls of one file of a sample.
    private struct FileCalls {
        let calls: [CohortCall]
        let rejected: Int
        let format: FusionFormat
        let strands: StrandCheck
    }

    /// Every call of one file, as `fusionai prepare` reads it.
    private static func readCalls(_ entry: SampleSheet.Entry, genes: GeneAnnotation?) throws -> FileCalls {
        // A sheet names files: a named pipe nobody writes to would hold the cohort (and its lock) forever.
        if OutputTarget.isSpecial(entry.resolved) {
            throw CohortError(
                .notAFile, path: entry.resolved, "is a named pipe, device or socket, not a file: give a file")
        }
        let reader = try FusionReader(path: entry.resolved, format: entry.format, annotation: genes)
        var calls: [CohortCall] = []
        var rejected = 0
        while let result = try reader.next() {
            switch result {
            case .record(let record):
                calls.append(
                    CohortCall(
                        sample: entry.sample, caller: reader.format.rawValue, source: entry.path, line: record.line,
                        head: record.head, tail: record.tail))
            case .rejected: rejected += 1
            case .ignored: continue
            }
        }
        return FileCalls(calls: calls, rejected: rejected, format: reader.format, strands: reader.strands)
    }

    /// A message as one TSV cell.
    static func oneLine(_ text: String) -> String {
        text.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ")
    }
}

/// The `status` of a row of `samples.tsv`.
enum SampleStatus: String {
    /// Read; its calls are in the cohort.
    case ok
    /// Could not be read; the reason says why.
    case failed
    /// Read, but another file of the same sample failed, so the sample is left out.
    case dropped
}

/// The finished shards of a sheet's samples: the calls of those used, and the status rows of all.
struct CohortShards {
    let calls: [CohortCall]
    /// `samples.tsv`'s rows, in sheet order.
    let statusRows: [[String]]
    /// Samples whose calls are in.
    let used: Int
    /// Samples left out, with the reason of their first failed file.
    let failed: [(sample: String, reason: String)]

    /// - Throws: ``CohortError/Code/staleStage`` when a sample has no finished shard;
    ///   ``CohortError/Code/noSamples`` when no sample could be used.
    init(sheet: SampleSheet, folder: CohortFolder) throws {
        var calls: [CohortCall] = []
        var statusRows: [[String]] = []
        var used = 0
        var failed: [(sample: String, reason: String)] = []
        for sample in sheet.samples {
            let statusPath = folder.status(sample)
            guard FileManager.default.fileExists(atPath: statusPath) else {
                throw CohortError(
                    .staleStage, path: statusPath,
                    "is missing: run `fusionai cohort sample --sample \(sample)` (or the whole cohort) first")
            }
            let status = try CohortSamplesTable.schema.read(statusPath)
            let column = try status.index(of: CohortSamplesTable.status)
            let reason = try status.index(of: CohortSamplesTable.reason)
            let file = try status.index(of: CohortSamplesTable.path)
            if let bad = status.rows.first(where: { $0.fields.count != CohortSamplesTable.schema.columns.count }) {
                throw CohortError(
                    .staleStage, path: statusPath, line: bad.line,
                    "is not a row of a sample's status: rerun `fusionai cohort sample --sample \(sample)`")
            }
            let rerun = "rerun `fusionai cohort sample --sample=\(sample)`"
            let entries = sheet.entries(of: sample)
            guard status.rows.map({ $0.fields[file] }) == entries.map(\.path) else {
                let listed = entries.map(\.path).joined(separator: ", ")
                throw CohortError(
                    .staleStage, path: statusPath,
                    "was made from other files than the sheet lists for \(sample) now (\(listed)): \(rerun)")
            }
            if let changed = Self.changedSource(folder.sources(sample), entries) {
                throw CohortError(
                    .staleStage, path: folder.shard(sample),
                    "was made before \(changed) last changed: \(rerun)")
            }
            statusRows += status.rows.map(\.fields)
            if let bad = status.rows.first(where: { $0.fields[column] == SampleStatus.failed.rawValue }) {
                failed.append((sample, "\(bad.fields[file]): \(bad.fields[reason])"))
                continue
            }
            used += 1
            let shard = try CohortShardTable.schema.read(folder.shard(sample))
            let count = try status.index(of: CohortSamplesTable.calls)
            let expected = status.rows.compactMap { Int($0.fields[count]) }.reduce(0, +)
            guard shard.rows.count == expected else {
                throw CohortError(
                    .staleStage, path: shard.path,
                    "holds \(shard.rows.count) call(s) where its status records \(expected): it was cut or edited; "
                        + rerun)
            }
            for row in shard.rows {
                calls.append(try CohortCall(fields: row.fields, path: shard.path, line: row.line))
            }
        }
        guard used > 0 else {
            throw CohortError(
                .noSamples, path: sheet.path,
                "no sample could be read (see \(folder.samples)/*.status.tsv): "
                    + failed.map { "\($0.sample): \($0.reason)" }.joined(separator: "; "))
        }
        self.calls = calls
        self.statusRows = statusRows
        self.used = used
        self.failed = failed
    }

    /// The first of `entries`' files whose size or time differs from what `sources` recorded when
    /// the shard was made; nil when none does, or when there is no record (a shard of an earlier
    /// release).
    private static func changedSource(_ sources: String, _ entries: [SampleSheet.Entry]) -> String? {
        guard let data = FileManager.default.contents(atPath: sources) else { return nil }
        let recorded = Set(String(decoding: data, as: UTF8.self).split(separator: "\n").map { String($0) + "\n" })
        return entries.first { !recorded.contains(sourceRecord($0)) }?.path
    }

    /// One line of a shard's sources file: the file, its size and its modification time.
    static func sourceRecord(_ entry: SampleSheet.Entry) -> String {
        let stamp = StepSignature.Stamp(path: entry.resolved)
        return "\(entry.resolved)\t\(stamp.size)\t\(stamp.modified)\n"
    }
}
