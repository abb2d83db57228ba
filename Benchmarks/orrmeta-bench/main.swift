// SPDX-License-Identifier: GPL-3.0-or-later
//
// orrmeta-bench: orrmeta's benchmark suite (not API). `swift run -c release orrmeta-bench`;
// see Docs/performance.md.

import Foundation
import MetaProportion

let options: BenchOptions
do {
  options = try BenchOptions.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
  FileHandle.standardError.write(Data("orrmeta-bench: \(error)\n\(BenchOptions.usage)\n".utf8))
  exit(64)
}

func log(_ message: String) {
  FileHandle.standardError.write(Data("[orrmeta-bench] \(message)\n".utf8))
}

if let spin = options.spin, ProcessInfo.processInfo.environment["ORRMETA_BENCH_SPIN_GOSH"] != nil {
  let d = SyntheticCohorts.make(k: spin.k)
  let a = SensitivityBenchmarks.analysis(d, method: spin.method)
  let clock = ContinuousClock()
  let end = clock.now + .milliseconds(Int(spin.seconds * 1000))
  var runs = 0
  while clock.now < end {
    consume(try! a.gosh(GoshOptions(maxSubsets: 1_000_000, seed: 1, threads: options.threads)).estimate[0])
    runs += 1
  }
  log("\(runs) GOSH runs")
  exit(0)
}
if let spin = options.spin, let q = ProcessInfo.processInfo.environment["ORRMETA_BENCH_SPIN_GLMM3"].flatMap(Int.init) {
  // The three-level GLMM fit of ThreeLevelGLMMBenchmarks (k cohorts in the same trial layout,
  // no profile CIs) with nAGQ = q, repeated for SECONDS: a target for perf record.
  let d = SyntheticCohorts.make(k: spin.k)
  let structure = ClusterStructure(clusters: ThreeLevelBenchmarks.clusters(k: d.k))
  let studies = (0..<d.k).map { try! ProportionStudy(label: "c\($0)", events: d.events[$0], total: d.totals[$0]) }
  let clock = ContinuousClock()
  let end = clock.now + .milliseconds(Int(spin.seconds * 1000))
  var ts = timespec()
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
  let cpu0 = Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
  var fits = 0
  while clock.now < end {
    consume(try! ThreeLevelBinomialNormalModel.fit(
      studies: studies, clusters: structure, clusterName: "trial", nAGQ: q, profileIntervals: false).estimate)
    fits += 1
  }
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
  let cpu = Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9 - cpu0
  log("\(fits) three-level GLMM fits (nAGQ = \(q)) at k = \(spin.k): \(String(format: "%.1f", cpu * 1e6 / Double(fits))) µs thread CPU time per fit")
  exit(0)
}
if let spin = options.spin {
  let d = SyntheticCohorts.make(k: spin.k)
  let clock = ContinuousClock()
  let end = clock.now + .milliseconds(Int(spin.seconds * 1000))
  var fits = 0
  func threadCPU() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
  }
  let cpu0 = threadCPU()
  d.yi.withUnsafeBufferPointer { y in
    d.vi.withUnsafeBufferPointer { v in
      while clock.now < end {
        for _ in 0..<1000 {
          consume(try! RandomEffectsModel.fit(y: y, v: v, method: spin.method, test: .z, level: .ninetyFive, control: .tight).estimate)
        }
        fits += 1000
      }
    }
  }
  let cpu = threadCPU() - cpu0
  log("\(fits) \(spin.method.rawValue) fits at k = \(spin.k): \(String(format: "%.1f", cpu * 1e9 / Double(fits))) ns thread CPU time per fit")
  exit(0)
}

let sizes = options.quick ? [10, 66, 1000, 100_000] : [10, 66, 1000, 100_000, 1_000_000]
var datasets = [BenchDataset]()
do {
  datasets.append(try SyntheticCohorts.fixture(path: options.fixture))
} catch {
  log("reference fixture \(options.fixture) not read (\(error)); run from the repository root or pass --fixture")
}
for k in sizes { datasets.append(SyntheticCohorts.make(k: k)) }
let k66 = datasets.first { $0.name == "k66" }!

if let directory = options.exportDirectory {
  do {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    for d in datasets { try SyntheticCohorts.export(d, to: directory) }
    log("wrote \(datasets.map { "\($0.name).csv" }.joined(separator: ", ")) to \(directory)")
    exit(0)
  } catch {
    log("export failed: \(error)")
    exit(1)
  }
}

let executableDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().path
let binary = options.binary ?? "\(executableDirectory)/orrmeta"

var results = [BenchResult]()
for group in TaskGroup.allCases where options.groups.contains(group) {
  log("running \(group.rawValue)")
  switch group {
  case .fit:
    results += FitBenchmarks.run(datasets: datasets, options: options)
    results += CompareBenchmarks.run(datasets: datasets, options: options)
  case .alloc: results += AllocationBenchmarks.run(k66, options: options)
  case .sensitivity: results += SensitivityBenchmarks.caseDeletion(k66, options: options)
  case .gosh: results += SensitivityBenchmarks.gosh(k66, options: options)
  case .bootstrap: results += SensitivityBenchmarks.bootstrap(k66, options: options)
  case .startup: results += ProcessBenchmarks.startup(binary: binary, fixture: options.fixture, options: options)
  case .batch: results += ProcessBenchmarks.batch(binary: binary, options: options)
  }
}

let formatter = ISO8601DateFormatter()
let report = BenchReport(date: formatter.string(from: Date()), machine: .current(), results: results)
switch options.format {
case .table:
  print(TableRenderer.render(report))
case .json:
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
  print(String(decoding: try! encoder.encode(report), as: UTF8.self))
}
