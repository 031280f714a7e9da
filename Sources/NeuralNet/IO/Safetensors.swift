import Foundation

/// The safetensors format: an 8-byte little-endian header length, a JSON header naming each
/// tensor's dtype, shape and byte range, then the raw little-endian data. Safe to load: nothing in
/// it runs, and every offset is checked against the file before use.
enum Safetensors {
    /// Headers longer than this are refused (a model's header is kilobytes).
    static let headerLimit = 100 << 20

    /// What a file holds: tensors by name, and the string metadata.
    struct Contents {
        var tensors: [String: Tensor] = [:]
        var metadata: [String: String] = [:]
    }

    /// Reads every tensor (F32, or F64/F16 converted to float32) and the string metadata.
    static func read(_ path: String) throws -> Contents {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ModelError(.unreadable, path: path, "cannot be read (missing file or permissions)")
        }
        guard data.count >= 8 else { throw ModelError(.corrupt, path: path, "is too short to be a safetensors file") }
        let headerLength = data.prefix(8).withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard headerLength <= UInt64(min(headerLimit, data.count - 8)) else {
            throw ModelError(
                .corrupt, path: path,
                "safetensors header length \(headerLength) exceeds the file (truncated or not safetensors)")
        }
        let bodyStart = 8 + Int(headerLength)
        let header: JSONValue
        do {
            header = try JSONDecoder().decode(JSONValue.self, from: data.subdata(in: 8..<bodyStart))
        } catch {
            throw ModelError(.corrupt, path: path, "safetensors header is not valid JSON")
        }
        guard case .object(let entries) = header else {
            throw ModelError(.corrupt, path: path, "safetensors header is not a JSON object")
        }
        let bodyLength = data.count - bodyStart
        var contents = Contents()
        for (name, entry) in entries {
            if name == "__metadata__" {
                if case .object(let m) = entry { for (k, v) in m { if let s = v.string { contents.metadata[k] = s } } }
                continue
            }
            guard let dtype = entry["dtype"]?.string, let shape = entry["shape"]?.ints,
                let offsets = entry["data_offsets"]?.ints,
                offsets.count == 2, shape.allSatisfy({ $0 >= 0 })
            else { throw ModelError(.corrupt, path: path, "tensor '\(name)' has a malformed header entry") }
            let width: Int
            switch dtype {
            case "F32": width = 4
            case "F64": width = 8
            case "F16": width = 2
            default:
                throw ModelError(
                    .unsupportedFormat, path: path,
                    "tensor '\(name)' has dtype \(dtype); F32, F64 and F16 are supported")
            }
            let (count, overflow) = shape.reduce((1, false)) { acc, d in
                let m = acc.0.multipliedReportingOverflow(by: d)
                return (m.partialValue, acc.1 || m.overflow)
            }
            let bytes = count.multipliedReportingOverflow(by: width)
            guard !overflow, !bytes.overflow, offsets[0] >= 0, offsets[0] <= offsets[1], offsets[1] <= bodyLength,
                offsets[1] - offsets[0] == bytes.partialValue
            else {
                throw ModelError(
                    .corrupt, path: path,
                    "tensor '\(name)' has shape \(shape) but byte range \(offsets) (truncated or corrupt file)")
            }
            let stored = data.subdata(in: (bodyStart + offsets[0])..<(bodyStart + offsets[1]))
            let values: [Float] = stored.withUnsafeBytes { raw in
                switch width {
                case 4:
                    return (0..<count).map {
                        Float(
                            bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))
                        )
                    }
                case 8:
                    return (0..<count).map {
                        Float(
                            Double(
                                bitPattern: UInt64(
                                    littleEndian: raw.loadUnaligned(fromByteOffset: 8 * $0, as: UInt64.self))))
                    }
                default:
                    return (0..<count).map {
                        Float(
                            Float16(
                                bitPattern: UInt16(
                                    littleEndian: raw.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self))))
                    }
                }
            }
            contents.tensors[name] = Tensor(shape: shape, data: values)
        }
        return contents
    }

    /// The file's bytes for `tensors` (F32, names sorted) and `metadata`.
    static func encode(_ tensors: [String: Tensor], metadata: [String: String]) throws -> Data {
        var entries: [String: Any] = [:]
        var offset = 0
        let names = tensors.keys.sorted()
        for name in names {
            guard let t = tensors[name] else { continue }
            entries[name] = ["dtype": "F32", "shape": t.shape, "data_offsets": [offset, offset + 4 * t.count]]
            offset += 4 * t.count
        }
        if !metadata.isEmpty { entries["__metadata__"] = metadata }
        var header = try JSONSerialization.data(withJSONObject: entries, options: [.sortedKeys])
        // Pad the header with spaces so the data starts 8-byte aligned, as the format recommends.
        while (8 + header.count) % 8 != 0 { header.append(0x20) }
        var out = Data()
        out.reserveCapacity(8 + header.count + offset)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(header)
        for name in names {
            guard let values = tensors[name]?.data else { continue }
            #if _endian(little)
                // The values as they lie in memory: one copy (4 bytes at a time took a second for
                // a training checkpoint's 43 MB).
                values.withUnsafeBytes { out.append(contentsOf: $0) }
            #else
                for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { out.append(contentsOf: $0) } }
            #endif
        }
        return out
    }
}
