import Genome

/// Windows with a variant applied, by FusionAI's window rule (``WindowRule``).
///
/// The variant is applied to the genome in genome coordinates, then the window is derived again by
/// the same rule around the same breakpoint base, and reverse-complemented on `-` as always. For a
/// substitution (SNV or MNV) this changes the window's bases at the variant and nothing else.
///
/// **Indels** keep the window 10,000 nt long and anchored at its breakpoint: the breakpoint base keeps
/// its window index (4999 on `+`, 5000 on `-`), and so do the bases between it and the variant.
/// An insertion pushes the bases beyond it (away from the breakpoint) out of the window's far end;
/// a deletion pulls further genome bases in at that end (N past a chromosome end, as the rule pads).
/// An indel anchored on the breakpoint base (VCF's shared first base) lies after it in genome order.
/// An indel that deletes or replaces the breakpoint base itself would have to be split across the
/// junction in an undefined way: it is skipped (``VariantSkip/Reason/indelAtBreakpoint``).
public enum VariantWindows {
    /// Which window of a fusion a variant lies in.
    public enum Side: String, Sendable, CaseIterable {
        case head, tail
    }

    /// Checks the variant's alleles and its REF against the genome.
    /// - Returns: why the variant cannot be applied, or nil when it can.
    /// - Throws: ``GenomeError`` when the genome cannot be read.
    public static func check(
        _ variant: SequenceVariant, chromosome: ChromosomeNames.Match, reader: SequenceReader
    ) throws -> VariantSkip? {
        if let reason = variant.unusable {
            let detail =
                switch reason {
                case .noAllele: "no alternate allele ('.' or '*')"
                case .symbolicAllele: "ALT '\(variant.alternate)' is symbolic: no sequence to apply"
                case .sameAsReference: "ALT is REF: nothing changes"
                default:
                    "REF '\(variant.reference)' or ALT '\(variant.alternate)' is empty or has letters other than "
                        + "A, C, G, T, N"
                }
            return VariantSkip(reason, "\(variant.label): " + detail)
        }
        let span = variant.record.span
        guard span.lowerBound >= 1, span.upperBound <= chromosome.length else {
            return VariantSkip(
                .pastChromosomeEnd,
                "\(variant.label): REF ends at \(span.upperBound), past \(chromosome.name) (\(chromosome.length) nt)")
        }
        let genome = try reader.bases(chromosome.name, from: span.lowerBound - 1, to: span.upperBound)
        guard genome.elementsEqual(variant.reference.utf8) else {
            return VariantSkip(
                .referenceMismatch,
                "\(variant.label): REF is \(variant.reference) but the genome has "
                    + "\(String(decoding: genome, as: UTF8.self)) at \(chromosome.name):\(span.lowerBound) "
                    + "(a VCF of another build, or not normalised against this genome?)")
        }
        return nil
    }

    /// The window of `breakpoint` with `variant` applied (already ``check(_:chromosome:reader:)``-ed).
    /// - Parameter chromosome: the breakpoint's chromosome in the genome (the variant's, too).
    /// - Returns: the 10,000 bases in transcript orientation, or why the indel cannot be applied.
    /// - Throws: ``GenomeError`` when the genome cannot be read.
    public static func window(
        around breakpoint: Breakpoint, chromosome: ChromosomeNames.Match, applying variant: SequenceVariant,
        reader: SequenceReader
    ) throws -> Result<[UInt8], VariantSkip> {
        let span = variant.record.span
        let change = variant.alternate.utf8.count - variant.reference.utf8.count
        if change != 0, changes(variant, base: breakpoint.position) {
            return .failure(
                VariantSkip(
                    .indelAtBreakpoint,
                    "\(variant.label): the indel deletes or replaces the \(breakpoint.gene) breakpoint base "
                        + "\(chromosome.name):\(breakpoint.position)"))
        }
        let edited = EditedSequence(
            reader, name: chromosome.name, start: span.lowerBound - 1, referenceLength: variant.reference.utf8.count,
            alternate: Array(variant.alternate.utf8))
        // The breakpoint base moves with the length change when the variant lies before it.
        let position = span.upperBound < breakpoint.position ? breakpoint.position + change : breakpoint.position
        let editedChromosome = ChromosomeNames.Match(
            name: chromosome.name, length: chromosome.length + change, isAlias: chromosome.isAlias)
        let window = try WindowRule.window(
            in: edited, chromosome: editedChromosome, position: position, strand: breakpoint.strand)
        return .success(window.bases)
    }

    /// Whether an indel changes genome base `position` (deletes or replaces it). VCF writes an indel
    /// on the base before it, which both alleles keep: an insertion or deletion anchored on the
    /// breakpoint base lies wholly after it and leaves the base itself as it was.
    private static func changes(_ variant: SequenceVariant, base position: Int) -> Bool {
        let span = variant.record.span
        let anchored = variant.reference.utf8.first == variant.alternate.utf8.first
        return span.contains(position) && !(anchored && position == span.lowerBound)
    }

    /// The variant's POS relative to the breakpoint in transcript orientation: `POS - bp` on `+`,
    /// `bp - POS` on `-`. Negative: 5' of the breakpoint (before it in the window).
    public static func offset(of variant: SequenceVariant, from breakpoint: Breakpoint) -> Int {
        let d = variant.record.position - breakpoint.position
        return breakpoint.strand == .minus ? -d : d
    }

    /// Whether the variant's REF reaches into the window of `breakpoint`.
    public static func overlaps(_ variant: SequenceVariant, windowOf breakpoint: Breakpoint) -> Bool {
        variant.record.span.overlaps(WindowRule.span(around: breakpoint.position))
    }
}
