/// Which parser reads which format, in the order headers are tried during detection.
enum FormatRegistry {
    /// Formats told by their header line, most specific first. Each recogniser asks for columns the
    /// others' headers lack, so at most one matches a caller's header.
    static let headed: [(format: FusionFormat, parser: any FusionRowParser.Type)] = [
        (.fusionai, FusionAIRowParser.self),
        (.starFusion, StarFusionRowParser.self),
        (.dragen, DragenRowParser.self),
        (.arriba, ArribaRowParser.self),
        (.fusionCatcher, FusionCatcherRowParser.self),
        (.ericScript, EricScriptRowParser.self),
        (.squid, SquidRowParser.self),
        (.pizzly, PizzlyRowParser.self),
        (.jaffa, JaffaRowParser.self),
    ]

    /// The parser for a format requested by `--format`.
    static func parserType(for format: FusionFormat) -> (any FusionRowParser.Type)? {
        if format == .fusionaiData { return FusionAIRowParser.self }
        return headed.first { $0.format == format }?.parser
    }
}
