/// An IGV desktop session file (File > Open Session): the genome, the locus to open and the tracks
/// to load. IGV resolves relative paths against the session file's folder.
public struct IGVSession: Sendable {
    public struct Resource: Sendable, Equatable {
        public let path: String
        /// The track's name in IGV; nil leaves IGV's default (the file name).
        public let name: String?
        /// IGV's format name when the file's extension does not say it (`bedpe`).
        public let type: String?

        public init(path: String, name: String? = nil, type: String? = nil) {
            self.path = path
            self.name = name
            self.type = type
        }
    }

    /// A FASTA path (IGV indexes it with its `.fai`) or a genome ID such as `hg38`.
    public var genome: String
    /// Loci IGV opens side by side, e.g. the two breakpoints of a fusion.
    public var loci: [String]
    public var resources: [Resource]

    public init(genome: String, loci: [String] = [], resources: [Resource] = []) {
        self.genome = genome
        self.loci = loci
        self.resources = resources
    }

    /// The session's XML.
    public var xml: String {
        let attribute = { (key: String, value: String?) in value.map { " \(key)=\"\(SVG.escape($0))\"" } ?? "" }
        var lines = [
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>",
            "<Session genome=\"\(SVG.escape(genome))\""
                + attribute("locus", loci.isEmpty ? nil : loci.joined(separator: " "))
                + " version=\"8\">",
            "    <Resources>",
        ]
        for resource in resources {
            lines.append(
                "        <Resource" + attribute("name", resource.name) + attribute("path", resource.path)
                    + attribute("type", resource.type) + "/>")
        }
        lines += ["    </Resources>", "</Session>"]
        return lines.joined(separator: "\n") + "\n"
    }

    /// The model's 10-kb window around a 1-based breakpoint, as an IGV locus.
    public static func windowLocus(chromosome: String, breakpoint: Int) -> String {
        "\(chromosome):\(max(1, breakpoint - 4999))-\(breakpoint + 5000)"
    }

    /// The `goto` link IGV desktop answers on its batch port (60151, on by default): a click in the
    /// report moves a running IGV to `loci`.
    public static func link(loci: [String]) -> String {
        "http://localhost:60151/goto?locus=" + loci.joined(separator: "%20")
    }
}
