// SPDX-License-Identifier: GPL-3.0-or-later

/// The files of a batch output directory (documented in `Docs/batch.md`).
///
/// ```
/// DIR/summary.csv       one row per file × analysis (the columns of ``BatchRow``)
/// DIR/summary.jsonl     the same rows as JSON lines
/// DIR/errors.csv        one row per failed file × analysis: file, analysis, line, column, message
/// DIR/manifest.jsonl    the record of every row with its input and settings hashes (--resume, merge)
/// DIR/batch.json        what the run covered: shard, item counts, analyses, interrupted or not
/// DIR/results/<input path>/<analysis>.json   the JSON of each successful pair (pool or sensitivity)
/// ```
package enum BatchLayout {
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

  /// The result file of an input path and an analysis, relative to the output directory.
  ///
  /// The input path is mirrored component by component under `results/`, so the mapping is
  /// readable and one-to-one: `data/a.csv` → `results/data/a.csv/NAME.json`. `%` is written
  /// `%25`, a `..` component `%2E%2E`, and an absolute path starts with a `%2F` component.
  package static func resultPath(file: String, analysis: String) -> String {
    var parts: [String] = [results]
    if file.hasPrefix("/") { parts.append("%2F") }
    for component in file.split(separator: "/") where component != "." {
      if component == ".." { parts.append("%2E%2E"); continue }
      parts.append(component.replacingOccurrences(of: "%", with: "%25"))
    }
    parts.append(analysis + ".json")
    return parts.joined(separator: "/")
  }
}
