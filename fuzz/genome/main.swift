import FuzzSupport
import Genome

// FASTA (plain and bgzip, with the .fai/.gzi htslib builds for it) and UCSC 2bit: the genome is
// opened and a few ranges of each sequence are read, as `prepare` reads windows.
FuzzInput.run { data, size in
    guard let input = FuzzInput.split(data, size, among: ["genome.fa", "genome.fa.gz", "genome.2bit"]) else {
        return 0
    }
    FuzzInput.withFile(input.bytes, name: input.choice) { path in
        let genome = try ReferenceGenome(path: path, cacheDirectory: FuzzInput.folder + "/cache")
        let reader = try genome.makeReader()
        for sequence in genome.sequences.prefix(4) {
            _ = try? reader.bases(sequence.name, from: 0, to: min(sequence.length, 64))
            _ = try? reader.bases(sequence.name, from: max(0, sequence.length - 16), to: sequence.length)
        }
    }
    return 0
}
