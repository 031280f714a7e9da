import CFFTW
import CHDF5
import COpenBLAS
import Foundation
import XCTest

/// Proves the three numeric libraries the network engine will stand on are found, linked and
/// give right answers, so set-up problems show here and not in a later model test.
final class NativeLibrariesTests: XCTestCase {
    func testFFTWRealTransformMatchesADirectDFT() {
        let n = 64
        let input = UnsafeMutablePointer<Float>.allocate(capacity: n)
        let output = UnsafeMutablePointer<fftwf_complex>.allocate(capacity: n / 2 + 1)
        defer {
            input.deallocate()
            output.deallocate()
        }
        let plan = fftwf_plan_dft_r2c_1d(Int32(n), input, output, UInt32(FFTW_ESTIMATE))
        defer { fftwf_destroy_plan(plan) }
        let signal = (0..<n).map { Float(sin(Double($0) * 0.7) + 0.25 * Double($0 % 5)) }
        for i in 0..<n { input[i] = signal[i] }
        fftwf_execute(plan)
        for k in 0...(n / 2) {
            var re = 0.0
            var im = 0.0
            for t in 0..<n {
                let angle = -2 * Double.pi * Double(k * t) / Double(n)
                re += Double(signal[t]) * cos(angle)
                im += Double(signal[t]) * sin(angle)
            }
            XCTAssertEqual(Double(output[k].0), re, accuracy: 1e-4, "bin \(k) real")
            XCTAssertEqual(Double(output[k].1), im, accuracy: 1e-4, "bin \(k) imaginary")
        }
    }

    func testOpenBLASMatrixProductMatchesHandComputedValues() {
        // [[1 2 3] [4 5 6]] x [[7 8] [9 10] [11 12]] = [[58 64] [139 154]]
        let a: [Float] = [1, 2, 3, 4, 5, 6]
        let b: [Float] = [7, 8, 9, 10, 11, 12]
        var c = [Float](repeating: 0, count: 4)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, 2, 2, 3, 1, a, 3, b, 2, 0, &c, 2)
        XCTAssertEqual(c, [58, 64, 139, 154])
    }

    func testHDF5WritesAndReadsBackADatasetAndAStringAttribute() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fusionai-\(UUID().uuidString).h5")
            .path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let values: [Float] = [0.5, -1.25, 3, 4.75, 8, -0.125]

        let file = H5Fcreate(path, fusionai_H5F_ACC_TRUNC(), fusionai_H5P_DEFAULT(), fusionai_H5P_DEFAULT())
        XCTAssertGreaterThanOrEqual(file, 0)
        var dims: [hsize_t] = [2, 3]
        let space = H5Screate_simple(2, &dims, nil)
        let dataset = H5Dcreate2(
            file, "kernel", fusionai_H5T_NATIVE_FLOAT(), space, fusionai_H5P_DEFAULT(), fusionai_H5P_DEFAULT(),
            fusionai_H5P_DEFAULT())
        XCTAssertEqual(
            H5Dwrite(
                dataset, fusionai_H5T_NATIVE_FLOAT(), fusionai_H5S_ALL(), fusionai_H5S_ALL(), fusionai_H5P_DEFAULT(),
                values), 0)
        let text = "{\"class_name\": \"Sequential\"}"
        let stringType = H5Tcopy(fusionai_H5T_C_S1())
        H5Tset_size(stringType, text.utf8.count)
        let scalar = H5Screate(H5S_SCALAR)
        let attribute = H5Acreate2(
            file, "model_config", stringType, scalar, fusionai_H5P_DEFAULT(), fusionai_H5P_DEFAULT())
        XCTAssertEqual(H5Awrite(attribute, stringType, text), 0)
        let closed = [
            H5Aclose(attribute), H5Sclose(scalar), H5Tclose(stringType), H5Dclose(dataset), H5Sclose(space),
            H5Fclose(file),
        ]
        XCTAssertEqual(closed, [0, 0, 0, 0, 0, 0])

        let reopened = H5Fopen(path, fusionai_H5F_ACC_RDONLY(), fusionai_H5P_DEFAULT())
        defer { H5Fclose(reopened) }
        let readSet = H5Dopen2(reopened, "kernel", fusionai_H5P_DEFAULT())
        defer { H5Dclose(readSet) }
        let readSpace = H5Dget_space(readSet)
        defer { H5Sclose(readSpace) }
        var readDims: [hsize_t] = [0, 0]
        XCTAssertEqual(H5Sget_simple_extent_dims(readSpace, &readDims, nil), 2)
        XCTAssertEqual(readDims, [2, 3])
        var back = [Float](repeating: 0, count: 6)
        XCTAssertEqual(
            H5Dread(
                readSet, fusionai_H5T_NATIVE_FLOAT(), fusionai_H5S_ALL(), fusionai_H5S_ALL(), fusionai_H5P_DEFAULT(),
                &back), 0)
        XCTAssertEqual(back, values)

        let readAttribute = H5Aopen(reopened, "model_config", fusionai_H5P_DEFAULT())
        defer { H5Aclose(readAttribute) }
        let type = H5Aget_type(readAttribute)
        defer { H5Tclose(type) }
        var bytes = [UInt8](repeating: 0, count: H5Tget_size(type))
        XCTAssertEqual(H5Aread(readAttribute, type, &bytes), 0)
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), text)
    }
}
