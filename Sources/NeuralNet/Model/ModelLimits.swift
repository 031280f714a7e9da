/// What a model may declare, checked by ``Model/init(spec:isUntrained:weights:)`` before anything
/// is allocated for it: a file that declares enormous shapes is a ``ModelError`` (`tooLarge`)
/// naming the layer, never an out-of-memory kill or an overflow trap.
public enum ModelLimits {
    /// Weights in all: 2^31 values (8 GiB of float32). The CNNs fusionai runs have a few million
    /// (FusionAI's 2.7 million); the largest sequence models published (Enformer, 250 million)
    /// fit eight times over, and the weights are held in memory whole, so a machine must have this.
    public static let parameters = 1 << 31
    /// One sample's activations: 2^28 values (1 GiB), the input and every layer's output summed, as
    /// gradients and DeepLIFT keep them all (prediction about two at a time, per thread). FusionAI's
    /// first layer alone is 5 million values (20 MB) a sample, as ``Model/predict`` notes.
    public static let activations = 1 << 28
    /// Each layer setting (units, filters, kernel and pool sizes, strides, dilation): 2^24.
    public static let setting = 1 << 24

    /// The number of values in `shape`; nil when a dimension is negative or the product overflows.
    static func count(_ shape: [Int]) -> Int? {
        var total = 1
        for dimension in shape {
            guard dimension >= 0 else { return nil }
            let (product, overflow) = total.multipliedReportingOverflow(by: dimension)
            guard !overflow else { return nil }
            total = product
        }
        return total
    }

    /// Adds `shape`'s values to `total`, refusing (`tooLarge`: "`what` past `limit` `unit`") a sum
    /// past `limit` or a shape whose count overflows.
    static func add(
        _ shape: [Int], to total: inout Int, limit: Int, unit: String, _ what: @autoclosure () -> String
    ) throws {
        guard let values = count(shape), values <= limit - total else {
            throw ModelError(.tooLarge, "\(what()) past \(limit) \(unit) (fusionai's limit)")
        }
        total += values
    }

    /// Refuses a layer whose integer settings are not in `1...setting`.
    static func check(_ layer: LayerSpec) throws {
        let settings =
            [layer.units].compactMap { $0 } + (layer.size ?? []) + (layer.strides ?? [])
            + (layer.dilation ?? [])
        guard settings.allSatisfy({ (1...setting).contains($0) }) else {
            throw ModelError(
                .tooLarge,
                "layer \(layer.name): settings \(settings) must lie between 1 and \(setting) (fusionai's limit)")
        }
    }
}
