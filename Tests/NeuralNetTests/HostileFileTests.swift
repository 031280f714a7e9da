import CHDF5
import Foundation
import SeededRandom
import TestSupport
import XCTest
import ZIPFoundation

@testable import NeuralNet

/// Truncated, corrupt and hostile model files are refused with a ModelError, never a crash.
final class HostileFileTests: XCTestCase {
    private func temporary(_ name: String) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString)-\(name)")
            .path
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    /// Asserts that loading `path` fails with `code`, and that the message names each of `names`
    /// (a layer, an archive entry) where naming it is the point.
    private func assertRefused(
        _ path: String, _ code: ModelError.Code, naming names: [String] = [], file: StaticString = #filePath,
        line: UInt = #line
    ) {
        let error = assertThrows(try ModelFile.load(path), ModelError.self, code: code, file: file, line: line)
        for name in names {
            XCTAssertTrue(
                error?.description.contains(name) ?? false, "'\(error?.description ?? "")' should name '\(name)'",
                file: file, line: line)
        }
    }

    func testTruncatedFilesOfEveryFormat() throws {
        for name in ["fusionai_small.keras2.h5", "fusionai_small.keras3.h5", "fusionai_small.keras"] {
            let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path(name)))
            for fraction in [0.02, 0.5, 0.97] {
                let path = temporary(name)
                try data.prefix(Int(Double(data.count) * fraction)).write(to: URL(fileURLWithPath: path))
                XCTAssertThrowsError(try ModelFile.load(path), "\(name) cut at \(fraction)") {
                    XCTAssertTrue($0 is ModelError, "\($0)")
                }
            }
        }
    }

    func testNotAModelAndEmptyFiles() throws {
        let text = temporary("model.h5")
        try "hello, I am text\n".write(toFile: text, atomically: false, encoding: .utf8)
        assertRefused(text, .unsupportedFormat)
        let empty = temporary("empty.bin")
        _ = FileManager.default.createFile(atPath: empty, contents: Data())
        assertRefused(empty, .unsupportedFormat)
        assertRefused(temporary("missing.h5"), .unreadable)
    }

    /// A Keras-2-like HDF5 file with the given model_config and float datasets (dims only declared).
    private func kerasFile(
        config: String, layer: String, datasets: [(String, [hsize_t])], chunked: Bool = false
    ) -> String {
        let path = temporary("crafted.h5")
        let file = H5Fcreate(path, fusionai_H5F_ACC_TRUNC(), fusionai_H5P_DEFAULT(), fusionai_H5P_DEFAULT())
        func attribute(_ object: hid_t, _ name: String, _ values: [String]) {
            let type = H5Tcopy(fusionai_H5T_C_S1())
            let width = max(1, values.map(\.utf8.count).max() ?? 1)
            H5Tset_size(type, width)
            var dims = [hsize_t(values.count)]
            let space =
                values.count == 1 && name == "model_config" ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &dims, nil)
            var bytes = [UInt8](repeating: 0, count: width * values.count)
            for (i, v) in values.enumerated() { for (j, b) in v.utf8.enumerated() { bytes[i * width + j] = b } }
            let a = H5Acreate2(object, name, type, space, fusionai_H5P_DEFAULT(), fusionai_H5P_DEFAULT())
            H5Awrite(a, type, bytes)
            H5Aclose(a)
            H5Sclose(space)
            H5Tclose(type)
        }
        attribute(file, "model_config", [config])
        let weights = H5Gcreate2(
            file, "model_weights", fusionai_H5P_DEFAULT(), fusionai_H5P_DEFAULT(), fusionai_H5P_DEFAULT())
        attribute(weights, "layer_names", [layer])
        let group = H5Gcreate2(weights, layer, fusionai_H5P_DEFAULT(), fusionai_H5P_DEFAULT(), fusionai_H5P_DEFAULT())
        attribute(group, "weight_names", datasets.map(\.0))
        for (name, dims) in datasets {
            var d = dims
            // Contiguous storage is allocated when data is written: huge declared sizes cost nothing on disk.
            let plist = H5Pcreate(fusionai_H5P_DATASET_CREATE())
            if chunked {
                var chunk = dims.map { min($0, 16) }
                H5Pset_chunk(plist, Int32(d.count), &chunk)
            }
            let space = H5Screate_simple(Int32(d.count), &d, nil)
            let ds = H5Dcreate2(
                group, name, fusionai_H5T_NATIVE_FLOAT(), space, fusionai_H5P_DEFAULT(), plist, fusionai_H5P_DEFAULT())
            H5Dclose(ds)
            H5Sclose(space)
            H5Pclose(plist)
        }
        H5Gclose(group)
        H5Gclose(weights)
        H5Fclose(file)
        return path
    }

    private func denseConfig(units: Int) -> String {
        #"{"class_name": "Sequential", "config": {"name": "m", "layers": ["#
            + #"{"class_name": "InputLayer", "config": {"batch_input_shape": [null, 3]}}, "#
            + #"{"class_name": "Dense", "config": {"name": "dense", "units": \#(units), "#
            + #""activation": "linear", "use_bias": true}}]}}"#
    }

    func testWeightsOfTheWrongShapeAreRefusedBeforeReading() throws {
        let path = kerasFile(
            config: denseConfig(units: 2), layer: "dense", datasets: [("kernel:0", [3, 5]), ("bias:0", [2])])
        assertRefused(path, .shapeMismatch)
    }

    func testAbsurdSizesAreRefusedWithoutAllocating() throws {
        // A dataset declaring 2^40 x 2 values: its shape disagrees with the layer, so nothing is read.
        let huge = kerasFile(
            config: denseConfig(units: 2), layer: "dense", datasets: [("kernel:0", [1 << 40, 2]), ("bias:0", [2])])
        assertRefused(huge, .shapeMismatch)
        // A configuration asking for 2^40 units.
        let units = kerasFile(config: denseConfig(units: 1 << 40), layer: "dense", datasets: [])
        assertRefused(units, .tooLarge)
    }

    /// Chunked datasets (compressed or resizable; Keras writes neither) are refused before libhdf5
    /// reads their chunk index, which HDF5Structure does not check.
    func testChunkedDatasetsAreUnsupported() throws {
        let path = kerasFile(
            config: denseConfig(units: 2), layer: "dense", datasets: [("kernel:0", [3, 2]), ("bias:0", [2])],
            chunked: true)
        assertRefused(path, .unsupportedFormat, naming: ["chunked"])
    }

    func testUnsupportedLayersAreNamed() throws {
        let config =
            #"{"class_name": "Sequential", "config": {"name": "m", "layers": ["#
            + #"{"class_name": "InputLayer", "config": {"batch_input_shape": [null, 10, 4]}}, "#
            + #"{"class_name": "LSTM", "config": {"name": "lstm_7", "units": 8}}]}}"#
        assertRefused(
            kerasFile(config: config, layer: "lstm_7", datasets: []), .unsupportedLayer, naming: ["lstm_7", "LSTM"])
    }

    func testZipEntriesThatEscapeTheFolderAreRefused() throws {
        let path = temporary("evil.keras")
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        let config = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("fusionai_small.keras3.h5"))).prefix(0)
        for name in ["config.json", "model.weights.h5", "../../etc/evil.sh"] {
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(config.count + 2)) { position, size in
                Data("{}".utf8).subdata(in: Int(position)..<Int(position) + size)
            }
        }
        assertRefused(path, .corrupt, naming: ["../../etc/evil.sh"])
    }

    /// A `.keras` is a zip only if its end record lies in its last 22 + 65,535 bytes (KerasArchive
    /// looks there once instead of letting ZIPFoundation seek back through the whole file a byte at a
    /// time): junk appended within that still loads, more is refused, as Python's zipfile refuses it.
    func testZipEndRecordIsLookedForWhereAZipHasIt() throws {
        let keras = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("conv2d_stride_same.keras")))
        let near = temporary("near.keras")
        try (keras + Data(repeating: 7, count: 1_000)).write(to: URL(fileURLWithPath: near))
        XCTAssertNoThrow(try ModelFile.load(near))
        let far = temporary("far.keras")
        try (keras + Data(repeating: 7, count: 70_000)).write(to: URL(fileURLWithPath: far))
        assertRefused(far, .corrupt, naming: ["is not a readable zip archive"])
        // A zip's first bytes, then a megabyte of nothing.
        let zip: [UInt8] = [0x50, 0x4B, 3, 4]
        let empty = temporary("empty.keras")
        try Data(zip + [UInt8](repeating: 0, count: 1 << 20)).write(to: URL(fileURLWithPath: empty))
        assertRefused(empty, .corrupt, naming: ["is not a readable zip archive"])
        let tiny = temporary("tiny.keras")
        try Data(zip + [0x50, 0x4B, 5, 6]).write(to: URL(fileURLWithPath: tiny))
        XCTAssertFalse(try KerasArchive.hasEndRecord(tiny))
        assertRefused(tiny, .corrupt)
    }

    /// A local heap whose free list comes back to a block it has passed is refused at once (it went
    /// round 100,000 times first, most of the model fuzzer's time on inputs with such a loop).
    func testALoopInALocalHeapFreeListIsRefused() throws {
        // conv2d_stride_same.keras2.h5's first heap: data at 712, free list at offset 24, whose
        // "next" (bytes 736...) is made 24 again.
        let looped = try write(Damage(fixture: "conv2d_stride_same.keras2.h5", bytes: [736: 24]))
        assertRefused(looped, .corrupt, naming: ["local heap free list"])
    }

    func testHostileSafetensors() throws {
        func write(_ header: String, body: Int, lengthOverride: UInt64? = nil) throws -> String {
            var data = Data()
            let h = Data(header.utf8)
            withUnsafeBytes(of: (lengthOverride ?? UInt64(h.count)).littleEndian) { data.append(contentsOf: $0) }
            data.append(h)
            data.append(Data(count: body))
            let path = temporary("m.safetensors")
            try data.write(to: URL(fileURLWithPath: path))
            return path
        }
        assertRefused(try write("{}", body: 0, lengthOverride: 1 << 60), .corrupt)
        assertRefused(
            try write(#"{"a": {"dtype": "F32", "shape": [1000000], "data_offsets": [0, 4000000]}}"#, body: 16),
            .corrupt)
        assertRefused(
            try write(
                #"{"a": {"dtype": "F32", "shape": [4611686018427387904, 4], "data_offsets": [0, 16]}}"#, body: 16),
            .corrupt)
        assertRefused(
            try write(#"{"a": {"dtype": "F32", "shape": [3], "data_offsets": [0, 16]}}"#, body: 16),
            .corrupt)
        assertRefused(
            try write(#"{"a": {"dtype": "I64", "shape": [2], "data_offsets": [0, 16]}}"#, body: 16),
            .unsupportedFormat)
        assertRefused(
            try write(#"{"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}"#, body: 8),
            .unsupportedFormat)
    }

    /// A fixture with some bytes overwritten: the damaged copies that crashed libhdf5 (1.10) in
    /// `H5HG_read` (an out-of-range heap index, or a heap object larger than the string's stated
    /// length copied over its buffer) or made it loop for ever on a zero-sized heap object.
    private struct Damage {
        let fixture: String
        let bytes: [Int: UInt8]
    }

    private static let crashers = [
        Damage(fixture: "conv2d_stride_same.keras2.h5", bytes: [1942: 90]),
        Damage(fixture: "conv1d_zoo_gavg.keras3.h5", bytes: [8705: 159, 30442: 113]),
        Damage(
            fixture: "fusionai_small.keras2.h5", bytes: [8587: 143, 98989: 41, 249908: 16, 262840: 187, 389982: 169]),
        Damage(
            fixture: "fusionai_functional.keras2.h5",
            bytes: [8221: 147, 11578: 214, 48920: 52, 81924: 234, 85580: 96, 85721: 235, 151702: 98]),
        Damage(
            fixture: "conv1d_zoo_gavg.keras2.h5",
            bytes: [7080: 172, 7278: 1, 14763: 192, 16839: 195, 25857: 175, 31964: 100]),
        Damage(
            fixture: "conv1d_zoo_gmax.keras2.h5",
            bytes: [364: 149, 3453: 152, 7269: 146, 12655: 95, 17209: 186, 24671: 39, 30309: 22]),
        Damage(fixture: "conv1d_zoo_gavg.keras2.h5", bytes: [6882: 36, 17272: 202]),
        Damage(fixture: "conv1d_zoo_gavg.keras3.h5", bytes: [1054: 253, 17408: 23]),
        Damage(
            fixture: "conv2d_stride_same.keras2.h5",
            bytes: [4954: 150, 5734: 217, 6834: 82, 7144: 128, 8192: 70, 9546: 34, 14282: 91, 16525: 244]),
        Damage(
            fixture: "conv1d_zoo_gmax.keras3.h5",
            bytes: [939: 108, 4016: 216, 5922: 223, 8788: 215, 13766: 191, 17385: 5, 22754: 184]),
        Damage(
            fixture: "conv1d_zoo_gmax.keras3.h5",
            bytes: [8663: 88, 11263: 155, 16405: 12, 18289: 44, 22019: 103, 27000: 163, 29728: 81, 34138: 47]),
        Damage(
            fixture: "conv1d_zoo_gavg.keras2.h5",
            bytes: [7487: 48, 8355: 9, 26390: 139, 28275: 169, 31790: 166, 34201: 15]),
        Damage(
            fixture: "conv1d_zoo_gavg.keras3.h5",
            bytes: [1991: 16, 2023: 27, 20977: 35, 35957: 69, 38255: 77, 38575: 20, 41584: 117]),
        Damage(
            fixture: "conv1d_zoo_gavg.keras2.h5",
            bytes: [3274: 51, 5324: 155, 7512: 93, 17083: 66, 19958: 30, 28382: 63]),
        Damage(
            fixture: "conv1d_zoo_gavg.keras2.h5",
            bytes: [3784: 91, 8253: 205, 12320: 186, 12424: 180, 18030: 197, 18036: 97, 25582: 254, 26267: 155]),
        Damage(
            fixture: "fusionai_small.keras3.h5",
            bytes: [49475: 169, 129573: 112, 152295: 115, 200447: 35, 251385: 227, 397226: 220]),
        Damage(fixture: "conv1d_zoo_gavg.keras2.h5", bytes: [2436: 102, 7273: 17, 18887: 126]),
    ]

    private func write(_ damage: Damage) throws -> String {
        var data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Fixtures.path(damage.fixture))))
        for (offset, byte) in damage.bytes where offset < data.count { data[offset] = byte }
        let path = temporary(damage.fixture)
        try Data(data).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Each check the fuzzer's two libhdf5 over-reads (fuzz/regressions/model) call for, on damage
    /// made by hand (the fuzzer's inputs differ from their seeds in thousands of bytes and are refused
    /// at other structures first). One byte turns an empty `weight_names` (h5py writes a float64
    /// array of shape (0,)) into a scalar whose 8 bytes are not in the message: libhdf5 1.10.8 alone,
    /// under AddressSanitizer, copies them past its buffer with the fuzzer's stack (memcpy <-
    /// H5O__msg_iterate_real <- H5O__attr_exists). The second points the root group's B-tree key 1
    /// at the heap's last 8 bytes, overwritten so no NUL ends the name, the shape of the strcmp
    /// over-read (libhdf5 fails on this one without reading out of bounds).
    func testAttributeDataAndHeapNamesAreCheckedAgainstTheirContainers() throws {
        let attribute = try write(Damage(fixture: "conv2d_stride_same.keras3.h5", bytes: [17289: 0]))
        assertRefused(attribute, .corrupt, naming: ["attribute (its data overruns the message)"])
        var unterminated: [Int: UInt8] = [176: 80]
        for offset in 792..<800 { unterminated[offset] = 0x41 }
        let key = try write(Damage(fixture: "conv2d_stride_same.keras2.h5", bytes: unterminated))
        assertRefused(key, .corrupt, naming: ["B-tree key (its name runs past the group's heap)"])
    }

    func testDamagedFilesThatCrashedLibHDF5AreCorrupt() throws {
        for damage in Self.crashers {
            assertRefused(try write(damage), .corrupt)
        }
    }

    /// Model files the fuzzer (scripts/fuzz.sh) found a problem with, kept in Tests/Fixtures/hostile
    /// (and fuzz/regressions/model): each is refused as corrupt. `hdf5_huge_cache_entry.h5` made
    /// libhdf5 ask for an 8-exabyte metadata cache entry; `hdf5_symbol_table_strcmp_overread.h5` made
    /// it read past a group's local heap (a B-tree key's name without its NUL) and
    /// `hdf5_attribute_message_memcpy_overrun.h5` past an object header (an attribute whose data is
    /// longer than its message): HDF5Structure refuses both of these before libhdf5 opens the file.
    func testFilesTheFuzzerFoundAreRefused() throws {
        let folder = URL(fileURLWithPath: Fixtures.folder).deletingLastPathComponent().appendingPathComponent("hostile")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        XCTAssertFalse(names.isEmpty)
        for name in names {
            assertRefused(folder.appendingPathComponent(name).path, .corrupt)
        }
    }

    /// A few hundred seeded copies with 1-8 bytes overwritten: each loads or throws a ModelError
    /// (in process: a crash or a hang fails the suite).
    func testRandomlyDamagedKerasFilesNeverCrash() throws {
        let fixtures = [
            "conv1d_zoo_gavg.keras2.h5", "conv1d_zoo_gavg.keras3.h5", "conv1d_zoo_gmax.keras2.h5",
            "conv2d_stride_same.keras2.h5", "conv2d_stride_same.keras3.h5",
        ]
        let sizes = try fixtures.map {
            try Data(contentsOf: URL(fileURLWithPath: Fixtures.path($0))).count
        }
        var random = SeededGenerator(seed: 15)
        for copy in 0..<300 {
            let index = random.int(in: 0...(fixtures.count - 1))
            var bytes: [Int: UInt8] = [:]
            for _ in 0..<random.int(in: 1...8) {
                bytes[random.int(in: 0...(sizes[index] - 1))] = UInt8(random.int(in: 0...255))
            }
            let damage = Damage(fixture: fixtures[index], bytes: bytes)
            do {
                _ = try ModelFile.load(try write(damage))
            } catch {
                XCTAssertTrue(error is ModelError, "copy \(copy) of \(damage.fixture): \(error)")
            }
        }
    }
}
