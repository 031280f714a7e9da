import Fusions
import FuzzSupport

// Caller-format detection and every row parser: the file is read to its end, as `prepare` does.
// The first byte picks a named format (or detection) so each parser sees inputs of its own shape.
FuzzInput.run { data, size in
    let formats: [FusionFormat?] = [nil] + FusionFormat.allCases.map { $0 }
    guard let input = FuzzInput.split(data, size, among: formats) else { return 0 }
    FuzzInput.withFile(input.bytes, name: "calls.tsv") { path in
        let reader = try FusionReader(path: path, format: input.choice)
        while try reader.next() != nil {}
    }
    return 0
}
