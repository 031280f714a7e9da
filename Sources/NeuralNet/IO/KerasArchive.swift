import Foundation
import ZIPFoundation

/// Keras 3 `.keras` archives: a zip of `config.json` (the architecture) and `model.weights.h5`.
///
/// In the weights file, layer `L`'s variables are `layers/<key>/vars/0, 1, ...` in the layer's
/// weight order, where `<key>` is a name Keras makes up from the class (`conv2d_1` may hold the
/// layer named `conv2d_2`); the real name is the `vars` group's `name` attribute, so keys are
/// matched through it. Nothing is extracted by an entry's own path, and an archive with any entry
/// that would escape its folder is refused outright.
enum KerasArchive {
    /// Upper bounds on what is read out of the archive, whatever its headers claim.
    static let configLimit = 64 << 20
    static let weightsLimit = 8 << 30

    /// Whether a zip's end-of-central-directory signature lies where a zip's must: in the last
    /// 22 + 65,535 bytes (its record, and a comment of at most 65,535 bytes after it), as Python's
    /// zipfile, which writes `.keras` files, looks for it. ZIPFoundation looks one byte at a time
    /// back through the whole file, a seek and a read each: a large file that is no zip took a
    /// system call pair per byte to refuse (and every such input cost the fuzzer 130,000 of them).
    static func hasEndRecord(_ path: String) throws -> Bool {
        let file = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? file.close() }
        let size = try file.seekToEnd()
        let record: UInt64 = 22
        guard size >= record else { return false }
        let from = size - min(size, record + 65_535)
        try file.seek(toOffset: from)
        let tail = [UInt8](try file.readToEnd() ?? Data())
        // `PK\5\6`, starting 22 bytes before the end or earlier (ZIPFoundation reads the record from it);
        // memchr finds each `P`, as a byte loop took the fuzzer's model harness a seventh of its time.
        let last = tail.count - Int(record)
        return tail.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return false }
            var from = 0
            while from <= last, let hit = memchr(base + from, 0x50, last + 1 - from) {
                let at = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
                if buffer[at + 1] == 0x4B, buffer[at + 2] == 5, buffer[at + 3] == 6 { return true }
                from = at + 1
            }
            return false
        }
    }

    /// A file without a zip's end record (reported as every unreadable archive is).
    private struct NotAZip: Error {}

    static func load(_ path: String) throws -> Model {
        let archive: Archive
        do {
            guard try hasEndRecord(path) else { throw NotAZip() }
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw ModelError(.corrupt, path: path, "is not a readable zip archive (.keras)")
        }
        for entry in archive where !isSafe(entry.path) {
            throw ModelError(
                .corrupt, path: path, "zip entry '\(entry.path)' points outside the archive's folder; refusing the file"
            )
        }
        guard let configEntry = archive["config.json"], let weightsEntry = archive["model.weights.h5"] else {
            throw ModelError(
                .unsupportedFormat, path: path, "is not a Keras archive: it lacks config.json or model.weights.h5")
        }
        let config = try read(configEntry, from: archive, limit: configLimit, path: path)
        let spec = try KerasModelConfig.spec(fromJSON: String(decoding: config, as: UTF8.self), path: path)

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "fusionai-keras-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: folder) }
        let weightsPath = folder.appendingPathComponent("model.weights.h5").path
        guard FileManager.default.createFile(atPath: weightsPath, contents: nil),
            let handle = FileHandle(forWritingAtPath: weightsPath)
        else {
            throw ModelError(.unwritable, path: path, "could not unpack the weights into \(folder.path)")
        }
        var written = 0
        do {
            _ = try archive.extract(weightsEntry, skipCRC32: false) { chunk in
                written += chunk.count
                guard written <= weightsLimit else {
                    throw ModelError(.tooLarge, path: path, "model.weights.h5 is larger than \(weightsLimit >> 30) GB")
                }
                handle.write(chunk)
            }
            try handle.close()
        } catch let error as ModelError {
            throw error
        } catch {
            throw ModelError(.corrupt, path: path, "model.weights.h5 cannot be unpacked (truncated or corrupt archive)")
        }

        let weights = try HDF5File(path: weightsPath)
        var keys: [String: String] = [:]  // layer name -> group key
        if weights.exists("/layers") {
            for key in try weights.children(of: "/layers") {
                if let name = try weights.string(attribute: "name", of: "/layers/\(key)/vars") { keys[name] = key }
            }
        }
        let specs = Dictionary(spec.layers.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        return try Model(spec: spec) { layer, weight, shape in
            guard let key = keys[layer] else {
                throw ModelError(.missingWeight, path: path, "has no weights for layer '\(layer)'")
            }
            guard let index = specs[layer]?.weightNames.firstIndex(of: weight) else {
                throw ModelError(.missingWeight, path: path, "layer '\(layer)' has no weight '\(weight)'")
            }
            return try weights.floats("/layers/\(key)/vars/\(index)", expected: shape)
        }
    }

    /// A relative path with no `..` component and no backslash (zip-slip).
    static func isSafe(_ entryPath: String) -> Bool {
        !entryPath.hasPrefix("/") && !entryPath.contains("\\")
            && !entryPath.split(separator: "/", omittingEmptySubsequences: false).contains("..")
    }

    private static func read(_ entry: Entry, from archive: Archive, limit: Int, path: String) throws -> Data {
        var data = Data()
        do {
            _ = try archive.extract(entry) { chunk in
                guard data.count + chunk.count <= limit else {
                    throw ModelError(.tooLarge, path: path, "\(entry.path) is too large")
                }
                data.append(chunk)
            }
        } catch let error as ModelError {
            throw error
        } catch {
            throw ModelError(.corrupt, path: path, "\(entry.path) cannot be unpacked (truncated or corrupt archive)")
        }
        return data
    }
}
