import ArgumentParser
import ExampleData
import Foundation
import Fusions
import Genome
import Support

/// `fusionai example`: writes a small, seeded example data set to try the tool on.
struct ExampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "example",
        abstract:
            "Write a small synthetic example: genome FASTA, gene GTF, STAR-Fusion calls, a labelled training list "
            + "and feature tracks.",
        discussion: """
            The genome is random sequence with spliced genes planted in it (introns start with GT \
            and end with AG in transcript orientation). Most calls join real exon boundaries; some \
            are artefacts at arbitrary positions; training.tsv lists the same calls as FusionAI rows \
            with a label (1 junction, 0 artefact). features.tsv lists feature tracks made from the \
            same genome (exons, introns, splice sites, CpG islands), bgzip-compressed BED with tabix \
            indexes in features/. The same --seed gives the same files.
            """
    )

    @Option(name: [.short, .long], help: "Folder to write into (created if missing).")
    var output: String = "example"

    @Option(help: "Random seed.")
    var seed: UInt64 = 2021

    @Option(help: "Number of chromosomes.")
    var chromosomes = 3

    @Option(help: "Length of each chromosome in bases.")
    var length = 400_000

    @Option(name: .customLong("genes-per-chromosome"), help: "Genes planted on each chromosome.")
    var genesPerChromosome = 8

    @Option(help: "Number of fusion calls.")
    var calls = 50

    @Option(
        name: .customLong("artefact-fraction"), help: "Fraction of the calls that are artefacts at random positions.")
    var artefactFraction = 0.2

    @OptionGroup var verbosity: QuietOption

    func validate() throws {
        // An example is made in memory: at most the size of human chromosome 1 in all.
        guard (1...1_000).contains(chromosomes), (0...100_000).contains(calls), length <= 250_000_000,
            chromosomes * length <= 250_000_000
        else {
            throw ValidationError(
                "--chromosomes must be from 1 to 1000, --calls from 0 to 100000, and --chromosomes x --length "
                    + "at most 250,000,000 nt (got \(chromosomes), \(calls), \(chromosomes) x \(length)).")
        }
        guard (0...1).contains(artefactFraction) else {
            throw ValidationError("--artefact-fraction is between 0 and 1.")
        }
        guard genesPerChromosome >= 1, length / genesPerChromosome >= 30_000 else {
            throw ValidationError(
                "each gene needs 30,000 nt of chromosome: raise --length or lower --genes-per-chromosome.")
        }
    }

    func run() throws {
        let console = Console(command: "example", quiet: verbosity.quiet)
        try reportingFailures(console) {
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            let artefacts = Int((Double(calls) * artefactFraction).rounded())
            let data = ExampleDataSet(
                seed: seed, chromosomeCount: chromosomes, chromosomeLength: length,
                genesPerChromosome: genesPerChromosome, junctionCalls: calls - artefacts, artefactCalls: artefacts)
            let files: [(String, [UInt8])] = [
                ("genome.fa", data.fasta()),
                ("genes.gtf", Array(data.gtf().utf8)),
                ("fusions.star-fusion.tsv", Array(data.starFusion().utf8)),
                ("training.tsv", Array(data.labelledCalls().utf8)),
            ]
            for (name, bytes) in files {
                try OutputFile.write(bytes, to: output + "/" + name)
            }
            try FileManager.default.createDirectory(atPath: output + "/features", withIntermediateDirectories: true)
            var manifest = "name\tcategory\tpath\n"
            for track in data.featureTracks() {
                let path = "features/\(track.name).bed.gz"
                try OutputFile.write(track.bed, to: output + "/" + path)
                try TabixFile.buildIndex(bedPath: output + "/" + path)
                manifest += "\(track.name)\t\(track.category)\t\(path)\n"
            }
            try OutputFile.write(manifest, to: output + "/features.tsv")
            // A stale index from an earlier seed would not match the new genome.
            try? FileManager.default.removeItem(atPath: output + "/genome.fa.fai")
            let junctions = data.calls.filter(\.atExonJunction).count
            console.info(
                "wrote \(output)/genome.fa (\(data.chromosomes.count) chromosomes), genes.gtf (\(data.genes.count) "
                    + "genes), fusions.star-fusion.tsv (\(data.calls.count) calls: \(junctions) at exon junctions, "
                    + "\(data.calls.count - junctions) artefacts), training.tsv, features.tsv"
            )
        }
    }
}
