// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import OrrmetaIO
import TOMLKit

/// Reads a batch spec: a TOML file with one `[analyses.NAME]` table per analysis and an
/// optional `[defaults]` table whose settings every analysis inherits (read with TOMLKit).
///
/// ```toml
/// [defaults]
/// measure = "PLO"
/// events_column = "responders"
///
/// [analyses.reml]
/// method = "REML"
/// test = "knha"
///
/// [analyses.by-line]
/// type = "pool"        # the default
/// by = "line"
///
/// [analyses.robustness]
/// type = "sensitivity"
/// analyses = ["leave-one-out", "influence", "bias"]
/// ```
///
/// Keys are the long names of the flags of the analysis' command with `_` for `-`
/// (see ``BatchAnalysisKind/settingKeys``). Values are TOML strings or numbers; `analyses` is an
/// array of strings. Unknown tables, keys and kinds are errors (a misspelt key must not be
/// silently ignored). A `[defaults]` key is inherited by the analyses whose type has that
/// setting, and must belong to at least one of them. The documented format is in
/// `Docs/batch.md`.
package enum BatchSpecFile {
  /// Reads and checks the structure of a spec file.
  /// - Throws: ``BatchSpecError`` naming the file, the table, the key and the value.
  package static func read(path: String) throws(BatchSpecError) -> [BatchAnalysisSpec] {
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw BatchSpecError(file: path, reason: "cannot read the spec file (\(FileManager.default.fileExists(atPath: path) ? "permission denied, a directory, or I/O error" : "no such file"))", unreadable: true)
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw BatchSpecError(file: path, reason: "the spec file is not UTF-8 text; expected a TOML file")
    }
    return try parse(text, file: path)
  }

  /// Parses spec text; `file` is used in messages.
  package static func parse(_ text: String, file: String) throws(BatchSpecError) -> [BatchAnalysisSpec] {
    if text.utf8.contains(0) {
      throw BatchSpecError(file: file, reason: "the spec file contains a NUL byte; expected a TOML text file")
    }
    if let at = TOMLHeaderCheck.firstInvalidHeader(in: text) {
      throw BatchSpecError(file: file, line: at.line, reason: "invalid TOML: a table header needs a key (a name or a quoted string) after '[' (line \(at.line), column \(at.column))")
    }
    let root: TOMLTable
    do {
      root = try TOMLTable(string: text)
    } catch let e as TOMLParseError {
      throw BatchSpecError(file: file, line: e.source.begin.line, reason: "invalid TOML: \(e.description) (line \(e.source.begin.line), column \(e.source.begin.column))")
    } catch {
      throw BatchSpecError(file: file, reason: "invalid TOML: \(error)")
    }

    for key in root.keys where key != "defaults" && key != "analyses" {
      throw BatchSpecError(file: file, key: key, value: literal(root[key]?.tomlValue), reason: "unknown top-level key; expected only a [defaults] table and [analyses.NAME] tables")
    }

    var defaults: [BatchAnalysisSpec.Entry] = []
    if let d = root["defaults"] {
      guard let table = d.tomlValue.table else {
        throw BatchSpecError(file: file, key: "defaults", value: literal(d.tomlValue), reason: "expected a table: [defaults]")
      }
      for key in table.keys.sorted(by: utf8Less) {
        if key == "type" {
          throw BatchSpecError(file: file, table: "defaults", key: key, value: literal(table[key]?.tomlValue), reason: "the analysis type is set per analysis, in [analyses.NAME]")
        }
        guard Self.allKeys.contains(key) else {
          throw BatchSpecError(file: file, table: "defaults", key: key, value: literal(table[key]?.tomlValue), reason: "unknown key; expected one of \(Self.allKeys.joined(separator: ", "))")
        }
        defaults.append(try entry(key: key, value: table[key]!.tomlValue, table: "defaults", file: file))
      }
    }

    guard let a = root["analyses"] else {
      throw BatchSpecError(file: file, reason: "no analyses; add at least one [analyses.NAME] table (for example [analyses.main] with method = \"REML\")")
    }
    guard let analyses = a.tomlValue.table else {
      throw BatchSpecError(file: file, key: "analyses", value: literal(a.tomlValue), reason: "expected tables [analyses.NAME], one per analysis")
    }
    if analyses.isEmpty {
      throw BatchSpecError(file: file, table: "analyses", reason: "no analyses; add at least one [analyses.NAME] table")
    }

    var specs: [BatchAnalysisSpec] = []
    var folded: [String: String] = [:]
    for name in analyses.keys.sorted(by: utf8Less) {
      let tableName = "analyses.\(name)"
      guard BatchAnalysisSpec.isValidName(name) else {
        throw BatchSpecError(file: file, table: tableName, reason: "invalid analysis name '\(name)'; expected 1 to 100 letters, digits, '.', '_' or '-', not starting with '.' (names become result file names)")
      }
      // Names become file names: on a case-insensitive file system (macOS, Windows) 'REML' and
      // 'reml' would write one file.
      if let other = folded[name.lowercased()] {
        throw BatchSpecError(file: file, table: tableName, reason: "analysis names '\(other)' and '\(name)' differ only in case; expected names unique ignoring case (they become result file names)")
      }
      folded[name.lowercased()] = name
      guard let table = analyses[name]?.tomlValue.table else {
        throw BatchSpecError(file: file, table: "analyses", key: name, value: literal(analyses[name]?.tomlValue), reason: "expected a table [analyses.\(name)] with the analysis' settings")
      }
      var kind = BatchAnalysisKind.pool
      if let t = table["type"] {
        let known = BatchAnalysisKind.allCases.map(\.rawValue).joined(separator: ", ")
        guard let s = t.tomlValue.string else {
          throw BatchSpecError(file: file, table: tableName, key: "type", value: literal(t.tomlValue), reason: "expected a string naming the analysis: one of \(known)")
        }
        guard let k = BatchAnalysisKind(rawValue: s) else {
          throw BatchSpecError(file: file, table: tableName, key: "type", value: literal(t.tomlValue), reason: "unknown analysis type; this version of orrmeta knows: \(known)")
        }
        kind = k
      }
      var own: [BatchAnalysisSpec.Entry] = []
      for key in table.keys.sorted(by: utf8Less) where key != "type" {
        if let reason = kind.refusedKeys[key] {
          throw BatchSpecError(file: file, table: tableName, key: key, value: literal(table[key]?.tomlValue), reason: reason)
        }
        guard kind.settingKeys.contains(key) else {
          throw BatchSpecError(file: file, table: tableName, key: key, value: literal(table[key]?.tomlValue), reason: "unknown key for a \(kind.rawValue) analysis; expected one of type, \(kind.settingKeys.joined(separator: ", "))")
        }
        own.append(try entry(key: key, value: table[key]!.tomlValue, table: tableName, file: file))
      }
      // A default belongs to the analyses whose type has the setting (a sensitivity analysis
      // does not inherit `by`; a pool analysis does not inherit `seed`).
      let overridden = Set(own.map(\.key))
      let merged = defaults.filter { kind.settingKeys.contains($0.key) && !overridden.contains($0.key) } + own
      specs.append(BatchAnalysisSpec(name: name, kind: kind, table: tableName, entries: merged.sorted { utf8Less($0.key, $1.key) }))
    }
    for d in defaults where !specs.contains(where: { $0.kind.settingKeys.contains(d.key) }) {
      let owners = BatchAnalysisKind.allCases.filter { $0.settingKeys.contains(d.key) }.map(\.rawValue).joined(separator: " or ")
      throw BatchSpecError(file: file, table: "defaults", key: d.key, value: d.literal, reason: "no analysis of this spec has this setting; it is a setting of \(owners) analyses")
    }
    return specs
  }

  /// Every key some analysis kind accepts.
  static var allKeys: [String] {
    var seen: [String] = []
    for k in BatchAnalysisKind.allCases { for key in k.settingKeys where !seen.contains(key) { seen.append(key) } }
    return seen
  }

  /// A string or a number becomes the text a flag would receive; the value of a list key
  /// (``BatchAnalysisKind/listKeys``) is an array of strings.
  static func entry(key: String, value: TOMLValue, table: String, file: String) throws(BatchSpecError) -> BatchAnalysisSpec.Entry {
    if ["treat", "control"].contains(key), let one = value.string {
      return BatchAnalysisSpec.Entry(key: key, values: [one], literal: literal(value) ?? "\"\(one)\"", table: table)
    }
    if BatchAnalysisKind.listKeys.contains(key) {
      let expected = "expected an array of strings, such as \(key) = [\"leave-one-out\", \"bias\"]"
      guard let array = value.array else {
        throw BatchSpecError(file: file, table: table, key: key, value: literal(value), reason: expected)
      }
      var items: [String] = []
      for item in array {
        guard let s = item.tomlValue.string else {
          throw BatchSpecError(file: file, table: table, key: key, value: literal(value), reason: "\(expected), not an item \(literal(item.tomlValue) ?? "?")")
        }
        items.append(s)
      }
      return BatchAnalysisSpec.Entry(key: key, values: items, literal: literal(value) ?? "[...]", table: table)
    }
    let text: String
    switch value.type {
    case .string: text = value.string!
    case .int: text = String(value.int!)
    case .double: text = "\(value.double!)"
    default:
      throw BatchSpecError(file: file, table: table, key: key, value: literal(value), reason: "expected a string or a number, not a \(value.type)")
    }
    return BatchAnalysisSpec.Entry(key: key, value: text, literal: literal(value) ?? text, table: table)
  }

  /// A value as written in TOML, for messages.
  static func literal(_ value: TOMLValue?) -> String? {
    guard let value else { return nil }
    switch value.type {
    case .string: return "\"\(value.string!)\""
    case .table: return "{...}"
    case .array: return "[" + (value.array ?? TOMLArray()).map { literal($0.tomlValue) ?? "?" }.joined(separator: ", ") + "]"
    default: return value.debugDescription
    }
  }
}
