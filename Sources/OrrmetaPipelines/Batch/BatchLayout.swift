// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation

/// The files of a batch output directory (documented in `Docs/batch.md`).
///
/// ```
/// DIR/summary.csv       one row per file × analysis (the columns of ``BatchRow``)
/// DIR/summary.jsonl     the same rows as JSON lines
/// DIR/errors.csv        one row per failed file × analysis: file, analysis, line, column, message
/// DIR/manifest.jsonl    the record of every row with its input and settings hashes (--resume, merge)
/// DIR/batch.json        what the run covered: shard, item counts, analyses, interrupted or not
/// DIR/results/<input path below the inputs' root>/<analysis>.json   the JSON of each successful pair
///                     (`--layout flat`: DIR/results/<input path below the inputs' root>.<analysis>.json)
/// ```
package enum BatchLayout {
  /// Where a pair's result file goes below `results/` (`orrmeta batch --layout`).
  package enum Style: String, CaseIterable, Sendable {
    /// `results/<relative path>/<analysis>.json`: one directory per input file (the default).
    case nested
    /// `results/<relative path>.<analysis>.json`: no directory per input file, which saves a
    /// `mkdir(2)` and its inode per input (up to a sixth of a batch file's CPU on ext4 when many
    /// inodes were freed recently; nothing measurable otherwise — Docs/performance.md).
    case flat
  }

  /// One row per file × analysis (CSV).
  package static let summaryCSV = "summary.csv"
  /// The same rows as JSON lines.
  package static let summaryJSONL = "summary.jsonl"
  /// The failed pairs with the error's location.
  package static let errorsCSV = "errors.csv"
  /// One ``BatchRecord`` per line.
  package static let manifest = "manifest.jsonl"
  /// ``BatchRunInfo``.
  package static let runInfo = "batch.json"
  /// The directory of the result files.
  package static let results = "results"

  /// The result file of an input file and an analysis, relative to the output directory:
  /// `results/<path of the file below the inputs' common root>/<analysis>.json`.
  ///
  /// The root is the deepest directory that contains every input file of the run (all shards
  /// expand the same inputs, so they agree on it): `data/sub/g01.csv` among inputs under `data/`
  /// gives `results/sub/g01.csv/reml.json`. The file name stays whole (`g01.csv`), so the mapping
  /// is one-to-one. Paths are compared lexically, relative ones against the working directory
  /// only when absolute and relative inputs are mixed.
  /// With ``Style/flat``, `results/<path below the root>.<analysis>.json` (`results/sub/g01.csv.reml.json`).
  package static func resultPath(file: String, analysis: String, root: InputRoot, style: Style = .nested) -> String {
    results + "/" + root.relative(file) + (style == .flat ? "." : "/") + analysis + ".json"
  }

  /// The result file name of `analysis` for an input named `fileName` (its last component).
  package static func resultName(fileName: some StringProtocol, analysis: String, style: Style) -> String {
    style == .flat ? fileName + "." + analysis + ".json" : analysis + ".json"
  }

  /// Two pairs whose result files would have the same path, or where one's result file would
  /// have to be a directory of the other's; nil when every path is free. Only ``Style/flat``
  /// can give one (input `a.csv` with analysis `x.y` and input `a.csv.x` with analysis `y`;
  /// input `a.csv` and input `a.csv.reml.json/b.csv`); the nested paths are one-to-one.
  package static func collision(files: [String], analyses: [String], root: InputRoot, style: Style) -> (String, String)? {
    guard style == .flat else { return nil }
    var seen: [String: String] = [:]
    for f in files {
      for a in analyses {
        let p = resultPath(file: f, analysis: a, root: root, style: style)
        if let other = seen[p] { return (other, f + " × " + a) }
        seen[p] = f + " × " + a
      }
    }
    // A result file that is also a parent directory of another result.
    for (p, pair) in seen.sorted(by: { $0.key < $1.key }) {
      var parent = Substring(p)
      while let slash = parent.lastIndex(of: "/") {
        parent = parent[..<slash]
        if let other = seen[String(parent)] { return (other, pair) }
      }
    }
    return nil
  }

  /// The common root of a run's input files (see ``resultPath(file:analysis:root:)``).
  package struct InputRoot: Sendable, Equatable {
    /// The root's components (lexical; `..` resolved against the preceding component).
    let components: [String]
    /// Whether relative paths are anchored at the working directory (absolute and relative mixed).
    let anchor: String?

    /// The deepest directory containing every one of `files`.
    package init(files: [String]) {
      // Anchored when the paths do not start alike (absolute and relative, or different numbers
      // of leading `..`): then no relative path below the root climbs out of it.
      let starts = Set(files.map { f in f.hasPrefix("/") ? -1 : Self.components(f, anchor: nil).prefix { $0 == ".." }.count })
      anchor = starts.count > 1 ? FileManager.default.currentDirectoryPath : nil
      var common: [String]? = nil
      for f in files {
        let directory = Array(Self.components(f, anchor: anchor).dropLast())
        guard let c = common else { common = directory; continue }
        var n = 0
        while n < c.count, n < directory.count, c[n] == directory[n] { n += 1 }
        common = Array(c.prefix(n))
      }
      components = common ?? []
    }

    /// The path of `file` below the root.
    package func relative(_ file: String) -> String {
      let parts = Self.components(file, anchor: anchor)
      let below = parts.starts(with: components) ? parts.dropFirst(components.count) : parts[...]
      return below.joined(separator: "/")
    }

    /// Lexical components: `/` first for an absolute path, no `.` or empty ones, `x/..` removed
    /// (a `..` that climbs above the start is kept; it is the same in every path of the run).
    static func components(_ path: String, anchor: String?) -> [String] {
      let full = anchor != nil && !path.hasPrefix("/") ? anchor! + "/" + path : path
      var out: [String] = full.hasPrefix("/") ? ["/"] : []
      for part in full.split(separator: "/") where part != "." {
        if part == "..", let last = out.last, last != "..", last != "/" { out.removeLast(); continue }
        if part == "..", out.last == "/" { continue }
        out.append(String(part))
      }
      return out
    }
  }
}
