import CHTSlib
import Foundation
import Genome
import Support

/// A VCF or BCF file read through htslib: VCF plain, gzip or bgzip, and BCF. With an index beside
/// it (`.tbi` or `.csi` for bgzip VCF, `.csi` for BCF) records can be read by region, so a
/// genome-wide file costs only the records near the regions asked for.
public final class VCFFile {
    /// The file's kind, told by htslib from its first bytes (not its name).
    public enum Kind: String, Sendable {
        case vcf = "VCF"
        case gzipVCF = "gzip VCF"
        case bgzipVCF = "bgzip VCF"
        case bcf = "BCF"
    }

    public let path: String
    public let kind: Kind
    let file: UnsafeMutablePointer<htsFile>
    let header: UnsafeMutablePointer<bcf_hdr_t>
    let record: UnsafeMutablePointer<bcf1_t>
    private var tabix: UnsafeMutablePointer<tbx_t>?
    private var bcfIndex: OpaquePointer?
    /// The index's sequence names and ids.
    private var sequences: [(name: String, id: Int32)] = []
    private var line = kstring_t(l: 0, m: 0, s: nil)
    /// Records read so far, to name one in messages.
    private var count = 0
    /// The region being queried, while a query reads (its records have no known line), and the
    /// records it gave so far.
    private var queried: String?
    private var queriedCount = 0

    /// Whether an index was found and loaded, so ``forEachRecord(overlapping:_:)`` queries by region.
    public var isIndexed: Bool { tabix != nil || bcfIndex != nil }
    /// Region queries run so far (for the run summary).
    public private(set) var queries = 0

    /// The index beside `path`, if there is one.
    static func indexPath(for path: String, kind: Kind) -> String? {
        let suffixes = kind == .bcf ? [".csi"] : kind == .bgzipVCF ? [".tbi", ".csi"] : []
        return suffixes.map { path + $0 }.first { FileManager.default.fileExists(atPath: $0) }
    }

    /// Opens `path` and reads its header; loads the index beside it when there is one and `useIndex`.
    /// - Throws: ``VariantsError`` when the file is missing, not VCF/BCF, or its index is stale or unreadable.
    public init(path: String, useIndex: Bool = true) throws {
        hts_set_log_level(HTS_LOG_OFF)  // our errors say more, and name the file
        // `-`: standard input (`bcftools view ... | fusionai variants --vcf -`).
        guard path == "-" || FileManager.default.isReadableFile(atPath: path) else {
            throw VariantsError(.unreadable, path: path, "cannot be read: no such file, or no permission")
        }
        guard let file = hts_open(path, "r") else {
            // htslib says ENOEXEC ("Exec format error") for content it does not recognise.
            if errno == ENOEXEC {
                throw VariantsError(.unsupportedFormat, path: path, "is not VCF or BCF (its content is not recognised)")
            }
            throw VariantsError(.unreadable, path: path, "cannot be opened: \(SystemReason.last)")
        }
        let format = hts_get_format(file).pointee
        let kind: Kind
        switch (format.format, format.compression) {
        case (bcf, _): kind = .bcf
        case (vcf, bgzf): kind = .bgzipVCF
        case (vcf, gzip): kind = .gzipVCF
        case (vcf, _): kind = .vcf
        default:
            hts_close(file)
            throw VariantsError(
                .unsupportedFormat, path: path, "is not VCF or BCF (no ##fileformat=VCF header line is read)")
        }
        if let bgzf = hts_get_bgzfp(file), BGZFEnd.isMissing(in: bgzf) {
            hts_close(file)
            throw VariantsError(.corrupt, path: path, BGZFEnd.missing)
        }
        guard let header = bcf_hdr_read(file) else {
            hts_close(file)
            throw VariantsError(
                .corrupt, path: path,
                "has no readable VCF header: it needs ##fileformat and a tab-separated #CHROM line "
                    + "(a truncated file, or spaces where tabs should be?)")
        }
        guard let record = bcf_init() else {
            bcf_hdr_destroy(header)
            hts_close(file)
            throw VariantsError(.unreadable, path: path, "out of memory")
        }
        self.path = path
        self.kind = kind
        self.file = file
        self.header = header
        self.record = record
        if useIndex, let indexPath = Self.indexPath(for: path, kind: kind) { try loadIndex(indexPath) }
    }

    deinit {
        fusionai_ks_free(&line)
        if let tabix { tbx_destroy(tabix) }
        if let bcfIndex { hts_idx_destroy(bcfIndex) }
        bcf_destroy(record)
        bcf_hdr_destroy(header)
        hts_close(file)
    }

    private func loadIndex(_ indexPath: String) throws {
        let reindex = "re-index it with `bcftools index -f \(path)` (or `tabix -f -p vcf`)"
        // Dates that cannot be read skip this check only: loading the index below reports the failure.
        if let data = try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date,
            let made = try? FileManager.default.attributesOfItem(atPath: indexPath)[.modificationDate] as? Date,
            made < data
        {
            throw VariantsError(
                .indexUnavailable, path: indexPath, "is older than \(path), so it may not match it: \(reindex)")
        }
        var names: [String] = []
        if kind == .bcf {
            guard let index = bcf_index_load3(path, indexPath, 0) else {
                throw VariantsError(.indexUnavailable, path: indexPath, "cannot read the index: \(reindex)")
            }
            bcfIndex = index
            // A BCF index counts sequences by the header's contig ids.
            names = Self.strings { bcf_hdr_seqnames(header, &$0) }
        } else {
            guard let index = tbx_index_load3(path, indexPath, 0) else {
                throw VariantsError(.indexUnavailable, path: indexPath, "cannot read the index: \(reindex)")
            }
            guard index.pointee.conf.preset & 0xFFFF == TBX_VCF else {
                tbx_destroy(index)
                throw VariantsError(.indexUnavailable, path: indexPath, "indexes another format than VCF: \(reindex)")
            }
            tabix = index
            names = Self.strings { tbx_seqnames(index, &$0) }
        }
        sequences = names.enumerated().filter { !$0.element.isEmpty }.map { ($0.element, Int32($0.offset)) }
    }

    /// The names an htslib list call returns (a malloc'ed array of borrowed strings, and its count).
    private static func strings(
        _ list: (inout Int32) -> UnsafeMutablePointer<UnsafePointer<CChar>?>?
    ) -> [String] {
        var n: Int32 = 0
        guard let names = list(&n) else { return [] }
        defer { free(names) }
        return (0..<Int(n)).map { names[$0].map { String(cString: $0) } ?? "" }
    }

    /// Calls `body` with every record, in file order.
    /// - Throws: ``VariantsError`` when a record cannot be parsed or the file is truncated.
    public func forEachRecord(_ body: (VCFRecord) throws -> Void) throws {
        while true {
            var status: Int32
            if kind == .bcf {
                status = bcf_read(file, header, record)
            } else {
                // As vcf_read does, with the line's columns counted first.
                status = hts_getline(file, 2, &line)  // 2: KS_SEP_LINE, a macro Swift does not see
                if status >= 0 {
                    try requireColumns()
                    status = vcf_parse(&line, header, record)
                }
            }
            if status == -1, !isFaulty { return }
            try body(try current(status))
        }
    }

    /// Refuses the text record in ``line`` when it has fewer than VCF's 8 fixed columns: htslib reads
    /// a line cut after REF or ALT (a truncated file, or a hand-edited one) without a fault.
    private func requireColumns() throws {
        guard let text = line.s else { return }
        var tabs = 0
        for i in 0..<Int(line.l) where text[i] == 9 {
            tabs += 1
            if tabs == 7 { return }
        }
        throw VariantsError(
            .corrupt, path: path,
            "\(place(counted: false)) has \(tabs + 1) column(s); a VCF record needs 8 (CHROM POS ID REF ALT QUAL "
                + "FILTER INFO): a truncated or hand-edited file? Check it with `bcftools view`")
    }

    /// Where the record being read is, for messages: its line in a text VCF read whole (htslib
    /// counts the lines it reads, header included), else its number in the file or in the query.
    /// - Parameter counted: whether ``current(_:)`` has counted the record yet.
    func place(counted: Bool = true) -> String {
        let uncounted = counted ? 0 : 1
        if let queried { return "record \(queriedCount + uncounted) of the query \(queried)" }
        return kind == .bcf ? "record \(count + uncounted)" : "line \(file.pointee.lineno)"
    }

    /// Calls `body` once with each record overlapping any of `regions` (REF span against 1-based
    /// ranges; chromosomes by any alias), in file order for a sorted file. Regions are merged first,
    /// so overlapping ones cost one query.
    /// - Precondition: ``isIndexed``.
    /// - Throws: ``VariantsError`` when a query fails or a record cannot be parsed.
    public func forEachRecord(overlapping regions: [GenomeRegion], _ body: (VCFRecord) throws -> Void) throws {
        precondition(isIndexed, "region queries need an index")
        // In the file's own chromosome order, so a sorted file gives its records in file order.
        // Every sequence that is the chromosome by an alias (`chr1` and `1` alike): a file may name one
        // chromosome both ways, and reading it whole takes the records of each.
        let queried = GenomeRegion.merged(regions).flatMap { group in
            sequences.filter { ChromosomeNames.same($0.name, group.chromosome) }.map { (id: $0.id, spans: group.spans) }
        }.sorted { $0.id < $1.id }
        for (id, spans) in queried {
            var previousEnd = Int.min
            for span in spans {
                try query(id: id, span: span) { record in
                    // A record reaching into this span that started before the previous one ended was
                    // already given for that one.
                    if record.position < span.lowerBound, record.position <= previousEnd { return }
                    try body(record)
                }
                previousEnd = span.upperBound
            }
        }
    }

    private func query(id: Int32, span: ClosedRange<Int>, _ body: (VCFRecord) throws -> Void) throws {
        let begin = hts_pos_t(span.lowerBound - 1)
        let end = hts_pos_t(span.upperBound)
        let iterator =
            if let tabix { fusionai_tbx_itr_queryi(tabix, id, begin, end) } else {
                fusionai_bcf_itr_queryi(bcfIndex, id, begin, end)
            }
        guard let iterator else {
            throw VariantsError(.indexUnavailable, path: path, "region query \(span) failed: re-index the file")
        }
        queried = sequences.first { $0.id == id }.map { "\($0.name):\(span.lowerBound)-\(span.upperBound)" }
        queriedCount = 0
        defer {
            hts_itr_destroy(iterator)
            queried = nil
        }
        queries += 1
        while true {
            var status: Int32
            if let tabix {
                status = fusionai_tbx_itr_next(hts_get_bgzfp(file), tabix, iterator, &line)
                if status >= 0 {
                    try requireColumns()
                    status = vcf_parse(&line, header, record)
                }
            } else {
                status = fusionai_bcf_itr_next(file, iterator, record)
            }
            if status == -1, !isFaulty { return }
            try body(try current(status))
        }
    }

    /// Whether the record last parsed has a fault htslib does not fix itself (a text line it could
    /// not parse also reads as -1, the end-of-file status).
    private var isFaulty: Bool { record.pointee.errcode & ~(BCF_ERR_CTG_UNDEF | BCF_ERR_TAG_UNDEF) != 0 }

    /// The record just read, or the error its read status means.
    private func current(_ status: Int32) throws -> VCFRecord {
        count += 1
        queriedCount += 1
        // htslib reads on past some faults, flagging them: an undeclared contig or tag is tolerated
        // (it declares them itself), missing columns, bad characters and POS < 1 are not.
        guard status >= 0, !isFaulty, record.pointee.pos >= 0,
            bcf_unpack(record, BCF_UN_STR) == 0
        else {
            // Read by region, an index made for another file lands mid-record: the date check
            // cannot tell one made later.
            let index =
                isIndexed
                ? ", or an index made for another file (re-index it: `tabix -f -p vcf` or `bcftools index -f`)" : ""
            throw VariantsError(
                .corrupt, path: path,
                "\(place()) cannot be read (malformed, or a truncated file\(index)); check it with "
                    + "`bcftools view`")
        }
        let r = record.pointee
        // Past 2^40 no chromosome reaches; the bound keeps POS + len(REF) far from overflow.
        guard r.pos < 1 << 40 else {
            throw VariantsError(
                .corrupt, path: path,
                "\(place()): POS \(Int(r.pos) + 1) lies beyond any chromosome; check the file")
        }
        let alleles = (0..<Int(fusionai_bcf_n_allele(record))).map {
            fusionai_bcf_allele(record, Int32($0)).map { String(cString: $0) } ?? "."
        }
        let name = bcf_seqname(header, record).map { String(cString: $0) } ?? ""
        return VCFRecord(
            chromosome: name, position: Int(r.pos) + 1, reference: alleles.first ?? "",
            alternates: Array(alleles.dropFirst()), number: count)
    }

    /// Builds the index of a bgzip VCF (`PATH.tbi`) or a BCF (`PATH.csi`).
    /// - Throws: ``VariantsError`` when the file is not bgzip/BCF or not sorted.
    public static func buildIndex(path: String) throws {
        let probe = try VCFFile(path: path, useIndex: false)
        let status: Int32
        switch probe.kind {
        case .bcf: status = bcf_index_build3(path, nil, 14, 1)
        case .bgzipVCF:
            var conf = tbx_conf_vcf
            status = tbx_index_build(path, 0, &conf)
        case .vcf, .gzipVCF:
            throw VariantsError(
                .unsupportedFormat, path: path, "is not bgzip-compressed: compress it with `bgzip` to index it")
        }
        guard status == 0 else {
            throw VariantsError(
                .indexUnavailable, path: path, "cannot be indexed: sort it by chromosome and position (`bcftools sort`)"
            )
        }
    }
}

/// A 1-based genome range on a named chromosome.
public struct GenomeRegion: Sendable, Hashable {
    public let chromosome: String
    public let span: ClosedRange<Int>

    public init(chromosome: String, span: ClosedRange<Int>) {
        self.chromosome = chromosome
        self.span = span
    }

    /// Per chromosome (in order of first appearance), the spans sorted and with overlapping or
    /// touching ones merged.
    static func merged(_ regions: [GenomeRegion]) -> [(chromosome: String, spans: [ClosedRange<Int>])] {
        var order: [String] = []
        var byChromosome: [String: [ClosedRange<Int>]] = [:]
        for region in regions {
            if byChromosome[region.chromosome] == nil { order.append(region.chromosome) }
            byChromosome[region.chromosome, default: []].append(region.span)
        }
        return order.map { chromosome in
            var merged: [ClosedRange<Int>] = []
            for span in (byChromosome[chromosome] ?? []).sorted(by: { $0.lowerBound < $1.lowerBound }) {
                if let last = merged.last, span.lowerBound <= last.upperBound + 1 {
                    merged[merged.count - 1] = last.lowerBound...max(last.upperBound, span.upperBound)
                } else {
                    merged.append(span)
                }
            }
            return (chromosome, merged)
        }
    }
}
