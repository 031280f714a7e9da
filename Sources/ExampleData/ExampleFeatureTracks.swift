/// Genomic feature tracks of the example genome, made from its own genes and bases, for
/// `fusionai features`: gene structure (exons, introns, splice sites) and sequence (CpG islands).
extension ExampleDataSet {
    public struct FeatureTrack: Sendable {
        public let name: String
        public let category: String
        /// 1-based inclusive intervals per chromosome, sorted by chromosome (genome order) and start.
        public let intervals: [(chromosome: String, range: ClosedRange<Int>)]

        /// The track as BED (0-based starts), in the order tabix needs.
        public var bed: String {
            intervals.map { "\($0.chromosome)\t\($0.range.lowerBound - 1)\t\($0.range.upperBound)\n" }.joined()
        }
    }

    /// Exons, introns, splice sites (10 nt either side of each exon-intron boundary) and CpG islands.
    public func featureTracks() -> [FeatureTrack] {
        var exons: [(String, ClosedRange<Int>)] = []
        var introns: [(String, ClosedRange<Int>)] = []
        var sites: [(String, ClosedRange<Int>)] = []
        for gene in genes {
            exons += gene.exons.map { (gene.chromosome, $0) }
            for (left, right) in zip(gene.exons, gene.exons.dropFirst()) {
                introns.append((gene.chromosome, (left.upperBound + 1)...(right.lowerBound - 1)))
                sites.append((gene.chromosome, (left.upperBound - 9)...(left.upperBound + 10)))
                sites.append((gene.chromosome, (right.lowerBound - 10)...(right.lowerBound + 9)))
            }
        }
        let order = Dictionary(uniqueKeysWithValues: chromosomes.enumerated().map { ($0.element.name, $0.offset) })
        func sorted(_ list: [(String, ClosedRange<Int>)]) -> [(chromosome: String, range: ClosedRange<Int>)] {
            list.sorted { (order[$0.0] ?? 0, $0.1.lowerBound) < (order[$1.0] ?? 0, $1.1.lowerBound) }.map {
                (chromosome: $0.0, range: $0.1)
            }
        }
        return [
            FeatureTrack(name: "exon", category: "gene structure", intervals: sorted(exons)),
            FeatureTrack(name: "intron", category: "gene structure", intervals: sorted(introns)),
            FeatureTrack(name: "splice_site", category: "gene structure", intervals: sorted(sites)),
            FeatureTrack(name: "cpg_island", category: "sequence", intervals: cpgIslands()),
        ]
    }

    /// 200-nt windows (step 50) meeting the UCSC criteria, GC >= 50% and CpG observed/expected
    /// >= 0.6, merged where they overlap.
    func cpgIslands() -> [(chromosome: String, range: ClosedRange<Int>)] {
        let size = 200
        let step = 50
        var islands: [(chromosome: String, range: ClosedRange<Int>)] = []
        for (name, bases) in chromosomes where bases.count >= size {
            for start in stride(from: 0, through: bases.count - size, by: step) {
                var c = 0
                var g = 0
                var cpg = 0
                for i in start..<(start + size) {
                    if bases[i] == UInt8(ascii: "C") {
                        c += 1
                        if i + 1 < start + size, bases[i + 1] == UInt8(ascii: "G") { cpg += 1 }
                    } else if bases[i] == UInt8(ascii: "G") {
                        g += 1
                    }
                }
                guard 2 * (c + g) >= size, c > 0, g > 0, Double(cpg * size) / Double(c * g) >= 0.6 else { continue }
                let range = (start + 1)...(start + size)
                if let last = islands.last, last.chromosome == name, range.lowerBound <= last.range.upperBound + 1 {
                    islands[islands.count - 1].range = last.range.lowerBound...range.upperBound
                } else {
                    islands.append((name, range))
                }
            }
        }
        return islands
    }
}
