import FuzzSupport
import NeuralNet

// Model files: Keras HDF5 (through libhdf5, whose global heap is never trusted), `.keras` zips and
// safetensors, loaded as `predict --model` loads them.
FuzzInput.run { data, size in
    guard let input = FuzzInput.split(data, size, among: ["model.h5", "model.keras", "model.safetensors"]) else {
        return 0
    }
    FuzzInput.withFile(input.bytes, name: input.choice) { path in
        _ = try ModelFile.load(path)
    }
    return 0
}
