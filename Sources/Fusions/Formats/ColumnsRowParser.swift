import Genome

/// Reads any format whose ``FormatDescription/partners`` say where each partner's gene, chromosome,
/// position and strand are: columns found by name, then checked through ``Row`` so a bad value is a
/// rejection naming its column.
struct ColumnsRowParser: FusionRowParser {
    /// One partner's column indexes.
    private struct Partner {
        let gene: GeneField
        let geneIndex: Int
        let geneColumn: String
        let site: Site
    }

    /// Where a partner's site is, by index.
    private enum Site {
        case columns(chromosome: Column, position: Column, strand: StrandColumn)
        case joinedWithStrand(Column)
    }

    private struct Column {
        let index: Int
        let name: String
    }

    private enum StrandColumn {
        case none
        case plain(Column)
        case signed(Column)
        case character(Column, Int)
    }

    private let description: FormatDescription
    private let partners: [Partner]

    init(_ description: FormatDescription, header: HeaderColumns?, path: String, annotation: GeneAnnotation?) throws {
        self.description = description
        let header = header ?? HeaderColumns([])
        _ = try header.require(description.requiredColumns, format: description.format, path: path)
        func column(_ name: String) -> Column { Column(index: header[name] ?? -1, name: name) }
        let resolved = description.partners.map { partner in
            let geneName: String
            switch partner.gene {
            case .column(let name), .pair(let name, _, _): geneName = name
            }
            let site: Site
            switch partner.site {
            case .joinedWithStrand(let name):
                site = .joinedWithStrand(column(name))
            case .columns(let chromosome, let position, let strand):
                let strandColumn: StrandColumn
                switch strand {
                case .none: strandColumn = .none
                case .column(let name): strandColumn = .plain(column(name))
                case .signed(let name): strandColumn = .signed(column(name))
                case .character(let name, let index): strandColumn = .character(column(name), index)
                case .optionalColumn(let name): strandColumn = header[name] == nil ? .none : .plain(column(name))
                }
                site = .columns(chromosome: column(chromosome), position: column(position), strand: strandColumn)
            }
            return Partner(gene: partner.gene, geneIndex: header[geneName] ?? -1, geneColumn: geneName, site: site)
        }
        // Optional strand columns come as a pair (JAFFA's strand1, strand2): one alone is not used.
        let strandless = resolved.contains { if case .columns(_, _, .none) = $0.site { true } else { false } }
        partners = resolved.map { partner in
            guard strandless, case .columns(let chromosome, let position, _) = partner.site else { return partner }
            return Partner(
                gene: partner.gene, geneIndex: partner.geneIndex, geneColumn: partner.geneColumn,
                site: .columns(chromosome: chromosome, position: position, strand: .none))
        }
    }

    func parse(_ fields: [Substring], line: Int) -> RowResult {
        let row = Row(fields: fields, line: line)
        do throws(Rejection) {
            var pair: [Substring] = []
            if case .pair(_, let separator, _) = partners[0].gene {
                let text = try row.field(partners[0].geneIndex, partners[0].geneColumn)
                pair = text.split(separator: separator, omittingEmptySubsequences: false)
                guard pair.count == 2, !pair[0].isEmpty, !pair[1].isEmpty else {
                    throw row.malformed("\(partners[0].geneColumn) '\(text)' is not GENE1\(separator)GENE2")
                }
            }
            var sides: [Breakpoint] = []
            for partner in partners {
                let gene: String
                switch partner.gene {
                case .column:
                    gene = String(description.geneName(try row.name(partner.geneIndex, partner.geneColumn)[...]))
                case .pair(_, _, let index): gene = String(pair[index])
                }
                sides.append(try breakpoint(row, gene: gene, at: partner.site))
            }
            return .record(FusionRecord(head: sides[0], tail: sides[1], line: line, sourceFields: row.sourceFields))
        } catch {
            return .rejected(error)
        }
    }

    private func breakpoint(_ row: Row, gene: String, at site: Site) throws(Rejection) -> Breakpoint {
        switch site {
        case .joinedWithStrand(let column):
            let site = try row.breakpointWithStrand(column.index, column.name)
            return Breakpoint(gene: gene, chromosome: site.chromosome, position: site.position, strand: site.strand)
        case .columns(let chromosome, let position, let strandColumn):
            let chrom = try row.name(chromosome.index, chromosome.name)
            let value: Int
            if description.textPositionIsUnplaced {
                let text = try row.field(position.index, position.name)
                guard let number = Int(text) else {
                    throw row.reject(
                        .unplacedBreakpoint,
                        "\(position.name) of \(gene) is '\(text)', not a position: \(description.format.displayName) "
                            + "could not place it")
                }
                guard number > 0, number <= ChromosomeInfo.largestPosition else {
                    throw row.malformed(
                        "\(position.name) '\(text)' is not a position (a whole number from 1 to 2^40)")
                }
                value = number
            } else {
                value = try row.position(position.index, position.name, offset: description.positionOffset)
            }
            let strand: Strand
            switch strandColumn {
            case .none: strand = .unknown
            case .plain(let column): strand = try row.strand(column.index, column.name)
            case .signed(let column): strand = try row.signedStrand(column.index, column.name)
            case .character(let column, let index):
                strand = try row.strandCharacter(index, of: column.index, column.name)
            }
            return Breakpoint(gene: gene, chromosome: chrom, position: value, strand: strand)
        }
    }
}
