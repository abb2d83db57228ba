// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion

/// The groups of benchmarks that `--only` selects.
enum TaskGroup: String, CaseIterable {
  /// DL, REML and PM fits at k = 10 … 10⁶.
  case fit
  /// Heap allocations per fit and per resampled subset.
  case alloc
  /// Leave-one-out + influence (+ Baujat) at k = 66.
  case sensitivity
  /// GOSH with 10⁶ random subsets at k = 66.
  case gosh
  /// Bootstrap with 10⁴ resamples at k = 66.
  case bootstrap
  /// Whole-process wall time of `orrmeta pool` on the reference fixture.
  case startup
  /// `orrmeta batch` over 10,000 generated files (when the binary has the command).
  case batch
}

/// Output format.
enum OutputFormat: String {
  case table, json
}

/// Command-line options of `orrmeta-bench`.
struct BenchOptions {
  var format = OutputFormat.table
  var groups = Set(TaskGroup.allCases)
  /// Fewer samples and a smaller largest k (a smoke run).
  var quick = false
  /// Write the datasets (CSV: events, n, yi, vi) to this directory and exit.
  var exportDirectory: String?
  /// The `orrmeta` binary for the process benchmarks (default: next to this executable).
  var binary: String?
  /// The reference fixture (ALK-positive NSCLC cohorts).
  var fixture = "Fixtures/alk-nsclc/cohorts.csv"
  /// Worker threads of the resampling analyses.
  var threads = availableProcessorCount()
  /// `METHOD:K:SECONDS`: fit repeatedly for that long and exit (a target for `perf record`).
  var spin: (method: TauSquaredMethod, k: Int, seconds: Double)?

  static let usage = """
    usage: orrmeta-bench [--format table|json] [--only GROUP[,GROUP…]] [--quick]
                         [--threads N] [--fixture CSV] [--binary PATH] [--export DIR]
                         [--spin METHOD:K:SECONDS]

    Groups: \(TaskGroup.allCases.map(\.rawValue).joined(separator: ", ")) (default: all).
    --export DIR writes the benchmark datasets (events, n, yi, vi) as CSV files to DIR and exits;
    scripts/bench-compare uses it to run metafor and statsmodels on the same data.
    --spin fits one synthetic dataset repeatedly for SECONDS and exits (for perf record).
    With ORRMETA_BENCH_SPIN_GLMM3=Q it fits the three-level GLMM (nAGQ = Q; METHOD ignored) instead.
    Timings are wall-clock (ContinuousClock): minimum and median over repeated samples.
    """

  struct UsageError: Error, CustomStringConvertible {
    var description: String
  }

  static func parse(_ arguments: [String]) throws -> BenchOptions {
    var o = BenchOptions()
    var i = 0
    func value(_ flag: String) throws -> String {
      i += 1
      guard i < arguments.count else { throw UsageError(description: "\(flag) needs a value") }
      return arguments[i]
    }
    while i < arguments.count {
      let a = arguments[i]
      switch a {
      case "--format":
        let v = try value(a)
        guard let f = OutputFormat(rawValue: v) else { throw UsageError(description: "unknown format '\(v)'") }
        o.format = f
      case "--only":
        var groups = Set<TaskGroup>()
        for name in try value(a).split(separator: ",") {
          guard let g = TaskGroup(rawValue: String(name)) else { throw UsageError(description: "unknown group '\(name)'") }
          groups.insert(g)
        }
        o.groups = groups
      case "--quick": o.quick = true
      case "--threads":
        guard let n = Int(try value(a)), n > 0 else { throw UsageError(description: "--threads needs a positive integer") }
        o.threads = n
      case "--fixture": o.fixture = try value(a)
      case "--binary": o.binary = try value(a)
      case "--export": o.exportDirectory = try value(a)
      case "--spin":
        let parts = try value(a).split(separator: ":").map(String.init)
        guard parts.count == 3, let m = TauSquaredMethod(rawValue: parts[0]), let k = Int(parts[1]), k > 0,
              let seconds = Double(parts[2]) else { throw UsageError(description: "--spin needs METHOD:K:SECONDS") }
        o.spin = (m, k, seconds)
      case "-h", "--help":
        print(usage)
        exit(0)
      default:
        throw UsageError(description: "unknown argument '\(a)'")
      }
      i += 1
    }
    return o
  }
}
