// swift-tools-version: 6.1
//
// orrmeta — meta-analysis of proportions (objective response rates).
// SPDX-License-Identifier: GPL-3.0-or-later
import PackageDescription

let package = Package(
  name: "orrmeta",
  platforms: [.macOS(.v13)],
  products: [
    // MARK: - Public API
    .library(name: "MetaProportion", targets: ["MetaProportion"]),
    .library(name: "GSLDistributions", targets: ["GSLDistributions"]),
    .executable(name: "orrmeta", targets: ["orrmeta"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    .package(url: "https://github.com/yaslab/CSV.swift.git", from: "2.5.2"),
    .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
    .package(url: "https://github.com/apple/swift-numerics.git", from: "1.1.1"),
    .package(url: "https://github.com/LebJe/TOMLKit.git", from: "0.6.0"),
    .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
  ],
  targets: [
    // MARK: - System library (GSL, GPL-3.0-or-later)
    .systemLibrary(
      name: "CGSL",
      pkgConfig: "gsl",
      providers: [.apt(["libgsl-dev"]), .brew(["gsl"]), .yum(["gsl-devel"])]
    ),

    // MARK: - Libraries
    // The only module that imports CGSL.
    .target(name: "GSLDistributions", dependencies: ["CGSL"]),
    // Pure statistics: no I/O, no printing.
    .target(
      name: "MetaProportion",
      dependencies: ["GSLDistributions", .product(name: "RealModule", package: "swift-numerics")]
    ),
    // File input and output only: cohort/PFS/two-arm CSV and TOML reading, atomic file output,
    // SHA-256 fingerprints of batch inputs and results (swift-crypto).
    .target(
      name: "OrrmetaIO",
      dependencies: [
        "MetaProportion", .product(name: "TOMLKit", package: "TOMLKit"),
        .product(name: "Crypto", package: "swift-crypto"),
      ]
    ),
    // The output contract: report value types, text/Markdown/CSV/JSON renderers, encoding,
    // number formatting (shared with the plots).
    .target(name: "OrrmetaReports", dependencies: ["MetaProportion", "OrrmetaIO", "CNumberFormat"]),
    // C's snprintf of one double for the number formatter (Swift cannot call a variadic C
    // function without building a va_list; Docs/performance.md, "Start-up").
    .target(name: "CNumberFormat"),
    // Forest, funnel, GOSH, Baujat and cumulative plots (SVG) and the HTML report: pure drawing.
    .target(name: "OrrmetaPlots", dependencies: ["MetaProportion", "OrrmetaReports", "GSLDistributions"]),
    // Use cases: the pipelines of every command (pool, pfs, reproduce, sensitivity, regress,
    // compare, plot, report) and the batch engine (runner, shards, resume, manifest, Slurm).
    .target(
      name: "OrrmetaPipelines",
      dependencies: ["MetaProportion", "OrrmetaIO", "OrrmetaReports", "OrrmetaPlots"]
    ),
    // The command tree (a library so tests can drive it in-process): argument parsing,
    // progress, signals, exit codes.
    .target(
      name: "OrrmetaCLI",
      dependencies: [
        "MetaProportion", "OrrmetaIO", "OrrmetaReports", "OrrmetaPlots", "OrrmetaPipelines",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // Release builds on Linux link the Swift runtime and Foundation statically, which halves
    // the start-up of every command (Docs/performance.md, "Start-up"). The modules are compiled
    // against the shared Foundation, whose link entries omit the static archives' own
    // dependencies, so they are named here. Debug builds (and so `swift test`) stay dynamic;
    // macOS always uses the system's Swift runtime.
    .executableTarget(
      name: "orrmeta", dependencies: ["OrrmetaCLI"],
      linkerSettings: [
        .unsafeFlags(
          ["-static-stdlib", "-lCoreFoundation", "-l_FoundationICU", "-l_FoundationCShims", "-l_FoundationCollections", "-lswiftSynchronization"],
          .when(platforms: [.linux], configuration: .release))
      ]
    ),

    // MARK: - Benchmarks (not API): swift run -c release orrmeta-bench (Docs/performance.md)
    .target(name: "MallocCounter", path: "Benchmarks/MallocCounter"),
    .executableTarget(
      name: "orrmeta-bench",
      dependencies: ["MetaProportion", "OrrmetaIO", "OrrmetaReports", "OrrmetaPipelines", "MallocCounter"],
      path: "Benchmarks/orrmeta-bench"
    ),

    // MARK: - Tests
    .target(name: "_TestSupport", path: "Tests/_TestSupport"),
    // The fuzz target's invariants, shared with the tests that replay what it found.
    .target(
      name: "_FuzzOracle",
      dependencies: ["MetaProportion", "OrrmetaIO", "OrrmetaReports", "OrrmetaPipelines", "OrrmetaCLI", .product(name: "CSV", package: "CSV.swift")],
      path: "Tests/_FuzzOracle"),
    .testTarget(
      name: "GSLDistributionsTests",
      dependencies: ["GSLDistributions", "_TestSupport"]
    ),
    .testTarget(
      name: "MetaProportionTests",
      dependencies: [
        "MetaProportion", "_TestSupport",
        .product(name: "PropertyBased", package: "swift-property-based"),
      ]
    ),
    .testTarget(
      name: "OrrmetaCLITests",
      dependencies: [
        "OrrmetaCLI", "OrrmetaIO", "OrrmetaReports", "OrrmetaPipelines", "MetaProportion", "_TestSupport", "orrmeta",
        "OrrmetaPlots", "_FuzzOracle",
      ]
    ),
    .testTarget(name: "OrrmetaIOTests", dependencies: ["OrrmetaIO", "_TestSupport"]),
    .testTarget(
      name: "OrrmetaReportsTests",
      dependencies: ["OrrmetaReports", "OrrmetaIO", "MetaProportion", "_TestSupport", "_FuzzOracle"]
    ),
    .testTarget(
      name: "OrrmetaPipelinesTests",
      dependencies: ["OrrmetaPipelines", "OrrmetaReports", "OrrmetaIO", "MetaProportion", "_TestSupport"]
    ),
    .testTarget(
      name: "OrrmetaPlotsTests",
      dependencies: ["OrrmetaPlots", "OrrmetaIO", "OrrmetaReports", "OrrmetaPipelines", "MetaProportion", "_TestSupport"]
    ),
  ]
)

// MARK: - Fuzzing (only with ORRMETA_FUZZ=1; built by scripts/fuzz.sh, see Docs/robustness.md)
// libFuzzer supplies `main`, so this target cannot link in an ordinary build; it exists only
// when the script asks for it.
if Context.environment["ORRMETA_FUZZ"] == "1" {
  package.targets.append(
    .executableTarget(
      name: "orrmeta-fuzz",
      dependencies: ["_FuzzOracle"],
      path: "Fuzz/OrrmetaFuzz",
      swiftSettings: [.unsafeFlags(["-parse-as-library"])]
    ))
}
