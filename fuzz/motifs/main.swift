import FuzzSupport
import Motifs

// MEME motif files, plain or gzip (the first byte chooses), read as `motif-scan` and `motif-match`
// read them, then put to use: a scanner and a comparison are built from the motifs, since both
// size their tables from what the file declares.
FuzzInput.run { data, size in
    guard let input = FuzzInput.split(data, size, among: ["motifs.meme", "motifs.meme.gz"]) else { return 0 }
    FuzzInput.withFile(input.bytes, name: input.choice) { path in
        let file = try MEMEFile.read(path: path)
        let motifs = Array(file.motifs.prefix(4))
        _ = MotifScanner(motifs: motifs).scan(Array("ACGTTGCAGGATCCAAGCTTNNACGTACGTCCCGGGAATT".utf8))
        if let first = motifs.first { _ = MotifComparison(targets: motifs).compare(first) }
    }
    return 0
}
