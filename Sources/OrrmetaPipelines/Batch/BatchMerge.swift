// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import OrrmetaIO

/// `orrmeta merge`: combines the output directories of the shards of one batch (`--shard 1/N`
/// … `N/N`) into the directory one run would have written: the same `summary.csv`,
/// `summary.jsonl`, `errors.csv`, `manifest.jsonl` and `batch.json`, byte for byte, and every
/// result file copied.
///
/// The shards are checked first, from their `batch.json`: the same batch (number of shards,
/// files, pairs, analyses and their settings hashes), each shard exactly once, none interrupted
/// and each complete. Rows come from the shards' manifests; the summaries are rendered from
/// them as ``BatchRunner`` renders its own.
package enum BatchMerge {
  /// Merges `directories` into `output`.
  /// - Throws: ``BatchMergeError`` for shards that do not make one complete batch,
  ///   ``InputError`` for a missing, malformed or non-regular shard file (a FIFO or device is
  ///   refused unopened), ``AtomicFile/WriteError`` when the output cannot be written. Every
  ///   check, of every result file included, comes before the output directory is created.
  package static func merge(directories: [String], into output: String) throws -> BatchOutcome {
    guard let first = directories.first else {
      throw BatchMergeError(directory: output, reason: "no shard directories given")
    }
    var infos: [(dir: String, info: BatchRunInfo)] = []
    for dir in directories { infos.append((dir, try BatchRunInfo.read(path: dir + "/" + BatchLayout.runInfo))) }

    let reference = infos[0].info
    guard let style = reference.style else {
      throw BatchMergeError(directory: first, reason: "batch.json has an unknown layout '\(reference.layout ?? "")'")
    }
    guard let shardCount = BatchShard("1/" + (reference.shard.split(separator: "/").last.map(String.init) ?? ""))?.count else {
      throw BatchMergeError(directory: first, reason: "batch.json has an invalid shard '\(reference.shard)'")
    }
    var seen: [Int: String] = [:]
    for (dir, info) in infos {
      guard let shard = BatchShard(info.shard) else {
        throw BatchMergeError(directory: dir, reason: "batch.json has an invalid shard '\(info.shard)'")
      }
      if shard.count != shardCount || info.work_items != reference.work_items || info.files != reference.files
        || info.inputs_sha256 != reference.inputs_sha256
        || info.analyses != reference.analyses || info.orrmeta_version != reference.orrmeta_version
      {
        throw BatchMergeError(directory: dir, reason: "not a shard of the same batch as \(first) (shard \(info.shard) vs \(reference.shard), \(info.files) vs \(reference.files) files, \(info.work_items) vs \(reference.work_items) pairs, or the input paths, analyses or orrmeta version differ); run every shard with the same inputs, spec and orrmeta")
      }
      if info.layout != reference.layout {
        throw BatchMergeError(directory: dir, reason: "written with --layout \(info.layout ?? "nested"), but \(first) with --layout \(reference.layout ?? "nested"); run every shard with the same --layout")
      }
      if let other = seen[shard.index] {
        throw BatchMergeError(directory: dir, reason: other == dir ? "given twice; give each shard once" : "shard \(info.shard) is also in \(other); give each shard once")
      }
      seen[shard.index] = dir
      if info.interrupted || info.completed != info.shard_items {
        throw BatchMergeError(directory: dir, reason: "shard \(info.shard) is incomplete (\(info.completed) of \(info.shard_items) pairs\(info.interrupted ? ", interrupted" : "")); rerun it with --resume, then merge")
      }
    }
    let missing = (1...shardCount).filter { seen[$0] == nil }
    if !missing.isEmpty {
      throw BatchMergeError(directory: first, reason: "shard\(missing.count == 1 ? "" : "s") \(missing.map { "\($0)/\(shardCount)" }.joined(separator: ", ")) missing; merge needs all \(shardCount) shard directories")
    }

    let outResolved = resolvedPath(output)
    for dir in directories {
      guard let shardReal = BatchInputs.realPath(dir) else { continue }
      if outResolved == shardReal {
        throw BatchMergeError(directory: dir, reason: "the output directory is one of the shard directories; choose a new --out")
      }
      if outResolved.hasPrefix(shardReal.hasSuffix("/") ? shardReal : shardReal + "/") {
        throw BatchMergeError(directory: dir, reason: "the output directory \(output) is inside this shard directory; choose a --out outside every shard")
      }
    }

    var records: [BatchRecord] = []
    var owner: [String: String] = [:]
    for (dir, info) in infos {
      let manifest = try BatchSummary.readManifest(path: dir + "/" + BatchLayout.manifest)
      guard manifest.count == info.shard_items else {
        throw BatchMergeError(directory: dir, reason: "manifest.jsonl has \(manifest.count) records but batch.json lists \(info.shard_items) pairs; rerun the shard with --resume")
      }
      for (i, r) in manifest.enumerated() {
        try checkResultPath(r, line: i + 1, shard: dir, style: style)
        let key = BatchRunner.key(r.file, r.analysis)
        if let other = owner[key] {
          throw BatchMergeError(directory: dir, reason: "\(r.file) × \(r.analysis) is also in \(other); the shards overlap")
        }
        owner[key] = dir
        records.append(r)
      }
    }

    // Every result is checked before --out is created, so a bad shard leaves no output: it must
    // exist, resolve inside its shard's results/, be a regular file (a FIFO or device is refused
    // unopened) and match its record's SHA-256. The copy below reads and checks it again (it
    // is not held in memory: a batch's results can be large).
    for r in records { _ = try verifiedResult(r, shard: owner[BatchRunner.key(r.file, r.analysis)]!) }

    do {
      try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
    } catch {
      throw AtomicFile.WriteError(path: output, reason: "cannot create the directory (\((error as NSError).localizedDescription))")
    }
    // Below --out, every directory is made or checked by OutputDirectory: never through a link.
    var made = Set<String>()
    try OutputDirectory.make(BatchLayout.results, below: output, verified: &made)
    let lock = try OutputDirectoryLock(directory: output)
    defer { lock.release() }
    AtomicFile.removeLeftovers(under: output)
    for r in records {
      guard let result = r.result, let data = try verifiedResult(r, shard: owner[BatchRunner.key(r.file, r.analysis)]!) else { continue }
      try OutputDirectory.make((result as NSString).deletingLastPathComponent, below: output, verified: &made)
      try AtomicFile.write(Data(data), to: output + "/" + result)
    }

    let failed = records.filter { $0.failure != nil }.count
    let info = BatchRunInfo(
      shard: .whole, files: reference.files, inputsHash: reference.inputs_sha256, workItems: reference.work_items, shardItems: reference.work_items,
      completed: records.count, failed: failed, interrupted: false, analyses: reference.analyses, layout: style)
    try BatchRunner.writeOutputs(records: records, manifest: records, info: info, to: output, threads: availableProcessorCount())
    return BatchOutcome(
      files: reference.files, workItems: reference.work_items, shardItems: reference.work_items, completed: records.count,
      computed: 0, reused: 0, failed: failed, interruption: nil)
  }

  /// The bytes of a record's result file in its shard, checked: nil when the record has no
  /// result; refused when the file is missing, resolves outside the shard's `results/` (a
  /// symbolic link out), is not a regular file, or does not match the record's SHA-256.
  static func verifiedResult(_ r: BatchRecord, shard: String) throws -> [UInt8]? {
    guard let result = r.result else { return nil }
    let source = shard + "/" + result
    guard let real = BatchInputs.realPath(source) else {
      throw BatchMergeError(directory: shard, reason: "result \(result) is missing; rerun the shard with --resume")
    }
    guard let resultsReal = BatchInputs.realPath(shard + "/" + BatchLayout.results), real.hasPrefix(resultsReal + "/") else {
      throw BatchMergeError(directory: shard, reason: "result \(result) leads outside the shard's results directory (a symbolic link?); refusing to read it")
    }
    let data = try FileBytes.readRegularFile(source)
    if r.result_sha256 != SHA256.hex(data) {
      throw BatchMergeError(
        directory: shard,
        reason: "result \(result) does not match its manifest record (SHA-256 \(r.result_sha256 ?? "missing") expected); was it edited? rerun the shard with --resume")
    }
    return data
  }

  /// A manifest record's result path must have the shape `batch` writes for its file and
  /// analysis (``BatchLayout/resultPath(file:analysis:root:style:)``: inside `results/`, ending
  /// with the file's name, then `<analysis>.json` — `/<analysis>.json` in the nested layout,
  /// `.<analysis>.json` in the flat one; no `.`, `..` or empty component): an edited line must not
  /// make merge read or write anywhere else.
  package static func checkResultPath(_ r: BatchRecord, line: Int, shard: String, style: BatchLayout.Style = .nested) throws(BatchMergeError) {
    guard let result = r.result else { return }
    let components = result.split(separator: "/", omittingEmptySubsequences: false)
    let fileName = r.file.split(separator: "/").last ?? ""
    let name = BatchLayout.resultName(fileName: fileName, analysis: r.analysis, style: style)
    let shaped: Bool
    switch style {
    case .nested:
      shaped = components.count >= 3 && components.first == Substring(BatchLayout.results)
        && components.last == Substring(name) && components[components.count - 2] == fileName
    case .flat:
      shaped = components.count >= 2 && components.first == Substring(BatchLayout.results) && components.last == Substring(name)
    }
    if !shaped || components.contains(where: { $0 == ".." || $0 == "." || $0.isEmpty }) || r.analysis.contains("/") {
      let expected = style == .nested ? "results/…/\(fileName)/\(name)" : "results/…/\(name)"
      throw BatchMergeError(
        directory: shard,
        reason: "manifest.jsonl line \(line): result path '\(result.prefix(200))' is not one batch writes for this file and analysis ('\(expected)'); was the manifest edited?")
    }
  }

  /// The absolute path with symbolic links resolved as far as the path exists.
  static func resolvedPath(_ path: String) -> String {
    var url = URL(fileURLWithPath: path).standardized
    var rest: [String] = []
    while BatchInputs.realPath(url.path) == nil, url.path != "/" {
      rest.insert(url.lastPathComponent, at: 0)
      url = url.deletingLastPathComponent()
    }
    return ([BatchInputs.realPath(url.path) ?? url.path] + rest).joined(separator: "/").replacingOccurrences(of: "//", with: "/")
  }
}
