import Foundation
import FusionAI
import FuzzSupport
import Results
import Support

// The project's own files read back: predictions (by report, run and the explain row choice), FIS
// tables and top regions (by features and report), and a resumable output's checkpoint (by
// `predict --resume` and `run`).
FuzzInput.run { data, size in
    let files = ["predictions.tsv", "x.fis.tsv", "x.top_regions.tsv", "out.tsv.partial.checkpoint"]
    guard let input = FuzzInput.split(data, size, among: files) else { return 0 }
    FuzzInput.withFile(input.bytes, name: input.choice) { path in
        switch input.choice {
        case "predictions.tsv":
            let table = try PredictionsTable.schema.read(path)
            _ = try table.index(of: PredictionsTable.positiveProbability)
        case "x.fis.tsv":
            _ = try FISTableFile.read(folder: FuzzInput.folder, id: "x")
        case "x.top_regions.tsv":
            _ = try TopRegionsFile.regions(folder: FuzzInput.folder, id: "x", fraction: "top1%")
        default:
            FileManager.default.createFile(atPath: FuzzInput.folder + "/out.tsv.partial", contents: Data("a\tb\n".utf8))
            let output = try ResumableOutput(
                path: FuzzInput.folder + "/out.tsv", signature: ["run": "s"], interrupted: .resume)
            output.write("c\n")
            try output.checkpoint(rows: (output.resumedFrom?.rows ?? 0) + 1)
            try output.finish()
        }
    }
    return 0
}
