// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion

/// One row of the benchmark table (one element of the JSON array).
struct BenchResult: Encodable {
  /// Task identifier, e.g. `fit`, `case_deletion`, `gosh_random`, `pool_process`.
  var task: String
  /// τ² method, when the task has one.
  var method: String?
  /// Dataset (`k66`, `alk`, …) and its k.
  var dataset: String?
  var k: Int?
  /// What one operation is (`fit`, `analysis of 1e6 subsets`, `process`, …).
  var operation: String
  /// Threads used.
  var threads: Int
  /// Minimum and median wall seconds per operation.
  var minSeconds: Double?
  var medianSeconds: Double?
  /// Median process CPU seconds per operation (all threads).
  var cpuSeconds: Double?
  /// Samples and operations per sample.
  var samples: Int?
  var operationsPerSample: Int?
  /// Heap allocations per operation (nil when not counted).
  var allocationsPerOperation: Double?
  /// Batch rows: files per second (wall, median run), CPU seconds per file (user + system, and
  /// the system part alone), all processes' threads.
  var filesPerSecond: Double? = nil
  var cpuSecondsPerFile: Double? = nil
  var systemSecondsPerFile: Double? = nil
  /// Why a task was skipped, or a remark.
  var note: String?

  enum CodingKeys: String, CodingKey {
    case task, method, dataset, k, operation, threads
    case minSeconds = "min_seconds", medianSeconds = "median_seconds", cpuSeconds = "cpu_seconds", samples
    case operationsPerSample = "operations_per_sample", allocationsPerOperation = "allocations_per_operation"
    case filesPerSecond = "files_per_second", cpuSecondsPerFile = "cpu_seconds_per_file"
    case systemSecondsPerFile = "system_seconds_per_file", note
  }
}

/// The whole run: machine, date and results.
struct BenchReport: Encodable {
  var tool = "orrmeta-bench"
  var date: String
  var machine: MachineInfo
  var results: [BenchResult]
}

/// The machine the run was on (Linux: /proc; elsewhere what Foundation knows).
struct MachineInfo: Encodable {
  var cpu: String
  var cores: Int
  var memoryGiB: Double
  var loadAverage: String?
  var os: String

  enum CodingKeys: String, CodingKey {
    case cpu, cores, memoryGiB = "memory_gib", loadAverage = "load_average", os
  }

  static func current() -> MachineInfo {
    let info = ProcessInfo.processInfo
    var cpu = "unknown"
    if let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
       let line = text.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
       let colon = line.firstIndex(of: ":") {
      cpu = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))
      .map { $0.split(separator: " ").prefix(3).joined(separator: " ") }
    return MachineInfo(
      cpu: cpu, cores: availableProcessorCount(), memoryGiB: Double(info.physicalMemory) / 1_073_741_824,
      loadAverage: load, os: info.operatingSystemVersionString)
  }
}
