// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-process timings: the release `orrmeta` binary spawned (posix_spawn, output to
/// /dev/null) and waited for, N times; minimum and median wall time.
enum ProcessBenchmarks {
  /// CPU seconds (user + system) of all waited-for children so far.
  static func childrenCPU() -> Double {
    var u = rusage()
    #if canImport(Glibc)
    getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &u)
    #else
    getrusage(RUSAGE_CHILDREN, &u)
    #endif
    return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6
  }

  /// This process' resource usage (all threads).
  static func selfUsage(_ u: inout rusage) {
    #if canImport(Glibc)
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &u)
    #else
    getrusage(RUSAGE_SELF, &u)
    #endif
  }

  /// User and system CPU seconds of all waited-for children so far.
  static func childrenCPUSplit() -> (user: Double, system: Double) {
    var u = rusage()
    #if canImport(Glibc)
    getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &u)
    #else
    getrusage(RUSAGE_CHILDREN, &u)
    #endif
    return (Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) * 1e-6, Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) * 1e-6)
  }

  /// Runs `path arguments…` once; returns the wall seconds and the exit status.
  static func spawn(_ path: String, _ arguments: [String], quiet: Bool = true) -> (seconds: Double, status: Int32) {
    var actions: posix_spawn_file_actions_t = .init()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    if quiet {
      posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
      posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    }
    let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
    defer { for p in argv { free(p) } }
    var pid: pid_t = 0
    var status: Int32 = 0
    let seconds = Stopwatch.time {
      #if canImport(Darwin)
      let environment = _NSGetEnviron().pointee
      #else
      let environment = environ
      #endif
      guard posix_spawn(&pid, path, &actions, nil, argv, environment) == 0 else {
        status = -1
        return
      }
      waitpid(pid, &status, 0)
    }
    if status == -1 { return (seconds, -1) }
    // WIFEXITED / WEXITSTATUS
    return (seconds, (status & 0x7f) == 0 ? (status >> 8) & 0xff : -1)
  }

  /// Whether `binary --help` lists `name` among its subcommands.
  static func hasSubcommand(_ binary: String, _ name: String) -> Bool {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: binary)
    p.arguments = ["--help"]
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = FileHandle.nullDevice
    guard (try? p.run()) != nil else { return false }
    let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    guard let start = text.range(of: "SUBCOMMANDS:") else { return false }
    return text[start.upperBound...].split(separator: "\n").contains { $0.hasPrefix("  \(name) ") || $0 == "  \(name)" }
  }

  static func timed(
    task: String, operation: String, runs: Int, _ path: String, _ arguments: [String]
  ) -> BenchResult {
    _ = spawn(path, arguments)  // warm the page cache
    var times = [Double](), cpu = [Double]()
    var failures = 0
    for _ in 0..<runs {
      let c0 = childrenCPU()
      let r = spawn(path, arguments)
      cpu.append(childrenCPU() - c0)
      if r.status != 0 { failures += 1 }
      times.append(r.seconds)
    }
    return BenchResult(
      task: task, method: nil, dataset: nil, k: nil, operation: operation, threads: 1,
      minSeconds: times.min(), medianSeconds: Stopwatch.median(times), cpuSeconds: Stopwatch.median(cpu),
      samples: runs, operationsPerSample: 1,
      allocationsPerOperation: nil, note: failures > 0 ? "\(failures) runs exited non-zero" : nil)
  }

  /// `orrmeta pool FIXTURE` (text and JSON), with `orrmeta --version` (runtime and argument
  /// parser only) and `/bin/true` (the cost of spawning a process) for reference.
  static func startup(binary: String, fixture: String, options: BenchOptions) -> [BenchResult] {
    let runs = options.quick ? 10 : 41
    guard FileManager.default.isExecutableFile(atPath: binary) else {
      return [BenchResult(
        task: "pool_process", method: nil, dataset: nil, k: nil, operation: "process", threads: 1,
        note: "skipped: \(binary) not found (build it with swift build -c release --product orrmeta)")]
    }
    var results = [BenchResult]()
    // The work of `orrmeta pool` without the process: read and validate the CSV, analyse
    // (escalc, REML, Q-profile CI, Clopper–Pearson CIs), render the text report.
    if let cohorts = try? CohortFile.read(path: fixture), let report = try? PoolPipeline.run(cohorts, settings: AnalysisSettings()) {
      let samples = options.quick ? 5 : 21
      let steps: [(String, String, () -> Void)] = [
        ("pool_in_process", "read + analyse + render (no process)", {
          let cohorts = try! CohortFile.read(path: fixture)
          let report = try! PoolPipeline.run(cohorts, settings: AnalysisSettings())
          consume(Double(try! PoolPipeline.render(report, format: .text).utf8.count))
        }),
        ("pool_read", "CohortFile.read (CSV parse, validation)", {
          consume(Double(try! CohortFile.read(path: fixture).studies.count))
        }),
        ("pool_analyse", "PoolPipeline.run (escalc, REML, Q-profile, Clopper–Pearson)", {
          consume(Double(try! PoolPipeline.run(cohorts, settings: AnalysisSettings()).k))
        }),
        ("pool_render", "PoolPipeline.render (text)", {
          consume(Double(try! PoolPipeline.render(report, format: .text).utf8.count))
        }),
      ]
      for (task, operation, body) in steps {
        let t = Stopwatch.measure(samples: samples, body)
        results.append(BenchResult(
          task: task, method: "REML", dataset: "alk", k: cohorts.studies.count, operation: operation, threads: 1,
          minSeconds: t.min, medianSeconds: t.median, cpuSeconds: t.cpu, samples: t.samples,
          operationsPerSample: t.operationsPerSample, allocationsPerOperation: nil, note: nil))
      }
    }
    var baseline: Double?
    if FileManager.default.isExecutableFile(atPath: "/bin/true") {
      let r = timed(task: "spawn_baseline", operation: "/bin/true", runs: runs, "/bin/true", [])
      baseline = r.medianSeconds
      results.append(r)
    }
    var processes = [
      timed(task: "version_process", operation: "orrmeta --version", runs: runs, binary, ["--version"]),
      timed(task: "pool_process", operation: "orrmeta pool <fixture>", runs: runs, binary, ["pool", fixture]),
      timed(
        task: "pool_process_json", operation: "orrmeta pool <fixture> --format json", runs: runs, binary,
        ["pool", fixture, "--format", "json"]),
    ]
    // Issue 19's bound is relative to the cost of any process in the same run (≤ 15× /bin/true).
    for i in processes.indices {
      guard let b = baseline, b > 0, let m = processes[i].medianSeconds else { continue }
      let ratio = String(format: "%.1f× /bin/true (median)", m / b)
      processes[i].note = processes[i].note.map { "\($0); \(ratio)" } ?? ratio
    }
    return results + processes
  }

  /// `orrmeta batch` over 10,000 generated cohort files (k = 3…66 each), when the binary has
  /// the command; otherwise a skipped row.
  static func batch(binary: String, options: BenchOptions) -> [BenchResult] {
    let files = options.quick ? 1000 : 10_000
    guard FileManager.default.isExecutableFile(atPath: binary), hasSubcommand(binary, "batch") else {
      return [BenchResult(
        task: "batch", method: nil, dataset: nil, k: nil, operation: "\(files) files", threads: options.threads,
        note: "skipped: this orrmeta binary has no batch command (branch batch not merged into main yet)")]
    }
    let fm = FileManager.default
    let root = fm.temporaryDirectory.appendingPathComponent("orrmeta-bench-batch-\(getpid())").path
    defer { try? fm.removeItem(atPath: root) }
    let input = "\(root)/corpus"
    try? fm.createDirectory(atPath: input, withIntermediateDirectories: true)
    var rng = Xoshiro256StarStar(seed: SyntheticCohorts.seed, stream: 0xBA7C)
    for f in 0..<files {
      let d = SyntheticCohorts.make(k: 3 + rng.nextIndex(below: 64), seed: SyntheticCohorts.seed &+ UInt64(f))
      var text = "label,events,n\n"
      for i in 0..<d.k { text += "c\(i + 1),\(d.events[i]),\(d.totals[i])\n" }
      try? text.write(toFile: "\(input)/f\(f).csv", atomically: false, encoding: .utf8)
    }
    // The default, and the options for batches that need less per file (`--layout flat`, no
    // directory per input; `cohort_intervals = "none"`, no per-cohort CIs): runs interleaved so
    // that every variant sees the same load.
    let lean = "\(root)/lean.toml"
    try? "[analyses.default]\ncohort_intervals = \"none\"\n".write(toFile: lean, atomically: false, encoding: .utf8)
    var variants: [(task: String, arguments: [String], outputRoot: String)] = [
      ("batch", [], root), ("batch_flat_no_cohort_cis", ["--layout", "flat", "--spec", lean], root),
    ]
    // The default again with its output on tmpfs (/dev/shm), when the temporary directory is
    // elsewhere: what orrmeta's own work allows, beside what the temporary directory's file
    // system allows (on an ext4 disk the kernel's cost of creating a directory and a file per
    // input can exceed orrmeta's user time).
    let tmpfs = "/dev/shm"
    var isDirectory: ObjCBool = false
    if !root.hasPrefix(tmpfs + "/"), fm.fileExists(atPath: tmpfs, isDirectory: &isDirectory), isDirectory.boolValue,
      access(tmpfs, W_OK) == 0
    {
      variants.append(("batch_tmpfs", [], "\(tmpfs)/orrmeta-bench-batch-\(getpid())"))
    }
    var timesOf = [[Double]](repeating: [], count: variants.count), cpuOf = timesOf, systemOf = timesOf
    var failuresOf = [Int](repeating: 0, count: variants.count)
    for run in 0..<(options.quick ? 1 : 3) {
      for (v, variant) in variants.enumerated() {
        let out = "\(variant.outputRoot)/out\(run)-\(v)"
        // Dirty pages of the previous run written back first, not by the kernel's flusher
        // threads during this one (they compete for the same cores).
        sync()
        let c0 = childrenCPUSplit()
        let r = spawn(binary, ["batch", input, "--out", out, "--quiet", "--jobs", "\(options.threads)"] + variant.arguments)
        let c1 = childrenCPUSplit()
        cpuOf[v].append(c1.user + c1.system - c0.user - c0.system)
        systemOf[v].append(c1.system - c0.system)
        if r.status != 0 { failuresOf[v] += 1 }
        timesOf[v].append(r.seconds)
        try? fm.removeItem(atPath: out)
        if variant.outputRoot != root { try? fm.removeItem(atPath: variant.outputRoot) }
      }
    }
    // In process, one job: allocations and CPU per file of the same work (read, hash, parse,
    // analyse, encode, write the result; then the summaries).
    var inProcess: [BenchResult] = []
    var allocationsPerFile: Double? = nil
    if let inputs = try? BatchInputs.expand([input]) {
      let sample = Array(inputs.prefix(options.quick ? 200 : 1000))
      let out = "\(root)/out-in-process"
      let analysis = BatchAnalysis(name: "default", kind: .pool, settings: AnalysisSettings(), columns: ColumnSelection())
      let runner = BatchRunner(files: sample, analyses: [analysis], outputDirectory: out, jobs: 1)
      _ = try? runner.run()  // warm-up (directories, lazy globals)
      try? fm.removeItem(atPath: out)
      var outcome: BatchOutcome?
      var usage0 = rusage(), usage1 = rusage()
      selfUsage(&usage0)
      let t0 = Date()
      let allocations = AllocationCounter.during { outcome = try? runner.run() }
      let seconds = Date().timeIntervalSince(t0)
      selfUsage(&usage1)
      func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) * 1e-6 }
      let sys = s(usage1.ru_stime) - s(usage0.ru_stime)
      let cpuPerFile = (s(usage1.ru_utime) - s(usage0.ru_utime) + sys) / Double(sample.count)
      allocationsPerFile = allocations.map { Double($0) / Double(sample.count) }
      try? fm.removeItem(atPath: out)
      inProcess.append(BenchResult(
        task: "batch_in_process", method: "REML", dataset: "corpus", k: nil, operation: "\(sample.count) files, BatchRunner, 1 job",
        threads: 1, minSeconds: seconds / Double(sample.count), medianSeconds: seconds / Double(sample.count), cpuSeconds: cpuPerFile,
        samples: 1, operationsPerSample: 1,
        allocationsPerOperation: allocationsPerFile,
        filesPerSecond: Double(sample.count) / seconds, cpuSecondsPerFile: cpuPerFile, systemSecondsPerFile: sys / Double(sample.count),
        note: outcome.map { "\($0.failed) failed" } ?? "run failed"))
    }
    return inProcess + variants.indices.map { v in
      let times = timesOf[v].sorted(), cpu = cpuOf[v], system = systemOf[v]
      let wall = Stopwatch.median(times)
      let cpuPerFile = Stopwatch.median(cpu) / Double(files)
      return BenchResult(
        task: variants[v].task, method: "REML", dataset: "corpus", k: nil,
        operation: "\(files) files (one process)" + (variants[v].arguments.isEmpty ? "" : ", --layout flat, cohort_intervals = \"none\"")
          + (variants[v].outputRoot == root ? "" : ", output on tmpfs (\(tmpfs))"),
        threads: options.threads, minSeconds: times.first, medianSeconds: wall,
        cpuSeconds: Stopwatch.median(cpu), samples: times.count,
        operationsPerSample: 1, allocationsPerOperation: v == 0 ? allocationsPerFile : nil,
        filesPerSecond: Double(files) / wall, cpuSecondsPerFile: cpuPerFile, systemSecondsPerFile: Stopwatch.median(system) / Double(files),
        note: failuresOf[v] > 0 ? "\(failuresOf[v]) runs exited non-zero" : String(
          format: "%.0f files/s, %.1f µs wall and %.1f µs CPU (%.1f µs system) per file (medians)",
          Double(files) / wall, 1e6 * wall / Double(files), 1e6 * cpuPerFile, 1e6 * Stopwatch.median(system) / Double(files))
          + (v == 0 ? "; allocs/op: per file, in process" : ""))
    }
  }
}
