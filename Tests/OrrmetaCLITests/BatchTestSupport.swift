// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import Testing
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports
import _TestSupport

/// A fresh directory under the system's temporary directory, removed by ``remove()``.
struct TemporaryDirectory {
  let path: String

  init(_ label: String = "batch") throws {
    let base = FileManager.default.temporaryDirectory.path
    path = base + "/orrmeta-\(label)-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  func remove() { try? FileManager.default.removeItem(atPath: path) }

  /// Writes a text file (creating directories) and returns its path.
  @discardableResult
  func write(_ relative: String, _ text: String) throws -> String {
    let full = path + "/" + relative
    try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try Data(text.utf8).write(to: URL(fileURLWithPath: full))
    return full
  }

  func read(_ relative: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path + "/" + relative)) }
}

/// Small reproducible cohort files: `count` files under `directory`, spread over ten
/// subdirectories, 2 to 8 cohorts each (a linear congruential generator, so the corpus is the
/// same on every run and platform).
func writeCorpus(in dir: TemporaryDirectory, directory: String = "corpus", count: Int, seed: UInt64 = 42) throws -> [String] {
  var state = seed
  func next(_ bound: Int) -> Int {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return Int((state >> 33) % UInt64(bound))
  }
  var paths: [String] = []
  for i in 0..<count {
    var text = "study,events,n,arm\n"
    for j in 0..<(2 + next(7)) {
      let n = 10 + next(190)
      text += "s\(j),\(next(n + 1)),\(n),\(j % 2 == 0 ? "a" : "b")\n"
    }
    let relative = "\(directory)/g\(i % 10)/f\(String(format: "%05d", i)).csv"
    try dir.write(relative, text)
    paths.append(relative)
  }
  return paths
}

/// A process started with ``startOrrmeta(_:in:)`` that has ended.
struct FinishedProcess {
  let status: Int32
  let stdout: String
  let stderr: String
}

/// Starts `orrmeta` (the shared runner's ``orrmetaExecutable``) with `arguments` in
/// `directory`, for a test that must act while it runs; the returned function waits for it.
/// Standard output and error go to temporary files, so that a full pipe can never block it.
func startOrrmeta(_ arguments: [String], in directory: String) throws -> (Process, () -> FinishedProcess) {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: orrmetaExecutable)
  process.arguments = arguments
  process.currentDirectoryURL = URL(fileURLWithPath: directory)
  let id = UUID().uuidString
  let outPath = NSTemporaryDirectory() + "/orrmeta-test-out-\(id)"
  let errPath = NSTemporaryDirectory() + "/orrmeta-test-err-\(id)"
  _ = FileManager.default.createFile(atPath: outPath, contents: nil)
  _ = FileManager.default.createFile(atPath: errPath, contents: nil)
  process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
  process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
  try process.run()
  return (process, {
    process.waitUntilExit()
    let out = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
    let err = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
    try? FileManager.default.removeItem(atPath: outPath)
    try? FileManager.default.removeItem(atPath: errPath)
    return FinishedProcess(status: process.terminationStatus, stdout: out, stderr: err)
  })
}

/// Every file under a directory, relative to it, sorted.
func filesUnder(_ directory: String) -> [String] {
  guard let walker = FileManager.default.enumerator(atPath: directory) else { return [] }
  var out: [String] = []
  while let p = walker.nextObject() as? String {
    var isDir: ObjCBool = false
    if FileManager.default.fileExists(atPath: directory + "/" + p, isDirectory: &isDir), !isDir.boolValue { out.append(p) }
  }
  return out.sorted()
}

/// The summary rows of an output directory, parsed back from `summary.jsonl`.
func summaryRows(_ directory: String) throws -> [[String: Any]] {
  let text = try String(contentsOfFile: directory + "/" + BatchLayout.summaryJSONL, encoding: .utf8)
  return try text.split(separator: "\n").map {
    try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
  }
}
