/// The folder `fusionai cohort` (and the Snakemake workflow) fills: per-sample shards, the unique
/// pairs, per-chunk scores, then the cohort tables and report.
public struct CohortFolder: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// The per-sample shards.
    public var samples: String { file("samples") }
    public func shard(_ sample: String) -> String { samples + "/" + sample + CohortShardTable.schema.file }
    /// A sample's rows of `samples.tsv`, written last: the shard is finished when it exists.
    public func status(_ sample: String) -> String { samples + "/" + sample + ".status.tsv" }
    /// The size and time of each of a sample's files when its shard was made (path, size, seconds
    /// since 1970, tab-separated): a file edited since makes the shard stale.
    public func sources(_ sample: String) -> String { samples + "/" + sample + ".sources.tsv" }
    public var pairs: String { file(CohortPairsTable.schema.file) }
    /// The chunk names, one a line (what the workflow's score rule is run for).
    public var chunkList: String { file("chunks.txt") }
    public var chunks: String { file("chunks") }
    public func chunk(_ name: String) -> String { chunks + "/" + name + CohortScoresTable.schema.file }
    public var cohort: String { file(CohortTable.schema.file) }
    public var calls: String { file(CohortCallsTable.schema.file) }
    public var genes: String { file(CohortGenesTable.schema.file) }
    public var sampleSummary: String { file(CohortSamplesTable.schema.file) }
    public var report: String { file("report.html") }
    /// MultiQC custom content (``MultiQCTables``), one MultiQC sample per cohort sample.
    public var multiQC: String { file("multiqc") }
    /// The explained pairs as FusionAI rows, the input of explain and features.
    public var explainInput: String { file("explained.tsv") }
    public var explain: ExplainFolder { ExplainFolder(path: file("fis")) }
    public var features: FeaturesFolder { FeaturesFolder(path: file("feat")) }

    /// `chunk-1`, `chunk-2`, ...: the name of the 0-based chunk `index`.
    public static func chunkName(_ index: Int) -> String { "chunk-\(index + 1)" }

    /// Whether `name` is one ``chunkName(_:)`` gives: `chunk-` and digits.
    public static func isChunkName(_ name: String) -> Bool {
        let number = name.dropFirst("chunk-".count)
        return name.hasPrefix("chunk-") && !number.isEmpty && number.count <= 9
            && number.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// Every file and folder a cohort run writes or clears: no input may be one of them or lie inside one.
    public var outputs: [String] {
        [
            samples, pairs, chunkList, chunks, cohort, calls, genes, sampleSummary, report, multiQC, explainInput,
            explain.path, features.path,
        ]
    }

    private func file(_ name: String) -> String { path + "/" + name }
}
