import Foundation
import Support

/// Model files: Keras HDF5 (`.h5`), Keras 3 archives (`.keras`) and the native format (a
/// `.safetensors` file whose metadata holds the architecture), told apart by their first bytes.
public enum ModelFile {
    public enum Format: String, Sendable {
        case kerasHDF5 = "Keras HDF5"
        case kerasArchive = "Keras archive"
        case native = "fusionai safetensors"
    }

    /// The metadata key under which the native format keeps the ``ModelSpec`` JSON.
    static let architectureKey = "fusionai.architecture"
    /// Present (`"true"`) on models with random weights.
    static let untrainedKey = "fusionai.untrained"

    /// The format of the file at `path`.
    /// - Throws: ``ModelError`` when it is none of them.
    public static func format(of path: String) throws -> Format {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw ModelError(.unreadable, path: path, "is a folder, not a model file")
        }
        // Opening a named pipe waits for a writer (forever, when none comes); models are read at offsets.
        if OutputTarget.isSpecial(path) {
            throw ModelError(.unreadable, path: path, "is a named pipe, device or socket, not a model file")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ModelError(.unreadable, path: path, "cannot be read (missing file or permissions)")
        }
        defer { try? handle.close() }
        let head: [UInt8]
        do {
            head = [UInt8](try handle.read(upToCount: 16) ?? Data())
        } catch {
            throw ModelError(.unreadable, path: path, "cannot be read (\(SystemReason.of(error)))")
        }
        if head.starts(with: [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]) { return .kerasHDF5 }
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return .kerasArchive }
        if head.count >= 9, head[8] == UInt8(ascii: "{") { return .native }
        // HDF5 allows a user block before the signature (512, 1024, ... bytes); libhdf5 finds it.
        if path.hasSuffix(".h5") || path.hasSuffix(".hdf5") { return .kerasHDF5 }
        throw ModelError(
            .unsupportedFormat, path: path,
            "is not a model file fusionai reads (Keras .h5, .keras, or fusionai .safetensors)")
    }

    /// JSON with sorted keys: Swift's dictionaries order keys differently in every process, and a
    /// model file should be the same bytes for the same model.
    static func stableJSON(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(value)
    }

    /// Loads a model from any supported file.
    public static func load(_ path: String) throws -> Model {
        switch try format(of: path) {
        case .kerasHDF5: return try KerasHDF5.load(path)
        case .kerasArchive: return try KerasArchive.load(path)
        case .native: return try loadNative(path)
        }
    }

    /// Writes `model` in the format its name asks for: `.h5`/`.hdf5` Keras 2 HDF5 (``KerasHDF5Writer``),
    /// any other name the native format, which keeps ``Model/isUntrained``.
    /// - Throws: ``ModelError`` (`invalidArgument` for a `.keras` name: no Keras 3 archive is written).
    public static func save(_ model: Model, to path: String) throws {
        try requireWritableFormat(path)
        if path.hasSuffix(".h5") || path.hasSuffix(".hdf5") {
            // Keras has no layer for the encoding: the file would hold a bare network that no reader,
            // fusionai's included, could feed.
            if let encoding = model.spec.encoding {
                throw ModelError(
                    .invalidArgument, path: path,
                    "the model reads its input as \(encoding), which Keras HDF5 cannot say: keep it as .safetensors")
            }
            try KerasHDF5Writer.write(model, to: path)
        } else {
            try saveNative(model, to: path, untrained: model.isUntrained)
        }
    }

    /// Refuses a name ``save(_:to:)`` cannot honour, for commands that check before long work.
    /// - Throws: ``ModelError`` (`invalidArgument`) for a `.keras` name.
    public static func requireWritableFormat(_ path: String) throws {
        guard !path.hasSuffix(".keras") else {
            throw ModelError(
                .invalidArgument, path: path,
                "fusionai writes .safetensors (native) or .h5 (Keras HDF5) models, not Keras 3 archives: name the "
                    + "output .safetensors or .h5")
        }
    }

    /// Writes `model` in the native format (atomically: a temporary file renamed into place).
    /// - Parameter untrained: marks random weights, so tools can warn that scores mean nothing.
    public static func saveNative(_ model: Model, to path: String, untrained: Bool = false) throws {
        let architecture = String(decoding: try ModelFile.stableJSON(model.spec), as: UTF8.self)
        var metadata = [architectureKey: architecture, "format": "pt"]
        if untrained { metadata[untrainedKey] = "true" }
        let data = try Safetensors.encode(model.weights, metadata: metadata)
        // OutputFile, not FileManager.createFile: on Linux that writes a `.dat.nosync*` temporary of
        // its own, which a kill leaves behind where no sweep knows it.
        _ = try OutputTarget.regularFile(path)
        try OutputFile.write(data, to: path)
    }

    static func loadNative(_ path: String) throws -> Model {
        let contents = try Safetensors.read(path)
        guard let architecture = contents.metadata[architectureKey] else {
            throw ModelError(
                .unsupportedFormat, path: path,
                "is a safetensors file without a fusionai architecture (metadata '\(architectureKey)')")
        }
        let spec: ModelSpec
        do {
            spec = try JSONDecoder().decode(ModelSpec.self, from: Data(architecture.utf8))
        } catch {
            throw ModelError(.corrupt, path: path, "its architecture metadata is not a valid model description")
        }
        return try Model(spec: spec, isUntrained: contents.metadata[untrainedKey] == "true") { layer, weight, _ in
            guard let t = contents.tensors["\(layer)/\(weight)"] else {
                throw ModelError(.missingWeight, path: path, "has no tensor '\(layer)/\(weight)'")
            }
            return t
        }
    }
}
