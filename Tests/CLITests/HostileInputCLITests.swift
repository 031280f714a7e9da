import Foundation
import Support
import TestSupport
import XCTest

/// Inputs a hostile (or unlucky) user gives that once crashed `fusionai` or cost them a file: each
/// now ends with exit 0, or with exit 1 or 64 and a message naming the cause.
final class HostileInputCLITests: CLITestCase {
    /// Foundation's path splitting trapped on one-character paths: a genome called `g`, and the
    /// sample sheet `-` (standard input), which the cohort's stages each read again.
    func testOneCharacterPathsAndASampleSheetOnStandardInput() throws {
        let folder = try exampleAndModel(calls: 6)
        try FileManager.default.copyItem(atPath: folder + "/ex/genome.fa", toPath: folder + "/g")
        let prepare = try fusionai(
            ["prepare", "-q", "--header", "ex/fusions.star-fusion.tsv", "-g", "g", "-o", "p.tsv"], in: folder)
        XCTAssertEqual(prepare.status, 0, prepare.stderr)
        XCTAssertEqual(try TSVTable(path: folder + "/p.tsv").rows.count, 6)

        let sheet = "sample\tpath\nS1\tex/fusions.star-fusion.tsv\n"
        let cohort = try fusionai(
            ["cohort", "-q", "--samples", "-", "-g", "g", "-m", "m.safetensors", "-o", "co", "-t", "1"], stdin: sheet,
            in: folder)
        XCTAssertEqual(cohort.status, 0, cohort.stderr)
        XCTAssertEqual(try TSVTable(path: folder + "/co/cohort.tsv").rows.count, 6)
    }

    /// The score cache is an aid: a cache that cannot keep a score (here a file where its folder
    /// should be) is a warning, and the cohort's results are complete.
    func testAScoreCacheThatCannotBeWrittenDoesNotStopACohort() throws {
        let folder = try exampleAndModel(calls: 4)
        try FileManager.default.createDirectory(atPath: folder + "/cache", withIntermediateDirectories: true)
        try "not a folder\n".write(toFile: folder + "/cache/v1", atomically: true, encoding: .utf8)
        try "sample\tpath\nS1\tex/fusions.star-fusion.tsv\n".write(
            toFile: folder + "/sheet.tsv", atomically: true, encoding: .utf8)
        let run = try fusionai([
            "cohort", "--samples", folder + "/sheet.tsv", "-g", folder + "/ex/genome.fa", "-m",
            folder + "/m.safetensors", "--cache", folder + "/cache", "-o", folder + "/co", "-t", "1",
        ])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("4 score(s) not kept in the score cache"), run.stderr)
        let scores = try TSVTable(path: folder + "/co/cohort.tsv").rows
        XCTAssertEqual(scores.count, 4)
    }

    /// A repeated sheet row would count a sample's calls twice, however the path is spelled; a
    /// spreadsheet's byte-order mark before the header is not part of the first column's name.
    func testASampleSheetListingAFileTwiceIsRefusedAndAByteOrderMarkIsRead() throws {
        let folder = try exampleAndModel(calls: 4)
        let sheet = folder + "/sheet.tsv"
        try "\u{FEFF}sample\tpath\nS1\tex/fusions.star-fusion.tsv\nS1\t./ex/../ex/fusions.star-fusion.tsv\n"
            .write(toFile: sheet, atomically: true, encoding: .utf8)
        let run = try fusionai([
            "cohort", "-q", "--samples", sheet, "-g", folder + "/ex/genome.fa", "-m", folder + "/m.safetensors", "-o",
            folder + "/co",
        ])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("sheet.tsv:3: repeats line 2"), run.stderr)
    }

    /// Outputs were renamed into place, which replaced a symbolic link (not the file it names) and,
    /// as root, a device such as `/dev/null`; an output equal to the input replaced the input.
    func testOutputsGoThroughLinksAndDevicesAndNeverOverAnInput() throws {
        let folder = try exampleAndModel(calls: 5)
        let fm = FileManager.default
        let prepared = folder + "/p.tsv"
        XCTAssertEqual(
            try fusionai([
                "prepare", "-q", folder + "/ex/fusions.star-fusion.tsv", "-g", folder + "/ex/genome.fa", "-o",
                prepared,
            ]).status, 0)
        let model = folder + "/m.safetensors"

        // A link: the file it names gets the predictions, the link stays.
        try "old\n".write(toFile: folder + "/target.tsv", atomically: true, encoding: .utf8)
        try fm.createSymbolicLink(atPath: folder + "/link.tsv", withDestinationPath: "target.tsv")
        let linked = try fusionai(["predict", "-q", prepared, "-m", model, "-o", folder + "/link.tsv"])
        XCTAssertEqual(linked.status, 0, linked.stderr)
        XCTAssertEqual(try fm.destinationOfSymbolicLink(atPath: folder + "/link.tsv"), "target.tsv")
        XCTAssertEqual(try TSVTable(path: folder + "/target.tsv").rows.count, 5)

        // The output is the input: refused before anything is written; the input is unchanged.
        let before = try Data(contentsOf: URL(fileURLWithPath: prepared))
        let same = try fusionai(["predict", "-q", prepared, "-m", model, "-o", prepared])
        XCTAssertEqual(same.status, 1)
        XCTAssertTrue(same.stderr.contains("is the input"), same.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: prepared)), before)

        // A folder or a device where a model should go.
        try fm.createDirectory(atPath: folder + "/adir", withIntermediateDirectories: true)
        let intoFolder = try fusionai(["init-model", "-o", folder + "/adir"])
        XCTAssertEqual(intoFolder.status, 1)
        XCTAssertTrue(intoFolder.stderr.contains("is a folder; give a file name"), intoFolder.stderr)

        // A device (a null device of our own: making one needs root) is written in place, and stays one.
        let device = folder + "/null"
        guard mknod(device, S_IFCHR | 0o666, (1 << 8) | 3) == 0 else {
            throw XCTSkip("making a device file needs root (mknod: \(String(cString: strerror(errno))))")
        }
        for arguments in [["predict", "-q", prepared, "-m", model], ["prepare", "-q", prepared]] {
            let run = try fusionai(arguments + ["-o", device])
            XCTAssertEqual(run.status, 0, run.stderr)
            var st = stat()
            XCTAssertEqual(stat(device, &st), 0)
            XCTAssertEqual(st.st_mode & S_IFMT, S_IFCHR, "\(arguments[0]) replaced the device")
        }
        let model2 = try fusionai(["init-model", "-o", device])
        XCTAssertEqual(model2.status, 1)
        XCTAssertTrue(model2.stderr.contains("is not a regular file"), model2.stderr)
    }

    /// Inputs kept in the results folder under an output's name were overwritten by `run` and
    /// `cohort`, and a rerun read the overwritten files: refused before any work. A chunk name in
    /// chunks.txt is part of a path: `../pairs` wrote over pairs.tsv. A run refused by the lock left
    /// an empty `.done/`.
    func testInputsAmongTheOutputsAndForeignChunkNamesAreRefused() throws {
        let folder = try exampleAndModel(calls: 4)
        let calls = folder + "/ex/fusions.star-fusion.tsv"
        let (genome, model) = (folder + "/ex/genome.fa", folder + "/m.safetensors")
        let out = folder + "/rr"
        try FileManager.default.createDirectory(atPath: out + "/fis", withIntermediateDirectories: true)
        let original = try String(contentsOfFile: calls, encoding: .utf8)
        for name in ["predictions.tsv", "calls.bedpe", "fis/mine.tsv"] {
            try original.write(toFile: out + "/" + name, atomically: false, encoding: .utf8)
            let run = try fusionai(["run", out + "/" + name, "-g", genome, "-m", model, "-o", out])
            XCTAssertEqual(run.status, 1, run.stderr)
            XCTAssertTrue(run.stderr.contains("is where this run writes"), run.stderr)
            XCTAssertEqual(try String(contentsOfFile: out + "/" + name, encoding: .utf8), original, name)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/.done"), "nothing written")

        let cohort = folder + "/co"
        try FileManager.default.createDirectory(atPath: cohort, withIntermediateDirectories: true)
        try original.write(toFile: cohort + "/calls.tsv", atomically: false, encoding: .utf8)
        try "sample\tpath\nA\tcalls.tsv\n".write(toFile: cohort + "/sheet.tsv", atomically: false, encoding: .utf8)
        let sheetInside = try fusionai([
            "cohort", "--samples", cohort + "/sheet.tsv", "-g", genome, "-m", model, "-o", cohort,
        ])
        XCTAssertEqual(sheetInside.status, 1, sheetInside.stderr)
        XCTAssertTrue(sheetInside.stderr.contains("\(cohort)/calls.tsv: is where this run writes"), sheetInside.stderr)
        XCTAssertEqual(try String(contentsOfFile: cohort + "/calls.tsv", encoding: .utf8), original)
        try "sample\tpath\nA\t\(calls)\n".write(toFile: cohort + "/samples.tsv", atomically: false, encoding: .utf8)
        let sheetAsOutput = try fusionai([
            "cohort", "sample", "--samples", cohort + "/samples.tsv", "--sample", "A", "-o", cohort,
        ])
        XCTAssertEqual(sheetAsOutput.status, 1, sheetAsOutput.stderr)
        XCTAssertTrue(sheetAsOutput.stderr.contains("samples.tsv: is where this run writes"), sheetAsOutput.stderr)

        // chunks.txt naming a chunk outside chunks/.
        let staged = folder + "/st"
        try "sample\tpath\nA\t\(calls)\n".write(toFile: folder + "/sheet.tsv", atomically: false, encoding: .utf8)
        let layout = ["--samples", folder + "/sheet.tsv", "-o", staged]
        XCTAssertEqual(try fusionai(["cohort", "sample", "--sample", "A"] + layout).status, 0)
        XCTAssertEqual(try fusionai(["cohort", "pairs"] + layout).status, 0)
        let list = try String(contentsOfFile: staged + "/chunks.txt", encoding: .utf8)
        try list.replacingOccurrences(of: "chunk-1\t", with: "../pairs\t").write(
            toFile: staged + "/chunks.txt", atomically: false, encoding: .utf8)
        let pairs = try String(contentsOfFile: staged + "/pairs.tsv", encoding: .utf8)
        let score = try fusionai(["cohort", "score", "--chunk", "../pairs", "-g", genome, "-m", model, "-o", staged])
        XCTAssertEqual(score.status, 1, score.stderr)
        XCTAssertTrue(score.stderr.contains("chunks.txt:1: is not a chunk line"), score.stderr)
        XCTAssertEqual(try String(contentsOfFile: staged + "/pairs.tsv", encoding: .utf8), pairs)

        // A score cache that is a file: said so before the samples are read, not after in Foundation's words.
        let cacheFile = try fusionai([
            "cohort", "--samples", folder + "/sheet.tsv", "-g", genome, "-m", model, "--cache", calls, "-o",
            folder + "/cf",
        ])
        XCTAssertEqual(cacheFile.status, 1, cacheFile.stderr)
        XCTAssertTrue(cacheFile.stderr.contains("\(calls): is a file, not a folder"), cacheFile.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/cf/samples"))

        // A sheet naming a named pipe fails that sample; reading it waited forever, holding the lock.
        XCTAssertEqual(mkfifo(folder + "/pipe.tsv", 0o644), 0)
        try "sample\tpath\nA\t\(calls)\nP\tpipe.tsv\n".write(
            toFile: folder + "/piped.tsv", atomically: false, encoding: .utf8)
        let piped = try fusionai([
            "cohort", "--samples", folder + "/piped.tsv", "-g", genome, "-m", model, "-o", folder + "/cp",
        ])
        XCTAssertEqual(piped.status, 0, piped.stderr)
        XCTAssertTrue(piped.stderr.contains("sample P left out: pipe.tsv: is a named pipe, device or socket"))
    }

    /// explain from caller output with a genome whose FASTA header is `chrM:1-16569` named its
    /// tracks so (no chromosome IGV or UCSC knows): the call's name is kept, as prepare keeps it. A
    /// quote in a gene name ended the bedGraph track line's value; a fraction given twice wrote
    /// every region twice.
    func testExplainTracksNameTheCallsChromosomeQuoteSafelyAndOnce() throws {
        let folder = try TestData.temporaryDirectory()
        try makeSmallModel(folder + "/m.safetensors")
        let source = try String(
            contentsOfFile: TestData.path("fusions/k562_chrM.star-fusion.hg19.tsv"), encoding: .utf8)
        let lines = source.split(separator: "\n").map(String.init)
        let quoted = lines[1].replacingOccurrences(of: "MT-ND5^", with: "MT\"ND5^")
        try ([lines[0], quoted].joined(separator: "\n") + "\n").write(
            toFile: folder + "/calls.tsv", atomically: false, encoding: .utf8)
        let genome = TestData.path("genome/chrM_rCRS.fa")
        let run = try fusionai([
            "explain", folder + "/calls.tsv", "-g", genome, "-m", folder + "/m.safetensors", "--top", "0.01,0.01",
            "-o", folder + "/x",
        ])
        XCTAssertEqual(run.status, 0, run.stderr)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder + "/x")
        let fis = try XCTUnwrap(names.first { $0.hasSuffix(".fis.tsv") })
        XCTAssertEqual(Set(try TSVTable(path: folder + "/x/" + fis).column("chrom")), ["chrM"])
        let bedGraph = try XCTUnwrap(names.first { $0.hasSuffix(".head.bedGraph") })
        let track = try String(contentsOfFile: folder + "/x/" + bedGraph, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(track[0].components(separatedBy: "\"").count - 1, 4, "two quoted values: \(track[0])")
        XCTAssertTrue(track[0].contains("description=\"MT'ND5--MT-CO3 head chrM:13934:+\""), String(track[0]))
        XCTAssertTrue(track.dropFirst().allSatisfy { $0.hasPrefix("chrM\t") })
        let regions = try XCTUnwrap(names.first { $0.hasSuffix(".top_regions.tsv") })
        let rows = try TSVTable(path: folder + "/x/" + regions).rows.map { $0.fields.joined(separator: "\t") }
        XCTAssertEqual(Set(rows).count, rows.count, "each region once")

        // Prepared windows explained without the genome: a head breakpoint at chrM:16,540 (of 16,569)
        // puts N padding in the 300 nt the model reads, whose positions cannot be told from the
        // chromosome's; the call at 13,934 reads none.
        let prepared = folder + "/prepared.tsv"
        try
            ([lines[0], quoted, quoted.replacingOccurrences(of: "chrM:13934:+", with: "chrM:16540:+")]
            .joined(separator: "\n") + "\n").write(toFile: folder + "/calls.tsv", atomically: false, encoding: .utf8)
        XCTAssertEqual(try fusionai(["prepare", "-q", folder + "/calls.tsv", "-g", genome, "-o", prepared]).status, 0)
        let bare = try fusionai(["explain", prepared, "-m", folder + "/m.safetensors", "-o", folder + "/y"])
        XCTAssertEqual(bare.status, 0, bare.stderr)
        XCTAssertTrue(bare.stderr.contains("1 fusion(s) have a window that starts or ends in N"), bare.stderr)
        let withGenome = try fusionai([
            "explain", prepared, "-g", genome, "-m", folder + "/m.safetensors", "-o", folder + "/z",
        ])
        XCTAssertEqual(withGenome.status, 0, withGenome.stderr)
        XCTAssertFalse(withGenome.stderr.contains("starts or ends in N"), withGenome.stderr)
    }

    /// Third hostile round on prepare, predict, train and convert: what went wrong or hung, each
    /// now right or refused at once.
    func testStreamsPipesRejectsAndModelsAsAUserHandsThemOver() throws {
        let folder = try exampleAndModel(calls: 6)
        let (genome, model) = (folder + "/ex/genome.fa", folder + "/m.safetensors")
        let calls = folder + "/ex/fusions.star-fusion.tsv"
        // -o /dev/stdout when standard output is a pipe (as here): written to the pipe.
        let piped = try fusionai(["prepare", "-q", calls, "-o", "/dev/stdout"])
        XCTAssertEqual(piped.status, 0, piped.stderr)
        XCTAssertEqual(piped.stdout.split(separator: "\n").count, 6)
        // A named pipe as the model or genome is refused, not waited on.
        XCTAssertEqual(mkfifo(folder + "/fifo", 0o644), 0)
        let fifoModel = try fusionai(["predict", calls, "-g", genome, "-m", folder + "/fifo"])
        XCTAssertEqual(fifoModel.status, 1, fifoModel.stderr)
        XCTAssertTrue(fifoModel.stderr.contains("is a named pipe, device or socket, not a model file"))
        let fifoGenome = try fusionai(["prepare", calls, "-g", folder + "/fifo"])
        XCTAssertEqual(fifoGenome.status, 1, fifoGenome.stderr)
        XCTAssertTrue(fifoGenome.stderr.contains("a genome is read at random"), fifoGenome.stderr)

        // A rejects file is a table of four columns: the rejected row's tabs are written as \t.
        let pizzly = TestData.path("fusions/callers/pizzly.tsv")
        let rejected = try fusionai(["prepare", "-q", pizzly, "-o", folder + "/p.tsv", "--rejects", folder + "/r.tsv"])
        XCTAssertEqual(rejected.status, 0, rejected.stderr)
        let rows = try String(contentsOfFile: folder + "/r.tsv", encoding: .utf8).split(separator: "\n")
        XCTAssertGreaterThan(rows.count, 1)
        XCTAssertTrue(rows.allSatisfy { $0.split(separator: "\t", omittingEmptySubsequences: false).count == 4 })
        XCTAssertTrue(rows[1].contains("\\t"), String(rows[1]))

        // predict -o NAME.gz is bgzip-compressed like every other .gz output, and is not resumable.
        let gz = try fusionai(["predict", "-q", calls, "-g", genome, "-m", model, "-o", folder + "/pr.tsv.gz"])
        XCTAssertEqual(gz.status, 0, gz.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: folder + "/pr.tsv.gz")).prefix(2), Data([0x1F, 0x8B]))
        let resumeGz = try fusionai(["predict", calls, "-g", genome, "-m", model, "-o", folder + "/x.gz", "--resume"])
        XCTAssertEqual(resumeGz.status, 64, resumeGz.stderr)

        // Labels from a pipe (`--labels <(cut ...)`) are read; they failed with "Permission denied".
        let prepared = folder + "/prepared.tsv"
        XCTAssertEqual(try fusionai(["prepare", "-q", calls, "-g", genome, "-o", prepared]).status, 0)
        let evaluated = try fusionai(
            ["evaluate", prepared, "--labels", "/dev/stdin", "-m", model, "-o", folder + "/ev"],
            stdin: "0\n1\n0\n1\n0\n1\n")
        XCTAssertEqual(evaluated.status, 0, evaluated.stderr)

        // Held-out data that is the training file, under another name, is refused.
        try FileManager.default.createSymbolicLink(atPath: folder + "/again.tsv", withDestinationPath: prepared)
        let same = try fusionai([
            "train", prepared, "--valid", folder + "/again.tsv", "--test", folder + "/again.tsv", "-o",
            folder + "/t.safetensors",
        ])
        XCTAssertEqual(same.status, 1, same.stderr)
        XCTAssertTrue(same.stderr.contains("--valid is the training data"), same.stderr)

        // --keep-columns over two callers' layouts put one's values under the other's names.
        let arriba = TestData.path("fusions/callers/arriba.tsv")
        let jaffa = TestData.path("fusions/callers/jaffa.csv")
        let mixed = try fusionai(["prepare", arriba, jaffa, "--keep-columns", "-o", folder + "/k.tsv"])
        XCTAssertEqual(mixed.status, 1, mixed.stderr)
        XCTAssertTrue(mixed.stderr.contains("--keep-columns needs inputs of one layout"), mixed.stderr)

        // A FASTA of uneven line lengths: said so, not "read-only folder".
        let lines = [">c1", String(repeating: "A", count: 100), String(repeating: "C", count: 60), "G"]
        try (lines + [String(repeating: "T", count: 60)]).joined(separator: "\n").appending("\n").write(
            toFile: folder + "/ragged.fa", atomically: false, encoding: .utf8)
        let ragged = try fusionai(["prepare", calls, "-g", folder + "/ragged.fa", "-o", folder + "/rg.tsv"])
        XCTAssertEqual(ragged.status, 1, ragged.stderr)
        XCTAssertTrue(ragged.stderr.contains("lines of uneven length"), ragged.stderr)

        // A k-mer model as Keras HDF5 lost its k-mer counting: a bare layer no reader could feed.
        let kmer = try fusionai([
            "train", "-q", folder + "/ex/training.tsv", "-g", genome, "--model", "kmer", "--epochs", "1", "-o",
            folder + "/km.safetensors",
        ])
        XCTAssertEqual(kmer.status, 0, kmer.stderr)
        let keras = try fusionai(["convert", folder + "/km.safetensors", "-o", folder + "/km.h5"])
        XCTAssertEqual(keras.status, 1, keras.stderr)
        XCTAssertTrue(keras.stderr.contains("which Keras HDF5 cannot say: keep it as .safetensors"), keras.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/km.h5"))

        // A missing output folder, said as such and before the work (negatives drew every pair first;
        // train named its lock file).
        let negatives = try fusionai([
            "negatives", "-a", folder + "/ex/genes.gtf", "-n", "3", "-o", folder + "/no/n.tsv",
        ])
        XCTAssertEqual(negatives.status, 1, negatives.stderr)
        XCTAssertTrue(negatives.stderr.contains("its folder \(folder)/no does not exist"), negatives.stderr)
        XCTAssertFalse(negatives.stderr.contains("pair(s) made"), negatives.stderr)
        let train = try fusionai(["train", folder + "/ex/training.tsv", "-o", folder + "/no/t.safetensors"])
        XCTAssertEqual(train.status, 1, train.stderr)
        XCTAssertTrue(train.stderr.contains("its folder \(folder)/no does not exist"), train.stderr)
    }

    /// An explain option its method does not use did nothing: it is refused naming the method
    /// that uses it, and so is an occlusion stride that leaves positions between windows unscored.
    func testExplainOptionsOfAnotherMethodAreRefused() throws {
        let base = ["explain", "calls.tsv", "-m", "m.safetensors", "-o", "x"]
        let refused: [(arguments: [String], message: String)] = [
            (["--verify-ism", "5"], "--verify-ism applies to --method ism only; --method grad-input does not use it"),
            (["--method", "integrated-gradients", "--ism-matrix"], "--ism-matrix applies to --method ism only"),
            (
                ["--method", "saliency", "--baseline", "shuffled"],
                "--baseline applies to --method integrated-gradients"
            ),
            (["--method", "deeplift", "--references", "3"], "--references applies to --method deepliftshap only"),
            (["--method", "ism", "--steps", "5"], "--steps applies to --method integrated-gradients only"),
            (["--occlusion-window", "10"], "--occlusion-window applies to --method occlusion only"),
            (["--method", "occlusion", "--occlusion-stride", "60"], "--occlusion-stride must be at most"),
            (["--top", "0.01,1e-9"], "The value '0.01,1e-9' is invalid for '--top"),
            (
                ["--method", "occlusion", "--occlusion-window", "10", "--occlusion-stride", "11"],
                "--occlusion-stride must be at most"
            ),
        ]
        for (arguments, message) in refused {
            let run = try fusionai(base + arguments)
            XCTAssertEqual(run.status, 64, "\(arguments): \(run.stderr)")
            XCTAssertTrue(run.stderr.contains(message), "\(arguments): \(run.stderr)")
        }
        // Accepted where they apply: the run gets past the options to the missing model.
        for arguments in [
            ["--method", "deeplift", "--baseline", "shuffled"],
            ["--method", "ism", "--verify-ism", "3", "--ism-matrix"],
            ["--method", "occlusion", "--occlusion-window", "10", "--occlusion-stride", "10"],
        ] {
            let run = try fusionai(base + arguments)
            XCTAssertEqual(run.status, 1, "\(arguments): \(run.stderr)")
            XCTAssertTrue(run.stderr.contains("m.safetensors: cannot be read"), "\(arguments): \(run.stderr)")
        }
    }

    /// Numbers that overflowed or asked for terabytes: refused as usage errors (64), or as a
    /// damaged file (1), with the bound in the message.
    func testHugeNumbersAreRefusedWithTheirBounds() throws {
        let folder = try exampleAndModel(calls: 3)
        let huge = "9223372036854775807"
        let genome = folder + "/ex/genome.fa"
        let calls = folder + "/ex/fusions.star-fusion.tsv"
        let model = folder + "/m.safetensors"
        let usage: [(arguments: [String], bound: String)] = [
            (["prepare", calls, "-g", genome, "--threads", huge], "--threads must be from 1 to 1024"),
            (["explain", calls, "-g", genome, "-m", model, "-o", folder + "/x", "--steps", huge], "--steps"),
            (["explain", calls, "-g", genome, "-m", model, "-o", folder + "/x", "--references", huge], "--references"),
            (
                ["explain", calls, "-g", genome, "-m", model, "-o", folder + "/x", "--verify-ism", "100000"],
                "--verify-ism"
            ),
            (["seqlets", folder, "-o", folder + "/s", "--window", huge], "--window must be from 1 to 10000"),
            (["seqlets", folder, "-o", folder + "/s", "--flank", huge], "--flank from 0 to 10000"),
            (["seqlets", folder, "-o", folder + "/s", "--permutations", "100000000"], "--permutations from 1 to 1000"),
            (["motifs", "scan", calls, "--motifs", calls, "--pseudocount", "inf"], "--pseudocount must be from 0"),
            (["example", "-o", folder + "/e", "--length", huge], "at most 250,000,000 nt"),
            (["example", "-o", folder + "/e", "--chromosomes", "100000"], "--chromosomes must be from 1 to 1000"),
        ]
        for (arguments, bound) in usage {
            let run = try fusionai(arguments)
            XCTAssertEqual(run.status, 64, "\(arguments): \(run.stderr)")
            XCTAssertTrue(run.stderr.contains(bound), "\(arguments): \(run.stderr)")
        }

        // A VCF whose POS is near 2^63: POS + len(REF) overflowed.
        let prepared = folder + "/p.tsv"
        XCTAssertEqual(try fusionai(["prepare", "-q", calls, "-g", genome, "-o", prepared]).status, 0)
        let vcf = folder + "/big.vcf"
        let text =
            "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
            + "chr1\t9223372036854775806\t.\tAC\tA\t.\t.\t.\n"
        try text.write(toFile: vcf, atomically: true, encoding: .utf8)
        let variants = try fusionai(["variants", prepared, "--vcf", vcf, "-g", genome, "-m", model, "-o", "-"])
        XCTAssertEqual(variants.status, 1, variants.stderr)
        XCTAssertTrue(
            variants.stderr.contains("big.vcf: line 3: POS 9223372036854775806 lies beyond"), variants.stderr)
        // Spaces for tabs, and content htslib does not recognise: what to fix, not "Exec format error".
        try text.replacingOccurrences(of: "\t", with: " ").write(toFile: vcf, atomically: true, encoding: .utf8)
        let spaced = try fusionai(["variants", prepared, "--vcf", vcf, "-g", genome, "-m", model, "-o", "-"])
        XCTAssertEqual(spaced.status, 1, spaced.stderr)
        XCTAssertTrue(spaced.stderr.contains("spaces where tabs should be"), spaced.stderr)
        try Data(count: 4096).write(to: URL(fileURLWithPath: vcf))
        let zeros = try fusionai(["variants", prepared, "--vcf", vcf, "-g", genome, "-m", model, "-o", "-"])
        XCTAssertEqual(zeros.status, 1, zeros.stderr)
        XCTAssertTrue(zeros.stderr.contains("is not VCF or BCF"), zeros.stderr)
    }

    /// An explain folder's `.fis.npy` whose header claims 2^62 values: its size check multiplied
    /// past Int.max.
    func testANumpyHeaderClaimingAHugeShapeIsADamagedFile() throws {
        let folder = try exampleAndModel(calls: 2)
        let explain = try fusionai([
            "explain", "-q", folder + "/ex/fusions.star-fusion.tsv", "-g", folder + "/ex/genome.fa", "-m",
            folder + "/m.safetensors", "--rows", "1", "-o", folder + "/x",
        ])
        XCTAssertEqual(explain.status, 0, explain.stderr)
        let fm = FileManager.default
        let name = try XCTUnwrap(try fm.contentsOfDirectory(atPath: folder + "/x").first { $0.hasSuffix(".fis.npy") })
        let path = folder + "/x/" + name
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        var header = Array("{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904,), }".utf8)
        header += [UInt8](repeating: 0x20, count: 118 - header.count - 1) + [0x0A]
        let damaged =
            Data([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.count), 0] + header) + original.dropFirst(128)
        try damaged.write(to: URL(fileURLWithPath: path))
        let run = try fusionai(["seqlets", folder + "/x", "-o", folder + "/s"])
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertTrue(run.stderr.contains("too few for shape [4611686018427387904]"), run.stderr)

        // One NaN score: the fusion is not called (a NaN poisons its permutation null), and the run
        // says how many positions.
        let nan = Float.nan.bitPattern
        let nanBytes = [UInt8(nan & 0xFF), UInt8((nan >> 8) & 0xFF), UInt8((nan >> 16) & 0xFF), UInt8(nan >> 24)]
        try (original.prefix(128) + Data(nanBytes) + original.dropFirst(132)).write(to: URL(fileURLWithPath: path))
        let nanRun = try fusionai(["seqlets", folder + "/x", "-o", folder + "/s2"])
        XCTAssertEqual(nanRun.status, 0, nanRun.stderr)
        XCTAssertTrue(
            nanRun.stderr.contains("1 fusion(s) have NaN or infinite scores (at 1 position(s) in all)"), nanRun.stderr)
        let summary = try TSVTable(path: folder + "/s2/summary.tsv")
        XCTAssertEqual(summary.rows.count, 1)
        XCTAssertEqual(summary.column("positive_threshold"), ["NA"])
        // A seqlet longer than the 300 positions of each window the small model reads: said, not silent.
        let wide = try fusionai(["seqlets", folder + "/x", "-o", folder + "/s3", "--window", "290"])
        XCTAssertEqual(wide.status, 0, wide.stderr)
        XCTAssertTrue(
            wide.stderr.contains("2 window(s) are shorter than a seqlet (--window 290 + 2 x --flank 10 nt)"),
            wide.stderr)
    }

    /// Mistakes that ended in silence or in Foundation's raw error text: a top fraction explain
    /// never wrote, rows past the input's end, an output folder that is a file.
    func testMistakesAreNamedNotSilentOrRaw() throws {
        let folder = try exampleAndModel(calls: 3)
        let calls = folder + "/ex/fusions.star-fusion.tsv"
        let genome = folder + "/ex/genome.fa"
        let model = folder + "/m.safetensors"
        let explain = try fusionai(["explain", calls, "-g", genome, "-m", model, "--rows", "2-99", "-o", folder + "/x"])
        XCTAssertEqual(explain.status, 0, explain.stderr)
        XCTAssertTrue(explain.stderr.contains("--rows goes to row 99, but \(calls) has 3 data row(s)"), explain.stderr)

        let prepared = folder + "/p.tsv"
        XCTAssertEqual(try fusionai(["prepare", "-q", calls, "-g", genome, "-o", prepared]).status, 0)
        let features = try fusionai([
            "features", prepared, "--features", folder + "/ex/features.tsv", "--fis", folder + "/x", "--top", "top50%",
            "-o", folder + "/f",
        ])
        XCTAssertEqual(features.status, 1, features.stderr)
        XCTAssertTrue(features.stderr.contains("has no 'top50%' regions; it has top1%, top10%"), features.stderr)

        // A manifest naming a missing track fails a cohort before any scoring, not after.
        try "name\tcategory\tpath\ngone\tx\tgone.bed\n".write(
            toFile: folder + "/bad.tsv", atomically: true, encoding: .utf8)
        try "sample\tpath\nS1\tex/fusions.star-fusion.tsv\n".write(
            toFile: folder + "/sheet.tsv", atomically: true, encoding: .utf8)
        let cohort = try fusionai([
            "cohort", "--samples", folder + "/sheet.tsv", "-g", genome, "-m", model, "--features", folder + "/bad.tsv",
            "-o", folder + "/co",
        ])
        XCTAssertEqual(cohort.status, 1)
        XCTAssertTrue(
            cohort.stderr.contains("bad.tsv:2: track 'gone': \(folder)/gone.bed does not exist"), cohort.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/co/pairs.tsv"), "failed before the pairs")

        let report = try fusionai(["report", prepared, "--motif-matches", folder + "/none", "-o", folder + "/r.html"])
        XCTAssertEqual(report.status, 64, report.stderr)
        XCTAssertTrue(report.stderr.contains("--motif-matches needs --seqlets"), report.stderr)

        try "a file\n".write(toFile: folder + "/file", atomically: true, encoding: .utf8)
        let intoFile = try fusionai([
            "explain", "-q", calls, "-g", genome, "-m", model, "--rows", "1", "-o", folder + "/file",
        ])
        XCTAssertEqual(intoFile.status, 1)
        XCTAssertFalse(intoFile.stderr.contains("NSCocoaErrorDomain"), intoFile.stderr)
        XCTAssertTrue(intoFile.stderr.contains(folder + "/file: is a file, not a folder"), intoFile.stderr)
        // scan and features make their folder before the work, so the error comes at once.
        let features2 = try fusionai([
            "features", "-q", prepared, "--features", folder + "/ex/features.tsv", "-o", folder + "/file",
        ])
        XCTAssertEqual(features2.status, 1)
        XCTAssertTrue(features2.stderr.contains(folder + "/file: is a file, not a folder"), features2.stderr)
        XCTAssertEqual(try String(contentsOfFile: folder + "/file", encoding: .utf8), "a file\n")
    }

    /// Second round: an overflowing negatives count, a model whose scores are NaN, rates that
    /// diverge, a side output on the main output's path, outputs over inputs, and a run whose
    /// outputs were deleted after it finished.
    func testSecondRoundFindings() throws {
        let folder = try exampleAndModel(calls: 4)
        let genome = folder + "/ex/genome.fa"
        let calls = folder + "/ex/fusions.star-fusion.tsv"
        let model = folder + "/m.safetensors"
        let usage: [(arguments: [String], bound: String)] = [
            (["negatives", "-a", folder + "/ex/genes.gtf", "--count=100000000000000000"], "-n/--count must be from 1"),
            (
                ["evaluate", folder + "/ex/training.tsv", "-m", model, "-o", folder + "/ev", "--threshold", "nan"],
                "--threshold must be from 0 to 1"
            ),
            (
                [
                    "train", folder + "/ex/training.tsv", "-g", genome, "-o", folder + "/t.safetensors",
                    "--learning-rate", "nan",
                ], "--learning-rate must be a positive number"
            ),
            (
                [
                    "train", folder + "/ex/training.tsv", "-g", genome, "-o", folder + "/t.safetensors", "--momentum",
                    "5",
                ],
                "--momentum must be from 0 up to 1"
            ),
        ]
        for (arguments, bound) in usage {
            let run = try fusionai(arguments)
            XCTAssertEqual(run.status, 64, "\(arguments): \(run.stderr)")
            XCTAssertTrue(run.stderr.contains(bound), "\(arguments): \(run.stderr)")
        }

        // Weights all NaN: evaluate refuses (it tried to allocate gigabytes and aborted).
        var bytes = try Data(contentsOf: URL(fileURLWithPath: model))
        let headerLength = bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let nan = withUnsafeBytes(of: Float.nan.bitPattern.littleEndian) { Array($0) }
        for offset in stride(from: 8 + headerLength, to: bytes.count - 3, by: 4) {
            bytes.replaceSubrange(offset..<(offset + 4), with: nan)
        }
        try bytes.write(to: URL(fileURLWithPath: folder + "/nan.safetensors"))
        let prepared = folder + "/p.tsv"
        XCTAssertEqual(try fusionai(["prepare", "-q", calls, "-g", genome, "-o", prepared]).status, 0)
        let labelled = folder + "/labelled.tsv"
        let rows = try String(contentsOfFile: prepared, encoding: .utf8).split(separator: "\n")
        try rows.enumerated().map { "\($1)\t\($0 % 2)\n" }.joined().write(
            toFile: labelled, atomically: true, encoding: .utf8)
        let evaluate = try fusionai(["evaluate", labelled, "-m", folder + "/nan.safetensors", "-o", folder + "/ev"])
        XCTAssertEqual(evaluate.status, 1, evaluate.stderr)
        XCTAssertTrue(evaluate.stderr.contains("gives NaN or infinite scores for 4 of 4"), evaluate.stderr)
        // predict writes them as NA (R and pandas read missing values) and says so; it wrote "nan" silently.
        let nanPredict = try fusionai(["predict", prepared, "-m", folder + "/nan.safetensors"])
        XCTAssertEqual(nanPredict.status, 0, nanPredict.stderr)
        XCTAssertTrue(
            nanPredict.stderr.contains("NaN or infinite scores for 4 of 4 row(s), written as NA"), nanPredict.stderr)
        let nanRows = nanPredict.stdout.split(separator: "\n").dropFirst()
        XCTAssertEqual(nanRows.count, 4)
        XCTAssertTrue(nanRows.allSatisfy { $0.hasSuffix("\tNA\tNA\tNA") }, nanPredict.stdout)
        // convert keeps the weights as they are, and says what they are.
        let converted = try fusionai(["convert", folder + "/nan.safetensors", "-o", folder + "/nan.h5"])
        XCTAssertEqual(converted.status, 0, converted.stderr)
        XCTAssertTrue(converted.stderr.contains("weight(s) are NaN or infinite (in "), converted.stderr)
        XCTAssertTrue(converted.stderr.contains("every score of this model will be NA"), converted.stderr)

        // Two outputs on one path; outputs over inputs.
        let shared = try fusionai([
            "prepare", "-q", calls, "-g", genome, "-o", folder + "/q.tsv", "--rejects", folder + "/q.tsv",
        ])
        XCTAssertEqual(shared.status, 1)
        XCTAssertTrue(shared.stderr.contains("is given for two outputs"), shared.stderr)
        let predictions = folder + "/pr.tsv"
        XCTAssertEqual(try fusionai(["predict", "-q", prepared, "-m", model, "-o", predictions]).status, 0)
        let report = try fusionai(["report", predictions, "-o", predictions])
        XCTAssertEqual(report.status, 1)
        XCTAssertTrue(report.stderr.contains("is the input"), report.stderr)
        let overTraining = try fusionai(["train", labelled, "-o", labelled, "--epochs", "1"])
        XCTAssertEqual(overTraining.status, 1)
        XCTAssertTrue(overTraining.stderr.contains("is the input"), overTraining.stderr)

        // A finished run whose report was deleted makes it again, not "done before".
        let arguments = ["run", "-q", calls, "-g", genome, "-m", model, "-o", folder + "/r", "--explain-max", "1"]
        XCTAssertEqual(try fusionai(arguments).status, 0)
        try FileManager.default.removeItem(atPath: folder + "/r/report.html")
        let again = try fusionai(arguments)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder + "/r/report.html"))
    }

    /// Third round: an empty output path (an unset shell variable) put a run's files at the root of
    /// the file system ("" + "/report.html") and left .partial files; an input given twice was read twice.
    func testEmptyOutputPathsAndInputsGivenTwiceAreRefused() throws {
        let folder = try exampleAndModel(calls: 3)
        let genome = folder + "/ex/genome.fa"
        let calls = folder + "/ex/fusions.star-fusion.tsv"
        let model = folder + "/m.safetensors"
        let commands: [[String]] = [
            ["prepare", calls, "-g", genome, "-o", ""],
            ["predict", calls, "-g", genome, "-m", model, "-o", ""],
            ["explain", calls, "-g", genome, "-m", model, "-o", ""],
            ["run", calls, "-g", genome, "-m", model, "-o", ""],
            ["train", folder + "/ex/training.tsv", "-g", genome, "-o", ""],
        ]
        for arguments in commands {
            let run = try fusionai(arguments, in: folder)
            XCTAssertEqual(run.status, 1, "\(arguments[0]): \(run.stderr)")
            XCTAssertTrue(run.stderr.contains("an output path is empty"), "\(arguments[0]): \(run.stderr)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/predictions.tsv"), "nothing at the root")
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.contains("partial") }, [])

        let text = try String(contentsOfFile: calls, encoding: .utf8)
        let stdin = try fusionai(["prepare", "-", "-"], stdin: text)
        XCTAssertEqual(stdin.status, 1, stdin.stderr)
        XCTAssertTrue(stdin.stderr.contains("-: is given twice"), stdin.stderr)
        let same = try fusionai(["prepare", calls, folder + "/ex/../ex/fusions.star-fusion.tsv"])
        XCTAssertEqual(same.status, 1, same.stderr)
        XCTAssertTrue(same.stderr.contains("is the same file as \(calls)"), same.stderr)

        // Options that did nothing are said: a negative --explain-max, a fact without a name, and
        // --keep-sequences on an input without window columns.
        let negative = try fusionai(["run", calls, "-g", genome, "-m", model, "-o", folder + "/r", "--explain-max=-1"])
        XCTAssertEqual(negative.status, 64, negative.stderr)
        XCTAssertTrue(negative.stderr.contains("--explain-max must be 0 or more"), negative.stderr)
        let fact = try fusionai(["report", calls, "-o", folder + "/r.html", "--fact", "=x"])
        XCTAssertEqual(fact.status, 64, fact.stderr)
        let keep = try fusionai(["predict", "-q", calls, "-g", genome, "-m", model, "--keep-sequences"])
        XCTAssertEqual(keep.status, 0, keep.stderr)
        XCTAssertTrue(keep.stderr.contains("--keep-sequences keeps an input's window columns"), keep.stderr)

        // A whole cohort run claims its folder as `run` does (two at once mixed their tables).
        let cohort = folder + "/cohort"
        try FileManager.default.createDirectory(atPath: cohort, withIntermediateDirectories: true)
        try "sample\tpath\nS1\t\(calls)\n".write(toFile: folder + "/sheet.tsv", atomically: false, encoding: .utf8)
        let lock = try OutputLock(output: cohort, folder: true)
        let locked = try fusionai([
            "cohort", "--samples", folder + "/sheet.tsv", "-g", genome, "-m", model, "-o", cohort,
        ])
        lock.release()
        XCTAssertEqual(locked.status, 1, locked.stderr)
        XCTAssertTrue(locked.stderr.contains("is writing this"), locked.stderr)
    }
}
