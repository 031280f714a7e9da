import FuzzSupport
import Genome

// GTF: the gene spans `prepare --annotation` reads and the exon models `negatives` and `scan` read.
FuzzInput.run { data, size in
    FuzzInput.withFile(UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size), name: "genes.gtf") { path in
        _ = try? GeneAnnotation(gtfPath: path)
        _ = try GeneModels(gtfPath: path)
    }
    return 0
}
