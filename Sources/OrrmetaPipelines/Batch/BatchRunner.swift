// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import OrrmetaIO
import OrrmetaReports

/// Runs every analysis of a batch over every input file: in parallel, each file × analysis
/// isolated from the others, each output file written atomically, resumable and shardable.
/// Each result file is the JSON of the analysis' command (`orrmeta pool` or
/// `orrmeta sensitivity` with `--format json`), byte for byte.
///
/// The work list is every file × analysis, sorted by path then analysis name; ``shard`` keeps
/// its part (``BatchShard``). A file's analyses of the shard form one unit of work (the file is
/// read, hashed and parsed once); `jobs` workers take units from the list in order
/// (`DispatchQueue.concurrentPerform` over a shared cursor). A unit's failure — unreadable
/// file, malformed CSV, a fit that fails — becomes `error` rows for that unit only.
///
/// A cancellation (SIGINT, SIGTERM) stops the workers from taking new units; units being
/// analysed finish, and the summary files describe exactly the pairs that finished. The
/// manifest is also written every ``checkpointInterval`` seconds, so that even a killed run
/// can be resumed from its last checkpoint.
///
/// With ``resume``, a pair is not recomputed when the manifest of the output directory has an
/// `ok` record for it whose input SHA-256 and settings SHA-256 (``BatchAnalysis/settingsHash``)
/// equal the current ones and whose result file exists; its row is taken from the manifest.
package struct BatchRunner: Sendable {
  /// Input files (``BatchInputs/expand(_:excluding:)``).
  package var files: [String]
  /// The analyses (unique names).
  package var analyses: [BatchAnalysis]
  /// The output directory (created when missing).
  package var outputDirectory: String
  /// Units analysed at once (at most the number of cores Dispatch uses).
  package var jobs: Int
  /// The part of the work list to do.
  package var shard: BatchShard
  /// Reuse unchanged results.
  package var resume: Bool
  /// Seconds between manifest checkpoints.
  package var checkpointInterval: Double
  /// Where result files go (``BatchLayout/Style``). With ``BatchLayout/Style/flat`` the caller
  /// checks first that no two pairs share a path (``BatchLayout/collision(files:analyses:root:style:)``).
  package var layout: BatchLayout.Style

  /// Creates a runner.
  package init(
    files: [String], analyses: [BatchAnalysis], outputDirectory: String, jobs: Int = availableProcessorCount(),
    shard: BatchShard = .whole, resume: Bool = false, checkpointInterval: Double = 10, layout: BatchLayout.Style = .nested
  ) {
    precondition(Set(analyses.map(\.name)).count == analyses.count, "analysis names must be unique")
    self.files = files
    self.analyses = analyses.sorted { utf8Less($0.name, $1.name) }
    self.outputDirectory = outputDirectory
    self.jobs = max(1, jobs)
    self.shard = shard
    self.resume = resume
    self.checkpointInterval = checkpointInterval
    self.layout = layout
  }

  /// One file and the analyses of the shard to run on it.
  struct Unit: Sendable {
    let file: String
    let analyses: [Int]
  }

  /// Runs the batch and writes the output directory.
  /// - Throws: ``AtomicFile/WriteError`` when the output directory or a summary file cannot be
  ///   written (a result file that cannot be written is an `error` row instead).
  package func run(cancellation: BatchCancellation = BatchCancellation(), progress: any BatchProgressReporting = SilentBatchProgress()) throws(AtomicFile.WriteError) -> BatchOutcome {
    try makeDirectory(outputDirectory)
    // One run at a time per directory; then the temporary files of a run that died are ours
    // to remove.
    let lock = try OutputDirectoryLock(directory: outputDirectory)
    defer { lock.release() }
    AtomicFile.removeLeftovers(under: outputDirectory)
    var top = Set<String>()
    try OutputDirectory.make(BatchLayout.results, below: outputDirectory, verified: &top)

    let files = self.files.sorted(by: utf8Less)
    let root = BatchLayout.InputRoot(files: files)
    var units: [Unit] = []
    var position = 0
    for file in files {
      var mine: [Int] = []
      for a in analyses.indices {
        if shard.contains(position: position) { mine.append(a) }
        position += 1
      }
      if !mine.isEmpty { units.append(Unit(file: file, analyses: mine)) }
    }
    let workItems = position
    let shardItems = units.reduce(0) { $0 + $1.analyses.count }

    var warnings: [String] = []
    var previous: [String: BatchRecord] = [:]
    if resume {
      let manifestPath = path(BatchLayout.manifest)
      if FileManager.default.fileExists(atPath: manifestPath) {
        do {
          for r in try BatchSummary.readManifest(path: manifestPath) { previous[Self.key(r.file, r.analysis)] = r }
        } catch {
          warnings.append("--resume: ignoring the old manifest (\(error.description)); every pair is recomputed")
        }
      }
    }

    let state = State(units: units.count, previous: previous)
    let (allUnits, reusable) = (units, previous)
    let hashes = analyses.map(\.settingsHash)
    progress.start(total: shardItems)
    let resultsDirectory = path(BatchLayout.results)
    // The cohorts' binomial CIs computed so far, shared by the workers (files repeat (events, n)
    // pairs).
    let intervals = BinomialIntervalMemo()
    DispatchQueue.concurrentPerform(iterations: min(jobs, max(1, units.count))) { _ in
      // The result directories this worker made or found (each is made once, not once per file).
      var directories: Set<String> = [resultsDirectory]
      while !cancellation.isCancelled, let u = state.take() {
        let (records, computed) = process(
          allUnits[u], root: root, settingsHashes: hashes, previous: reusable, directories: &directories, intervals: intervals)
        let failures = records.filter { $0.failure != nil }.count
        state.complete(u, records: records, computed: computed)
        progress.advance(by: records.count, failures: failures)
        checkpointIfDue(state, units: allUnits)
      }
    }
    progress.finish()

    let (done, computed) = state.finished()
    let records = done.flatMap { $0 }
    let interrupted = done.count < units.count ? (cancellation.cancellationReason ?? "stopped") : nil
    var manifestRecords = records
    if interrupted != nil { manifestRecords += state.carriedOver(units: units, analyses: analyses) }
    let failed = records.filter { $0.failure != nil }.count
    let info = BatchRunInfo(
      shard: shard, files: files.count, inputsHash: BatchRunInfo.inputsHash(files), workItems: workItems, shardItems: shardItems, completed: records.count,
      failed: failed, interrupted: interrupted != nil,
      analyses: analyses.map { .init(name: $0.name, type: $0.kind.rawValue, settings_sha256: $0.settingsHash) }, layout: layout)
    try Self.writeOutputs(records: records, manifest: manifestRecords, info: info, to: outputDirectory, threads: jobs)
    return BatchOutcome(
      files: files.count, workItems: workItems, shardItems: shardItems, completed: records.count, computed: computed,
      reused: records.count - computed, failed: failed, interruption: interrupted, warnings: warnings)
  }

  /// Writes the summary files, the manifest and `batch.json` (each atomically; `batch.json`
  /// last), rendered on up to `threads` threads. Shared with ``BatchMerge``.
  static func writeOutputs(
    records: [BatchRecord], manifest: [BatchRecord], info: BatchRunInfo, to directory: String, threads: Int
  ) throws(AtomicFile.WriteError) {
    func write(_ name: String, durable: Bool = false, _ render: () throws -> String) throws(AtomicFile.WriteError) {
      let target = directory + "/" + name
      let text: String
      do { text = try render() } catch { throw AtomicFile.WriteError(path: target, reason: "cannot render: \(error)") }
      try AtomicFile.write(text, to: target, durable: durable)
    }
    let rendering: BatchSummary.Rendering
    do {
      rendering = try BatchSummary.render(records: records, manifest: manifest, threads: threads)
    } catch {
      throw AtomicFile.WriteError(path: directory + "/" + BatchLayout.summaryJSONL, reason: "cannot render: \(error)")
    }
    try write(BatchLayout.summaryCSV) { rendering.csv }
    try write(BatchLayout.summaryJSONL) { rendering.jsonLines }
    try write(BatchLayout.errorsCSV) { rendering.errorsCSV }
    try write(BatchLayout.manifest, durable: true) { rendering.manifest }
    try write(BatchLayout.runInfo) { try JSONOutput.encode(info) }
  }

  /// Analyses one unit. Never throws: every failure becomes an `error` record. `directories`:
  /// the result directories known to exist (one `mkdir` per new directory, not per file);
  /// `intervals`: the cohort CIs computed so far (by any worker).
  func process(
    _ unit: Unit, root: BatchLayout.InputRoot, settingsHashes: [String], previous: [String: BatchRecord], directories: inout Set<String>,
    intervals: BinomialIntervalMemo? = nil
  ) -> (records: [BatchRecord], computed: Int) {
    let file = unit.file
    guard let data = FileBytes.read(file) else {
      var isDir: ObjCBool = false
      var link = stat()
      let dangling = lstat(file, &link) == 0 && link.st_mode & S_IFMT == S_IFLNK
      let reason = FileManager.default.fileExists(atPath: file, isDirectory: &isDir)
        ? (isDir.boolValue ? "it is a directory" : "permission denied or I/O error")
        : dangling ? "a symbolic link to a file that does not exist" : "no such file (was it removed during the run?)"
      let e = InputError.unreadable(file: file, reason: reason)
      return (unit.analyses.map { failed(e, file: file, analysis: analyses[$0], inputHash: nil, settingsHash: settingsHashes[$0]) }, unit.analyses.count)
    }
    let inputHash = SHA256.hex(data)
    var table: Result<CSVTable, InputError>?
    var records: [BatchRecord] = []
    var computed = 0
    for a in unit.analyses {
      let analysis = analyses[a]
      let relative = BatchLayout.resultPath(file: file, analysis: analysis.name, root: root, style: layout)
      let target = path(relative)
      if resume, let old = previous[Self.key(file, analysis.name)], old.failure == nil, old.row.status == "ok",
        old.input_sha256 == inputHash, old.settings_sha256 == settingsHashes[a], old.result == relative,
        let stored = FileManager.default.contents(atPath: target), old.result_sha256 == SHA256.hex(stored)
      {
        records.append(old)
        continue
      }
      computed += 1
      do {
        if table == nil {
          table = data.withUnsafeBytes { raw in Result { () throws(InputError) in try CSVTable.parse(bytes: raw, file: file) } }
        }
        let (json, row) = analysis.kind == .compare
          ? try Self.compare(try table!.get(), analysis, file: file)
          : try Self.analyse(
            try CohortFile.load(table: try table!.get(), columns: analysis.columns), analysis, file: file, intervals: intervals)
        let directory = String(target[..<target.utf8.lastIndex(of: UInt8(ascii: "/"))!])
        if !directories.contains(directory) {
          try OutputDirectory.make(directory.dropFirst(outputDirectory.count + 1), below: outputDirectory, verified: &directories)
        }
        let resultHash = try json.withUnsafeBytes { bytes throws(AtomicFile.WriteError) in
          try AtomicFile.write(bytes: bytes, to: target)
          return SHA256.hex(bytes)
        }
        records.append(BatchRecord(
          file: file, analysis: analysis.name, inputHash: inputHash, settingsHash: settingsHashes[a], result: relative,
          resultHash: resultHash, failure: nil, row: row))
      } catch {
        // A result left by an earlier run would contradict this run's summary.
        if FileManager.default.fileExists(atPath: target) { unlink(target) }
        records.append(failed(error, file: file, analysis: analysis, inputHash: inputHash, settingsHash: settingsHashes[a]))
      }
    }
    return (records, computed)
  }

  /// Runs one analysis on a validated cohort file: its result file's text and its summary row.
  /// Each kind runs its command's pipeline (``PoolPipeline``, ``SensitivityPipeline``, the
  /// latter on one thread); a new ``BatchAnalysisKind`` adds its branch here. `intervals`: the
  /// cohorts' CIs computed for earlier files (the same numbers; fewer GSL quantiles).
  static func analyse(
    _ cohorts: CohortFile, _ analysis: BatchAnalysis, file: String, intervals: BinomialIntervalMemo? = nil
  ) throws -> (json: [UInt8], row: BatchRow) {
    switch analysis.kind {
    case .pool:
      var clusters: ClusterColumn? = nil
      if let c = analysis.columns.cluster { clusters = try ClusterColumn(cohorts, named: c) }
      let settings = analysis.settings
      let cohortIntervals = !analysis.cohortIntervals
        ? CohortIntervals.omitted(method: settings.studyInterval, level: settings.level)
        : clusters == nil ? PoolPipeline.sharedIntervals(cohorts, settings: settings, memo: intervals) : nil
      let report = try PoolPipeline.run(cohorts, settings: settings, clusters: clusters, cohortIntervals: cohortIntervals)
      return (try PoolPipeline.jsonBytes(report), BatchRow(file: file, analysis: analysis.name, report: report))
    case .sensitivity:
      guard let sensitivity = analysis.sensitivity else { preconditionFailure("a sensitivity analysis without its settings") }
      if let c = analysis.columns.cluster {
        // `orrmeta sensitivity --cluster`: the cluster diagnostics; the row from the
        // three-level pool blocks (`orrmeta pool --cluster`).
        let clusters = try ClusterColumn(cohorts, named: c)
        let r = sensitivity.request
        let report = try ClusterSensitivityReport.run(
          cohorts, settings: analysis.settings, clusters: clusters, leaveOneOut: r.leaveOneOut, influence: r.influence,
          cumulative: r.cumulative, bias: r.bias, bootstrap: r.bootstrapResamples, goshSubsets: r.gosh ? r.goshSubsets : nil,
          seed: r.seed, threads: 1)
        let pool = try PoolPipeline.run(cohorts, settings: analysis.settings, clusters: clusters)
        return (
          Array(try ClusterSensitivityReport.render(report, format: .json).utf8),
          BatchRow(file: file, analysis: analysis.name, clusterSensitivity: report, pool: pool)
        )
      }
      let outcome = try SensitivityPipeline.run(cohorts, settings: analysis.settings, request: try sensitivity.request(for: cohorts))
      return (
        Array(try SensitivityPipeline.render(outcome.report, format: .json).utf8),
        BatchRow(file: file, analysis: analysis.name, sensitivity: outcome)
      )
    case .regress:
      guard let regression = analysis.regression else { preconditionFailure("a regress analysis without its moderators") }
      let report = try regression.run(cohorts, settings: analysis.settings)
      return (Array(try RegressionPipeline.render(report, format: .json).utf8), BatchRow(file: file, analysis: analysis.name, regression: report, cohorts: cohorts))
    case .compare:
      preconditionFailure("a compare analysis reads a two-arm file, not a cohort file (BatchRunner.compare)")
    }
  }

  /// Runs a `compare` analysis on a parsed two-arm file (``ComparePipeline``, as
  /// `orrmeta compare FILE --format json`).
  static func compare(_ table: CSVTable, _ analysis: BatchAnalysis, file: String) throws -> (json: [UInt8], row: BatchRow) {
    guard let comparison = analysis.comparison else { preconditionFailure("a compare analysis without its settings") }
    let report = try comparison.run(table)
    return (Array(try ComparePipeline.render(report, format: .json).utf8), BatchRow(file: file, analysis: analysis.name, comparison: report))
  }

  /// The `error` record of a failure.
  func failed(_ error: any Error, file: String, analysis: BatchAnalysis, inputHash: String?, settingsHash: String) -> BatchRecord {
    let failure: BatchRecord.Failure
    switch error {
    case let e as InputError: failure = .init(line: e.line, column: e.column, message: e.message)
    case let e as MetaAnalysisError: failure = .init(line: nil, column: nil, message: e.description)
    case let e as AtomicFile.WriteError: failure = .init(line: nil, column: nil, message: e.description)
    case let e as CustomStringConvertible: failure = .init(line: nil, column: nil, message: e.description)
    default: failure = .init(line: nil, column: nil, message: "\(error)")
    }
    let text = (failure.line.map { "line \($0): " } ?? "") + failure.message
    return BatchRecord(
      file: file, analysis: analysis.name, inputHash: inputHash, settingsHash: settingsHash, result: nil,
      failure: failure, row: BatchRow(file: file, analysis: analysis.name, error: text))
  }

  /// Writes the manifest of what is done so far, at most every ``checkpointInterval`` seconds
  /// and by one worker at a time (the others carry on).
  func checkpointIfDue(_ state: State, units: [Unit]) {
    guard let snapshot = state.checkpointSnapshot(interval: checkpointInterval, units: units, analyses: analyses) else { return }
    defer { state.checkpointDone() }
    if let text = try? BatchSummary.manifest(snapshot) {
      try? AtomicFile.write(text, to: path(BatchLayout.manifest), durable: true)
    }
  }

  func path(_ relative: String) -> String { outputDirectory + "/" + relative }

  /// Creates the output directory itself (the path given as `--out`, which may be a link the
  /// user chose); everything below it goes through ``OutputDirectory``.
  func makeDirectory(_ dir: String) throws(AtomicFile.WriteError) {
    do {
      try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    } catch {
      throw AtomicFile.WriteError(path: dir, reason: "cannot create the directory (\((error as NSError).localizedDescription))")
    }
  }

  static func key(_ file: String, _ analysis: String) -> String { file + "\u{0}" + analysis }

  /// The workers' shared state: the cursor, the finished units and the checkpoint clock.
  final class State: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private let count: Int
    private var done: [[BatchRecord]?]
    private var computed = 0
    private var lastCheckpoint = Date()
    private var checkpointing = false
    private let previous: [String: BatchRecord]

    init(units: Int, previous: [String: BatchRecord]) {
      count = units
      done = Array(repeating: nil, count: units)
      self.previous = previous
    }

    /// The next unit to analyse, or nil when none is left.
    func take() -> Int? {
      lock.lock()
      defer { lock.unlock() }
      guard next < count else { return nil }
      next += 1
      return next - 1
    }

    func complete(_ unit: Int, records: [BatchRecord], computed n: Int) {
      lock.lock()
      done[unit] = records
      computed += n
      lock.unlock()
    }

    /// The finished units' records, in unit order, and how many were computed.
    func finished() -> ([[BatchRecord]], Int) {
      lock.lock()
      defer { lock.unlock() }
      return (done.compactMap { $0 }, computed)
    }

    /// Records of an earlier manifest for pairs not reached yet: kept in the manifest so that a
    /// later `--resume` can still reuse them (it checks their hashes).
    func carriedOver(units: [Unit], analyses: [BatchAnalysis]) -> [BatchRecord] {
      lock.lock()
      defer { lock.unlock() }
      return carriedOverLocked(units: units, analyses: analyses)
    }

    private func carriedOverLocked(units: [Unit], analyses: [BatchAnalysis]) -> [BatchRecord] {
      guard !previous.isEmpty else { return [] }
      var out: [BatchRecord] = []
      for (i, u) in units.enumerated() where done[i] == nil {
        for a in u.analyses { if let r = previous[BatchRunner.key(u.file, analyses[a].name)] { out.append(r) } }
      }
      return out
    }

    /// What to write at a checkpoint when one is due and none is being written; else nil.
    func checkpointSnapshot(interval: Double, units: [Unit], analyses: [BatchAnalysis]) -> [BatchRecord]? {
      lock.lock()
      defer { lock.unlock() }
      guard !checkpointing, Date().timeIntervalSince(lastCheckpoint) >= interval else { return nil }
      checkpointing = true
      return done.compactMap { $0 }.flatMap { $0 } + carriedOverLocked(units: units, analyses: analyses)
    }

    func checkpointDone() {
      lock.lock()
      lastCheckpoint = Date()
      checkpointing = false
      lock.unlock()
    }
  }
}
