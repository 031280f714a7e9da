import FuzzSupport
import Genome

// BED feature tracks, plain or bgzip-compressed (the first byte chooses), read whole and by region
// through a tabix index when htslib can build one.
FuzzInput.run { data, size in
    guard let input = FuzzInput.split(data, size, among: ["track.bed", "track.bed.gz"]) else { return 0 }
    FuzzInput.withFile(input.bytes, name: input.choice) { path in
        let whole = try IntervalSet(bedPaths: [path])
        _ = whole.covered(chromosome: "chr1", range: 1...10_000)
        let regions = IntervalSet([(chromosome: "chr1", range: 1...10_000), (chromosome: "1", range: 5...50)])
        _ = try IntervalSet(bedPath: path, overlapping: regions)
    }
    return 0
}
