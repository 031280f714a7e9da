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

    /// Where a partner's values are, for ``appendPlainRow(_:fields:to:)``.
    private enum PlainSite {
        case joined(Int)
        case columns(chromosome: Int, position: Int, strand: Int?)
    }

    private struct PlainPartner {
        let gene: Int
        let site: PlainSite
    }

    private let description: FormatDescription
    private let partners: [Partner]
    /// The partners' column indexes when rows can be read from their bytes; nil when the format needs
    /// the String path for every row (gene pairs, signed or two-character strands, text positions,
    /// lists of gene names).
    private let plain: [PlainPartner]?
    /// How many fields the byte path splits: up to the last column it reads.
    private let plainFieldCount: Int

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
        let plainPartners = partners.compactMap(Self.plainPartner)
        let plainFormat = description.geneNaming != .firstOfList && !description.textPositionIsUnplaced
        plain = plainFormat && partners.count == 2 && plainPartners.count == 2 ? plainPartners : nil
        plainFieldCount =
            1
            + plainPartners.flatMap { partner -> [Int] in
                switch partner.site {
                case .joined(let index): [partner.gene, index]
                case .columns(let chromosome, let position, let strand):
                    [partner.gene, chromosome, position, strand ?? 0]
                }
            }.reduce(0, max)
    }

    /// `partner`'s column indexes, when its values can be read from bytes.
    private static func plainPartner(_ partner: Partner) -> PlainPartner? {
        guard case .column = partner.gene, partner.geneIndex >= 0 else { return nil }
        switch partner.site {
        case .joinedWithStrand(let column):
            return column.index >= 0 ? PlainPartner(gene: partner.geneIndex, site: .joined(column.index)) : nil
        case .columns(let chromosome, let position, let strandColumn):
            let strand: Int?
            switch strandColumn {
            case .none: strand = nil
            case .plain(let column): strand = column.index
            case .signed, .character: return nil
            }
            guard chromosome.index >= 0, position.index >= 0, (strand ?? 0) >= 0 else { return nil }
            return PlainPartner(
                gene: partner.geneIndex,
                site: .columns(chromosome: chromosome.index, position: position.index, strand: strand))
        }
    }

    /// Whether some rows of this format can be read by ``appendPlainRow(_:fields:to:)``.
    var readsPlainRows: Bool { plain != nil }

    /// Appends the row's normalised columns (head then tail `gene chr pos strand`, tab-separated, no
    /// line end) read straight from its bytes, as ``parse(_:line:)`` and ``PreparedRowFormatter``
    /// would write them, and returns true. Returns false, leaving `out` as it was, for a row that
    /// ``parse(_:line:)`` must read: one it rejects, or with values that are not plain ASCII or not
    /// plainly written (a signed or over-long number, say). `fields` is scratch space, which holds
    /// the split fields afterwards.
    func appendPlainRow(_ line: LineBytes, fields: inout [Range<Int>], to out: inout [UInt8]) -> Bool {
        guard let plain, line.fields(plainFieldCount, separator: description.separator, into: &fields),
            let head = plainSide(plain[0], line, fields), let tail = plainSide(plain[1], line, fields)
        else { return false }
        head.append(from: line, to: &out)
        out.append(9)
        tail.append(from: line, to: &out)
        return true
    }

    /// One partner's values as byte ranges of the line.
    private struct PlainSide {
        let gene: Range<Int>
        let chromosome: Range<Int>
        let position: Int
        let strand: UInt8

        /// Appends `gene chr pos strand`, tab-separated.
        func append(from line: LineBytes, to out: inout [UInt8]) {
            line.append(gene, to: &out)
            out.append(9)
            line.append(chromosome, to: &out)
            out.append(9)
            out.appendDecimal(position)
            out.append(9)
            out.append(strand)
        }
    }

    /// `partner`'s values, checked as ``Row`` checks them; nil for anything but plain values.
    private func plainSide(_ partner: PlainPartner, _ line: LineBytes, _ fields: [Range<Int>]) -> PlainSide? {
        var gene = line.trimmed(fields[partner.gene])
        guard !gene.isEmpty, line.isASCII(gene) else { return nil }
        if description.geneNaming == .symbolBeforeCaret, let caret = line.firstIndex(of: UInt8(ascii: "^"), in: gene) {
            // As ``FormatDescription/geneName(_:)``: the symbol, or the ID when the symbol is empty.
            gene = caret > gene.lowerBound ? gene.lowerBound..<caret : (caret + 1)..<gene.upperBound
        }
        switch partner.site {
        case .joined(let index):
            // As ``Row/breakpointWithStrand(_:_:)``: split from the right.
            let value = line.trimmed(fields[index])
            let colon = UInt8(ascii: ":")
            guard line.isASCII(value), let last = line.lastIndex(of: colon, in: value),
                let middle = line.lastIndex(of: colon, in: value.lowerBound..<last), middle > value.lowerBound,
                let position = line.digits((middle + 1)..<last), position > 0,
                position <= ChromosomeInfo.largestPosition,
                let strand = line.strand((last + 1)..<value.upperBound)
            else { return nil }
            return PlainSide(gene: gene, chromosome: value.lowerBound..<middle, position: position, strand: strand)
        case .columns(let chromosomeIndex, let positionIndex, let strandIndex):
            let chromosome = line.trimmed(fields[chromosomeIndex])
            guard !chromosome.isEmpty, line.isASCII(chromosome),
                let number = line.digits(line.trimmed(fields[positionIndex]))
            else { return nil }
            // As ``Row/position(_:_:offset:)``: 1-based from 1, or 0-based from 0, up to 2^40.
            let offset = description.positionOffset
            let allowed = offset == 0 ? 1...ChromosomeInfo.largestPosition : 0...(ChromosomeInfo.largestPosition - 1)
            guard allowed.contains(number) else { return nil }
            var strand = UInt8(ascii: ".")
            if let strandIndex {
                guard let byte = line.strand(line.trimmed(fields[strandIndex])) else { return nil }
                strand = byte
            }
            return PlainSide(gene: gene, chromosome: chromosome, position: number + offset, strand: strand)
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
