import CHTSlib
import Foundation
import Support

extension VCFFile {
    /// An INFO field `fusionai variants --vcf-out` adds: one float per record.
    public struct InfoField: Sendable {
        public let id: String
        public let description: String

        public init(id: String, description: String) {
            self.id = id
            self.description = description
        }
    }

    /// Writes the VCF at `input` again, whole and in order, with `field` set on each record whose
    /// ``VCFRecord/key`` is in `values` (and removed from the others). The output's kind follows its
    /// name: `.bcf` BCF, `.gz` bgzip VCF, else plain VCF; it is written to a temporary file beside it
    /// and renamed into place, so a failed run leaves no partial file.
    /// - Returns: how many records got a value.
    /// - Throws: ``VariantsError`` when the input cannot be read or the output cannot be written.
    public static func writeAnnotated(
        _ input: String, to output: String, field: InfoField, values: [String: Float]
    ) throws -> Int {
        let source = try VCFFile(path: input, useIndex: false)
        let header = source.header
        // A line of that ID the input already has (another type, another tool's) would describe our
        // floats wrongly: it is replaced.
        if bcf_hdr_id2int(header, BCF_DT_ID, field.id) >= 0 {
            bcf_hdr_remove(header, BCF_HL_INFO, field.id)
        }
        let line = "##INFO=<ID=\(field.id),Number=1,Type=Float,Description=\"\(field.description)\">"
        guard bcf_hdr_append(header, line) == 0, bcf_hdr_sync(header) == 0 else {
            throw VariantsError(.writeFailed, path: output, "cannot add the \(field.id) INFO line to the header")
        }
        let binary = output.hasSuffix(".bcf")
        let mode = binary ? "wb" : output.hasSuffix(".gz") ? "wz" : "w"
        // A link is written through; standard output, a device or a pipe is written in place.
        let target = OutputTarget.resolvingLinks(output)
        let url = URL(fileURLWithPath: target)
        let inPlace = output == "-" || OutputTarget.isSpecial(target)
        let temporary =
            inPlace
            ? (output == "-" ? "-" : target)
            : OutputFile.temporaryPath(for: target)
        guard let out = hts_open(temporary, mode) else {
            throw VariantsError(.writeFailed, path: output, "cannot be written: \(SystemReason.last)")
        }
        let annotated: Int
        do {
            guard bcf_hdr_write(out, header) == 0 else {
                throw VariantsError(.writeFailed, path: output, "cannot write the header: \(SystemReason.last)")
            }
            annotated = try source.copyRecords(to: out, binary: binary, field: field, values: values, output: output)
        } catch {
            hts_close(out)
            if !inPlace { unlink(temporary) }
            throw error
        }
        guard hts_close(out) == 0 else {
            if !inPlace { unlink(temporary) }
            throw VariantsError(.writeFailed, path: output, "cannot finish the file (disk full?)")
        }
        if !inPlace, rename(temporary, target) != 0 {
            let reason = SystemReason.last
            unlink(temporary)
            throw VariantsError(.writeFailed, path: output, "cannot move the finished file into place: \(reason)")
        }
        return annotated
    }

    /// Writes each record of this file (read from its start) to `out`, with `field` set from
    /// `values` or removed.
    /// - Returns: how many records got a value.
    private func copyRecords(
        to out: UnsafeMutablePointer<htsFile>, binary: Bool, field: InfoField, values: [String: Float],
        output: String
    ) throws -> Int {
        var annotated = 0
        try forEachRecord { record in
            let r = self.record
            // A text VCF may use contigs and tags its header lacks; only BCF needs them declared.
            if !binary { r.pointee.errcode &= ~(BCF_ERR_CTG_UNDEF | BCF_ERR_TAG_UNDEF) }
            guard r.pointee.errcode == 0 else {
                throw VariantsError(
                    .writeFailed, path: output,
                    "\(self.place()) (\(record.chromosome):\(record.position)) names a contig or tag "
                        + "the header lacks: declare them (`bcftools reheader`), or write plain VCF")
            }
            bcf_unpack(r, BCF_UN_INFO)
            let status: Int32
            if var value = values[record.key] {
                status = fusionai_bcf_update_info_float(header, r, field.id, &value, 1)
                annotated += 1
            } else {
                status = fusionai_bcf_update_info_float(header, r, field.id, nil, 0)
            }
            guard status == 0, bcf_write(out, header, r) == 0 else {
                throw VariantsError(
                    .writeFailed, path: output,
                    "cannot write \(self.place()) (\(record.chromosome):\(record.position)): \(SystemReason.last)")
            }
        }
        return annotated
    }
}
