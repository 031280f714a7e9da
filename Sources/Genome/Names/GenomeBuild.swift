/// The reference build a genome matches, told from its chromosome lengths.
public enum GenomeBuild: String, Sendable, Equatable {
    case hg19
    case hg38
    case other

    /// Human-readable name for summaries.
    public var label: String {
        switch self {
        case .hg19: "hg19/GRCh37"
        case .hg38: "hg38/GRCh38"
        case .other: "other (not hg19 or hg38)"
        }
    }

    /// Detects the build: every chromosome among 1-22, X, Y whose length matches exactly one build votes
    /// for it; a genome with votes for one build and none against is that build.
    public static func detect(_ sequences: [ChromosomeInfo]) -> (build: GenomeBuild, matching: Int) {
        var hg19Votes = 0
        var hg38Votes = 0
        var conflicts = 0
        for s in sequences {
            let key = ChromosomeNames.key(s.name, length: s.length)
            guard let lengths = Self.lengths[key] else { continue }
            if s.length == lengths.hg19 {
                hg19Votes += 1
            } else if s.length == lengths.hg38 {
                hg38Votes += 1
            } else {
                conflicts += 1
            }
        }
        if hg19Votes > 0, hg38Votes == 0, conflicts == 0 { return (.hg19, hg19Votes) }
        if hg38Votes > 0, hg19Votes == 0, conflicts == 0 { return (.hg38, hg38Votes) }
        return (.other, 0)
    }

    // UCSC chrom.sizes of hg19 and hg38 (chr1-22, X, Y); chrM is left out because both builds'
    // caller references use the 16,569-nt rCRS.
    private static let lengths: [String: (hg19: Int, hg38: Int)] = [
        "1": (249_250_621, 248_956_422), "2": (243_199_373, 242_193_529), "3": (198_022_430, 198_295_559),
        "4": (191_154_276, 190_214_555), "5": (180_915_260, 181_538_259), "6": (171_115_067, 170_805_979),
        "7": (159_138_663, 159_345_973), "8": (146_364_022, 145_138_636), "9": (141_213_431, 138_394_717),
        "10": (135_534_747, 133_797_422), "11": (135_006_516, 135_086_622), "12": (133_851_895, 133_275_309),
        "13": (115_169_878, 114_364_328), "14": (107_349_540, 107_043_718), "15": (102_531_392, 101_991_189),
        "16": (90_354_753, 90_338_345), "17": (81_195_210, 83_257_441), "18": (78_077_248, 80_373_285),
        "19": (59_128_983, 58_617_616), "20": (63_025_520, 64_444_167), "21": (48_129_895, 46_709_983),
        "22": (51_304_566, 50_818_468), "x": (155_270_560, 156_040_895), "y": (59_373_566, 57_227_415),
    ]
}
