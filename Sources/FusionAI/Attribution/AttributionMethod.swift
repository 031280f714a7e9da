/// How the feature-importance score (FIS) of each position is computed.
public enum AttributionMethod: String, Sendable, CaseIterable {
    /// `max_c |dP/dx[t, c]|`: how sensitive the score is to the position.
    case saliency
    /// `sum_c dP/dx[t, c] * x[t, c]`: the gradient at the base that is there (FusionAI's default).
    case gradInput = "grad-input"
    /// Integrated gradients from a baseline (all zero, or a dinucleotide-shuffled copy):
    /// `sum_c (x - x')[t, c] * mean over steps of dP/dx` along the straight path.
    case integratedGradients = "integrated-gradients"
    /// DeepLIFT's rescale rule against one reference (all zero, or a dinucleotide-shuffled copy):
    /// `sum_c m[t, c] * (x - x')[t, c]` with multipliers `m` carried back layer by layer; the scores
    /// sum to `P(x) - P(x')`.
    case deeplift
    /// DeepLIFT against `references` seeded dinucleotide shuffles of the input, averaged (DeepLiftShap).
    case deepliftshap
    /// `P(x) - P(x with a window of N)`, averaged over the windows that cover the position.
    case occlusion
    /// In-silico mutagenesis: every alternative base at every position, exactly, by receptive-field
    /// updates; the score is the mean |ΔP(positive)| over the alternatives (the max and the full
    /// `[positions x 4]` matrix are kept too).
    case ism
}
