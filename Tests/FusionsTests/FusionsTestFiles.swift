import Foundation
import Fusions
import Genome
import Support
import TestSupport
import XCTest

/// Helpers shared by the Fusions tests.
enum FusionsTestFiles {
    /// Writes `text` to a new temporary file and returns its path.
    static func write(_ text: String, name: String = "calls.tsv") throws -> String {
        let path = try TestData.temporaryDirectory() + "/" + name
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        return path
    }

    /// Runs `prepare` in process; returns the table, QC and rejects outputs as text.
    static func prepare(
        _ input: String, genome: ReferenceGenome?, format: FusionFormat? = nil, header: Bool = false,
        strict: Bool = false, threads: Int = 1, batchSize: Int = 512
    ) throws -> (table: String, qc: String, rejects: String, fasta: String, summary: PrepareSummary) {
        let folder = try TestData.temporaryDirectory()
        let outputs = try PrepareJob.Outputs(
            table: OutputFile(path: folder + "/out.tsv"), fasta: OutputFile(path: folder + "/out.fa"),
            rejects: OutputFile(path: folder + "/rejects.tsv"), qc: OutputFile(path: folder + "/qc.tsv"))
        var job = PrepareJob(genome: genome)
        job.writeHeader = header
        job.strict = strict
        job.threads = threads
        job.batchSize = batchSize
        let summary = try job.run(FusionReader(path: input, format: format), to: outputs)
        for file in [outputs.table, outputs.fasta, outputs.rejects, outputs.qc].compactMap({ $0 }) { try file.commit() }
        func read(_ name: String) throws -> String { try String(contentsOfFile: folder + "/" + name, encoding: .utf8) }
        return (try read("out.tsv"), try read("qc.tsv"), try read("rejects.tsv"), try read("out.fa"), summary)
    }

    static let miniHg19 = TestData.path("genome/mini_hg19.fa.gz")
}
