// swift-tools-version:6.0
import PackageDescription

// Dependencies point one way: fusionai -> FusionAICLI -> Pipeline -> FusionAI, GenomicFeatures, Seqlets -> Motifs,
// Results, NeuralNet, Cohort -> Fusions -> Genome -> C libraries.
let package = Package(
    name: "FusionAI",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "fusionai", targets: ["fusionai"]),
        .library(name: "Genome", targets: ["Genome"]),
        .library(name: "Fusions", targets: ["Fusions"]),
        .library(name: "Motifs", targets: ["Motifs"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
    ],
    targets: [
        // System libraries: Debian's -dev packages, found through pkg-config (see Makefile `deps`).
        .systemLibrary(name: "CHTSlib", pkgConfig: "htslib", providers: [.apt(["libhts-dev"])]),
        .systemLibrary(name: "CFFTW", pkgConfig: "fftw3f", providers: [.apt(["libfftw3-dev"])]),
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CHDF5", pkgConfig: "hdf5", providers: [.apt(["libhdf5-dev"])]),
        // libBigWig ships no pkg-config file: the module map links it by name.
        .systemLibrary(name: "CBigWig", providers: [.apt(["libbigwig-dev"])]),
        .systemLibrary(name: "CMalloc"),
        // Explicit AVX2 + FMA kernels (chosen at run time) where the libraries' general routines
        // lose time: the FFT convolution's per-bin complex product, the one-hot gather, ISM's DFTs.
        .target(name: "CKernels"),

        .target(name: "SeededRandom"),
        .target(name: "Support", dependencies: ["CHTSlib"]),
        .target(name: "Genome", dependencies: ["Support", "CHTSlib"]),
        .target(name: "Fusions", dependencies: ["Genome", "Support", "SeededRandom", "CHTSlib"]),
        // Cohort: sample sheets, breakpoint pairs merged across samples and callers, the score cache.
        .target(name: "Cohort", dependencies: ["Fusions", "Genome", "Results", "Support", "CHTSlib"]),
        .target(name: "ExampleData", dependencies: ["Genome", "SeededRandom"]),
        .target(
            name: "NeuralNet",
            dependencies: ["Support", "CFFTW", "COpenBLAS", "CHDF5", "CKernels", "ZIPFoundation", "SeededRandom"]),
        // Results: the results folder's layout and each output table's columns, shared by the
        // steps that write them (FusionAI, GenomicFeatures) and those that read them (Pipeline).
        .target(name: "Results", dependencies: ["Support"]),
        // Motifs: DNA motif matrices, MEME files, TOMTOM-style comparison and FIMO-style scanning.
        .target(name: "Motifs", dependencies: ["Support"]),
        .target(
            name: "FusionAI",
            dependencies: [
                "NeuralNet", "Fusions", "Genome", "Reports", "Results", "SeededRandom", "Support", "CBigWig",
            ]),
        .target(name: "Reports"),
        .target(name: "GenomicFeatures", dependencies: ["Genome", "Fusions", "Reports", "Results", "Support"]),
        // Seqlets: seqlet calling and motif discovery from explain's attributions (no network needed).
        .target(
            name: "Seqlets",
            dependencies: [
                "Fusions", "Genome", "Motifs", "Reports", "Results", "SeededRandom", "Support", "COpenBLAS",
            ]),
        // Pipeline: one job per protocol step (typed options in, typed result out) and `run`'s composition.
        .target(
            name: "Pipeline",
            dependencies: [
                "Support", "Genome", "Fusions", "FusionAI", "GenomicFeatures", "Motifs", "NeuralNet", "Reports",
                "Results", "Cohort", "Seqlets",
            ]),
        .target(
            name: "FusionAICLI",
            dependencies: [
                "Support", "Genome", "Fusions", "FusionAI", "Motifs", "NeuralNet", "Pipeline", "Seqlets", "ExampleData",
                "CHTSlib", "CFFTW", "COpenBLAS", "CHDF5", "CMalloc",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "fusionai", dependencies: ["FusionAICLI"]),
        .executableTarget(
            name: "layer-profile", dependencies: ["NeuralNet", "FusionAI", "CMalloc", "COpenBLAS"],
            path: "benchmarks/profile", exclude: ["README.md", "profile.tsv"]),
        .executableTarget(
            name: "convolution-benchmark", dependencies: ["NeuralNet"], path: "benchmarks/convolution",
            exclude: ["README.md", "results.tsv"]),

        .testTarget(name: "GenomeTests", dependencies: ["Genome", "SeededRandom", "Support", "TestSupport"]),
        .testTarget(
            name: "FusionsTests", dependencies: ["Fusions", "Genome", "SeededRandom", "Support", "TestSupport"]),
        .testTarget(
            name: "GenomicFeaturesTests",
            dependencies: ["GenomicFeatures", "Genome", "Fusions", "SeededRandom", "TestSupport"]),
        .testTarget(
            name: "NeuralNetTests",
            dependencies: ["NeuralNet", "CHDF5", "SeededRandom", "ZIPFoundation", "TestSupport"]),
        .testTarget(
            name: "FusionAITests",
            dependencies: [
                "FusionAI", "NeuralNet", "Fusions", "Genome", "Motifs", "Results", "SeededRandom", "Seqlets",
                "TestSupport", "CBigWig",
            ]),
        .testTarget(name: "NativeLibrariesTests", dependencies: ["CFFTW", "COpenBLAS", "CHDF5"]),
        .testTarget(name: "ExampleDataTests", dependencies: ["ExampleData", "Fusions", "Genome", "SeededRandom"]),
        .testTarget(
            name: "CohortTests", dependencies: ["Cohort", "Fusions", "Genome", "Results", "Support", "TestSupport"]),
        .testTarget(name: "ResultsTests", dependencies: ["Results", "TestSupport"]),
        .testTarget(name: "SupportTests", dependencies: ["Support", "TestSupport"]),
        .testTarget(name: "MotifsTests", dependencies: ["Motifs", "SeededRandom", "Support", "TestSupport"]),
        .testTarget(
            name: "SeqletsTests",
            dependencies: ["Seqlets", "Genome", "Motifs", "Results", "SeededRandom", "TestSupport"]),
        .testTarget(
            name: "CLITests",
            dependencies: ["fusionai", "Fusions", "Genome", "SeededRandom", "Support", "TestSupport"]),
        .target(name: "TestSupport", dependencies: ["Support"], path: "Tests/TestSupport"),
    ]
)

// libFuzzer harnesses of every reader of outside input (fuzz/; built and run by scripts/fuzz.sh), only
// when FUSIONAI_FUZZ is set: they link against libFuzzer's driver, which only -sanitize=fuzzer provides.
if Context.environment["FUSIONAI_FUZZ"] != nil {
    package.targets += [
        .systemLibrary(name: "CFuzzer", path: "fuzz/CFuzzer"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzer"], path: "fuzz/FuzzSupport"),
    ]
    let harnesses: [(name: String, modules: [String])] = [
        ("fusions", ["Fusions"]), ("genome", ["Genome"]), ("gtf", ["Genome"]), ("bed", ["Genome"]),
        ("model", ["NeuralNet"]), ("results", ["FusionAI", "Results", "Support"]), ("motifs", ["Motifs"]),
    ]
    for harness in harnesses {
        package.targets.append(
            .executableTarget(
                name: "fuzz-" + harness.name,
                dependencies: ["FuzzSupport"] + harness.modules.map { .target(name: $0) },
                path: "fuzz/" + harness.name))
    }
}
