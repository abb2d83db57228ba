// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import TOMLKit

/// The figures a publication reports, read from an `orrmeta-published/1` TOML file
/// (`Docs/cli.md`, "orrmeta check"): study counts, proportions (percentages with optional CI and
/// N) and medians, each with its unit and, for `orrmeta reproduce`, the rows of a cohort table it
/// covers.
package struct PublishedFigures: Sendable {
  /// The study counts.
  package struct Counts: Sendable, Hashable {
    package var trials: Int?
    package var cohorts: Int?
    package var patients: Int?
  }

  /// A reported proportion.
  package struct Proportion: Sendable, Hashable {
    /// Identifier (lower case, digits, underscores), e.g. `pooled_orr`.
    package var name: String
    /// Readable description.
    package var label: String
    /// Always "percent".
    package var unit: String
    /// The figure (percentage, CI, level, N).
    package var reported: ReportedProportion
    /// The proportion whose cohorts this one, with its siblings, partitions.
    package var partitionOf: String?
    /// The cohort-table column and level the figure covers (nil: all rows).
    package var cohortColumn: String?
    package var cohortLevel: String?
    /// How the publication pooled (free text).
    package var pooling: String?
    /// The line of the figure's `[[proportion]]` header.
    package var line: Int?
  }

  /// A reported median (e.g. a weighted median of cohort median PFS).
  package struct Median: Sendable, Hashable {
    package var name: String
    package var label: String
    /// The unit, e.g. "months".
    package var unit: String
    package var value: RoundedFigure
    /// What the median is of (free text).
    package var statistic: String?
    package var cohortColumn: String?
    package var cohortLevel: String?
    /// The cohort-table columns of the medians and of the weights.
    package var valueColumn: String
    package var weightsColumn: String?
    package var line: Int?
  }

  /// The file as given.
  package let file: String
  /// `[source] title`, if given.
  package let title: String?
  /// `[counts]`.
  package let counts: Counts
  /// `[[proportion]]` tables, in file order.
  package let proportions: [Proportion]
  /// `[[median]]` tables, in file order.
  package let medians: [Median]
  /// `[[comparison]]` tables (two-arm comparisons to compute on the cohort table), in file order.
  package var comparisons: [Comparison] = []

  /// A two-arm comparison of response for `orrmeta reproduce`: the trials of the cohort table
  /// with one arm among `treat` and one among `control` in `arm_column` (paired by
  /// `trial_column`), pooled with `measure` and `method` (`orrmeta compare`). No published value.
  package struct Comparison: Sendable, Hashable {
    package var name: String
    package var label: String
    package var armColumn: String
    package var trialColumn: String
    package var treat: [String]
    package var control: [String]
    /// OR, RR or RD (default RR).
    package var measure: ComparisonMeasure
    /// MH, Peto or a τ² method (default MH).
    package var method: ComparisonMethod
    package var line: Int?
  }

  /// The format identifier this reader accepts.
  package static let formatIdentifier = "orrmeta-published/1"

  /// Reads a file.
  package static func read(path: String) throws(InputError) -> PublishedFigures {
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      var isDir: ObjCBool = false
      if FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
        throw .unreadable(file: path, reason: isDir.boolValue ? "it is a directory" : "permission denied or I/O error")
      }
      throw .unreadable(file: path, reason: "no such file")
    }
    if data.contains(0) { throw .malformed(file: path, line: nil, reason: "NUL byte: this looks like a binary file, not a TOML text file") }
    guard let text = String(data: data, encoding: .utf8) else {
      throw .malformed(file: path, line: nil, reason: "the file is not valid UTF-8; save it as UTF-8")
    }
    return try parse(text: text, file: path)
  }

  /// Parses and validates TOML text.
  package static func parse(text: String, file: String) throws(InputError) -> PublishedFigures {
    if let at = TOMLHeaderCheck.firstInvalidHeader(in: text) {
      throw .malformed(file: file, line: at.line, reason: "column \(at.column): TOML syntax error: a table header needs a key (a name or a quoted string) after '['")
    }
    let root: TOMLTable
    do {
      root = try TOMLTable(string: text)
    } catch let e as TOMLParseError {
      throw .malformed(file: file, line: e.source.begin.line, reason: "column \(e.source.begin.column): TOML syntax error: \(e.description)")
    } catch {
      throw .malformed(file: file, line: nil, reason: "cannot parse TOML: \(error)")
    }
    let locate = TOMLKeyLocator(text: text)
    var reader = Reader(file: file, locate: locate)
    return try reader.read(root)
  }

  /// Validation with located messages.
  struct Reader {
    let file: String
    let locate: TOMLKeyLocator

    func fail(_ header: String?, _ occurrence: Int, _ key: String?, _ reason: String) -> InputError {
      .malformed(file: file, line: locate.line(header: header, occurrence: occurrence, key: key), reason: reason)
    }

    mutating func read(_ root: TOMLTable) throws(InputError) -> PublishedFigures {
      let topKeys: Set = ["format", "source", "counts", "proportion", "median", "comparison"]
      for k in root.keys where !topKeys.contains(k) {
        throw fail(nil, 0, k, "unknown top-level key '\(k)'; expected \(topKeys.sorted().joined(separator: ", "))")
      }
      if let f = root["format"] {
        guard f.string == PublishedFigures.formatIdentifier else {
          throw fail(nil, 0, "format", "format = \(f.debugDescription) is not supported; expected \"\(PublishedFigures.formatIdentifier)\"")
        }
      }
      var title: String? = nil
      if let s = root["source"] {
        guard let t = s.table else { throw fail(nil, 0, "source", "'source' must be a table ([source])") }
        if let v = t["title"] {
          guard let str = v.string else { throw fail("[source]", 0, "title", "[source] title must be a string") }
          title = str
        }
      }
      var counts = Counts()
      if let c = root["counts"] {
        guard let t = c.table else { throw fail(nil, 0, "counts", "'counts' must be a table ([counts])") }
        let allowed: Set = ["trials", "cohorts", "patients"]
        for k in t.keys where !allowed.contains(k) {
          throw fail("[counts]", 0, k, "[counts]: unknown key '\(k)'; expected trials, cohorts, patients")
        }
        counts.trials = try count(t, "trials", "[counts]", 0, "[counts]")
        counts.cohorts = try count(t, "cohorts", "[counts]", 0, "[counts]")
        counts.patients = try count(t, "patients", "[counts]", 0, "[counts]")
      }
      var names: Set<String> = []
      var proportions: [Proportion] = []
      for (i, t) in try tables(root, "proportion").enumerated() {
        let p = try proportion(t, occurrence: i)
        guard names.insert(p.name).inserted else {
          throw fail("[[proportion]]", i, "name", "figure name '\(p.name)' is used twice; expected unique names")
        }
        proportions.append(p)
      }
      var medians: [Median] = []
      for (i, t) in try tables(root, "median").enumerated() {
        let m = try median(t, occurrence: i)
        guard names.insert(m.name).inserted else {
          throw fail("[[median]]", i, "name", "figure name '\(m.name)' is used twice; expected unique names")
        }
        medians.append(m)
      }
      for (i, p) in proportions.enumerated() {
        guard let parent = p.partitionOf else { continue }
        guard let whole = proportions.first(where: { $0.name == parent }), whole.name != p.name else {
          throw fail("[[proportion]]", i, "partition_of", "[[proportion]] '\(p.name)': partition_of = \"\(parent)\" names no other proportion; expected one of \(proportions.map(\.name).filter { $0 != p.name }.joined(separator: ", "))")
        }
        if whole.partitionOf != nil {
          throw fail("[[proportion]]", i, "partition_of", "[[proportion]] '\(p.name)': '\(parent)' is itself a part; partitions may not be nested")
        }
      }
      if proportions.isEmpty && medians.isEmpty {
        throw .malformed(file: file, line: nil, reason: "no figures: expected at least one [[proportion]] or [[median]] table")
      }
      var result = PublishedFigures(file: file, title: title, counts: counts, proportions: proportions, medians: medians)
      for (i, t) in try tables(root, "comparison").enumerated() {
        let c = try comparison(t, occurrence: i)
        guard names.insert(c.name).inserted else {
          throw fail("[[comparison]]", i, "name", "name '\(c.name)' is used twice; expected unique names")
        }
        result.comparisons.append(c)
      }
      return result
    }

    func tables(_ root: TOMLTable, _ key: String) throws(InputError) -> [TOMLTable] {
      guard let v = root[key] else { return [] }
      guard let a = v.array else { throw fail(nil, 0, key, "'\(key)' must be an array of tables ([[\(key)]])") }
      var out: [TOMLTable] = []
      for (i, e) in a.enumerated() {
        guard let t = e.table else { throw fail("[[\(key)]]", i, nil, "'\(key)' entry \(i + 1) is not a table; write each as [[\(key)]]") }
        out.append(t)
      }
      return out
    }

    func count(_ t: TOMLTable, _ key: String, _ header: String, _ occurrence: Int, _ what: String) throws(InputError) -> Int? {
      guard let v = t[key] else { return nil }
      guard let n = v.int, n >= 0 else {
        throw fail(header, occurrence, key, "\(what) \(key) = \(v.debugDescription) is invalid; expected a whole number \u{2265} 0")
      }
      return n
    }

    func string(_ t: TOMLTable, _ key: String, _ header: String, _ occurrence: Int, _ what: String) throws(InputError) -> String? {
      guard let v = t[key] else { return nil }
      guard let s = v.string else { throw fail(header, occurrence, key, "\(what) \(key) = \(v.debugDescription) is invalid; expected a string in double quotes") }
      return s
    }

    /// A number as printed: a TOML integer or float, or a string of decimal digits, with its
    /// number of decimals as written. A TOML float is a binary number (75.0 and 75 are the
    /// same value), so its decimals are read from the file's text (`value = 75.0` has one);
    /// where that text cannot be found (an inline table) the value must be a string.
    func figure(_ t: TOMLTable, _ key: String, decimals: Int?, range: ClosedRange<Double>, header: String, occurrence: Int, what: String) throws(InputError) -> RoundedFigure? {
      guard let v = t[key] else { return nil }
      let value: Double
      var inferred: Int
      if let i = v.int {
        value = Double(i); inferred = 0
      } else if let d = v.double {
        value = d
        inferred = 0
        if decimals == nil {
          guard let raw = locate.rawValue(header: header, occurrence: occurrence, key: key),
            let written = Self.decimals(written: raw.text, value: d)
          else {
            throw fail(header, occurrence, key, "\(what): \(key) = \(v.debugDescription) is a TOML float whose decimals cannot be read from the file; write it as a string exactly as printed (\(key) = \"57.30\") or give decimals = N")
          }
          inferred = written
        }
      } else if let s = v.string, let d = Double(s), s.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" }) {
        value = d
        inferred = s.firstIndex(of: ".").map { s.distance(from: s.index(after: $0), to: s.endIndex) } ?? 0
      } else {
        throw fail(header, occurrence, key, "\(what): \(key) = \(v.debugDescription) is invalid; expected a number (or a number in a string, \"57.30\", to keep trailing zeros)")
      }
      guard value.isFinite, range.contains(value) else {
        throw fail(header, occurrence, key, "\(what): \(key) = \(v.debugDescription) is out of range; expected \(Self.show(range.lowerBound)) to \(Self.show(range.upperBound))")
      }
      if let decimals { inferred = decimals }
      do {
        return try RoundedFigure(value, decimals: inferred)
      } catch {
        throw fail(header, occurrence, key, "\(what): \(error.description)")
      }
    }

    static func show(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? "\(Int(x))" : "\(x)" }

    /// The decimals of a TOML float as written ("75.0" → 1, "57.30" → 2, "7.5e1" → 0), or nil
    /// when `text` is not a float literal of `value`.
    static func decimals(written text: String, value: Double) -> Int? {
      let t = text.replacingOccurrences(of: "_", with: "").lowercased()
      guard let parsed = Double(t), parsed == value else { return nil }
      let parts = t.split(separator: "e", maxSplits: 1, omittingEmptySubsequences: false)
      let mantissa = parts[0]
      let fraction = mantissa.firstIndex(of: ".").map { mantissa.distance(from: mantissa.index(after: $0), to: mantissa.endIndex) } ?? 0
      let exponent = parts.count == 2 ? Int(parts[1]) ?? 0 : 0
      return min(10, max(0, fraction - exponent))
    }

    func checkKeys(_ t: TOMLTable, allowed: Set<String>, header: String, occurrence: Int, what: String) throws(InputError) {
      for k in t.keys where !allowed.contains(k) {
        throw fail(header, occurrence, k, "\(what): unknown key '\(k)'; expected \(allowed.sorted().joined(separator: ", "))")
      }
    }

    func name(_ t: TOMLTable, header: String, occurrence: Int, what: String) throws(InputError) -> String {
      guard let n = try string(t, "name", header, occurrence, what) else {
        throw fail(header, occurrence, nil, "\(what): missing key 'name'; expected an identifier such as \"pooled_orr\"")
      }
      guard !n.isEmpty, n.allSatisfy({ ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "_" }) else {
        throw fail(header, occurrence, "name", "\(what): name = \"\(n)\" is invalid; expected lower-case letters, digits and underscores")
      }
      return n
    }

    func comparison(_ t: TOMLTable, occurrence i: Int) throws(InputError) -> Comparison {
      let h = "[[comparison]]"
      try checkKeys(t, allowed: ["name", "label", "arm_column", "trial_column", "treat", "control", "measure", "method"], header: h, occurrence: i, what: h)
      let n = try name(t, header: h, occurrence: i, what: h)
      func required(_ key: String) throws(InputError) -> String {
        guard let v = try string(t, key, h, i, "\(h) '\(n)'") else { throw fail(h, i, nil, "\(h) '\(n)': missing key '\(key)'") }
        return v
      }
      func list(_ key: String) throws(InputError) -> [String] {
        guard let v = t[key] else { throw fail(h, i, nil, "\(h) '\(n)': missing key '\(key)'; expected a list of arm names") }
        if let s = v.string { return [s] }
        guard let a = v.array else { throw fail(h, i, key, "\(h) '\(n)': \(key) must be a string or a list of strings") }
        var out: [String] = []
        for e in a {
          guard let s = e.string else { throw fail(h, i, key, "\(h) '\(n)': \(key) must be a list of strings") }
          out.append(s)
        }
        guard !out.isEmpty else { throw fail(h, i, key, "\(h) '\(n)': \(key) is empty; expected at least one arm name") }
        return out
      }
      // The codes are the enums' (one owner: ComparisonMeasure / ComparisonMethod).
      let measureText = try string(t, "measure", h, i, h) ?? ComparisonMeasure.RR.rawValue
      guard let measure = ComparisonMeasure(rawValue: measureText) else {
        throw fail(h, i, "measure", "\(h) '\(n)': measure = \"\(measureText)\"; expected \(ComparisonMeasure.allCases.map(\.rawValue).joined(separator: ", "))")
      }
      let methodText = try string(t, "method", h, i, h) ?? ComparisonMethod.MH.rawValue
      guard let method = ComparisonMethod(rawValue: methodText) else {
        throw fail(h, i, "method", "\(h) '\(n)': method = \"\(methodText)\"; expected \(ComparisonMethod.allCases.map(\.rawValue).joined(separator: ", "))")
      }
      return Comparison(
        name: n, label: try string(t, "label", h, i, h) ?? n, armColumn: try required("arm_column"),
        trialColumn: try required("trial_column"), treat: try list("treat"), control: try list("control"), measure: measure,
        method: method, line: nil)
    }

    func proportion(_ t: TOMLTable, occurrence i: Int) throws(InputError) -> Proportion {
      let h = "[[proportion]]"
      var what = "\(h) \(i + 1)"
      let name = try name(t, header: h, occurrence: i, what: what)
      what = "\(h) '\(name)'"
      try checkKeys(t, allowed: [
        "name", "label", "unit", "value", "ci_lower", "ci_upper", "ci_level", "patients", "decimals",
        "partition_of", "cohort_column", "cohort_level", "pooling",
      ], header: h, occurrence: i, what: what)
      if let u = try string(t, "unit", h, i, what), u != "percent" {
        throw fail(h, i, "unit", "\(what): unit = \"\(u)\" is not supported; proportions are in \"percent\"")
      }
      var decimals: Int? = nil
      if let d = t["decimals"] {
        guard let n = d.int, (0...10).contains(n) else { throw fail(h, i, "decimals", "\(what): decimals = \(d.debugDescription) is invalid; expected 0 to 10") }
        decimals = n
      }
      guard let value = try figure(t, "value", decimals: decimals, range: 0...100, header: h, occurrence: i, what: what) else {
        throw fail(h, i, nil, "\(what): missing key 'value' (the percentage, e.g. 58.5)")
      }
      let lower = try figure(t, "ci_lower", decimals: decimals, range: 0...100, header: h, occurrence: i, what: what)
      let upper = try figure(t, "ci_upper", decimals: decimals, range: 0...100, header: h, occurrence: i, what: what)
      if (lower == nil) != (upper == nil) {
        throw fail(h, i, lower == nil ? "ci_upper" : "ci_lower", "\(what): give both ci_lower and ci_upper, or neither")
      }
      if let lower, let upper, lower.value > upper.value {
        throw fail(h, i, "ci_lower", "\(what): ci_lower = \(lower) is above ci_upper = \(upper)")
      }
      var level = ConfidenceLevel.ninetyFive
      if let l = t["ci_level"] {
        guard let x = l.double ?? l.int.map(Double.init), let lv = try? ConfidenceLevel(x) else {
          throw fail(h, i, "ci_level", "\(what): ci_level = \(l.debugDescription) is invalid; expected a percentage in (50, 100) such as 95")
        }
        level = lv
      }
      var patients: Int? = nil
      if let n = try count(t, "patients", h, i, what) {
        guard n > 0 else { throw fail(h, i, "patients", "\(what): patients = 0 is invalid; expected a whole number > 0") }
        patients = n
      }
      let column = try string(t, "cohort_column", h, i, what)
      let levelName = try string(t, "cohort_level", h, i, what)
      if (column == nil) != (levelName == nil) {
        throw fail(h, i, column == nil ? "cohort_level" : "cohort_column", "\(what): give both cohort_column and cohort_level, or neither")
      }
      return Proportion(
        name: name, label: try string(t, "label", h, i, what) ?? name, unit: "percent",
        reported: ReportedProportion(percent: value, ciLower: lower, ciUpper: upper, level: level, patients: patients),
        partitionOf: try string(t, "partition_of", h, i, what), cohortColumn: column, cohortLevel: levelName,
        pooling: try string(t, "pooling", h, i, what), line: locate.line(header: h, occurrence: i))
    }

    func median(_ t: TOMLTable, occurrence i: Int) throws(InputError) -> Median {
      let h = "[[median]]"
      var what = "\(h) \(i + 1)"
      let name = try name(t, header: h, occurrence: i, what: what)
      what = "\(h) '\(name)'"
      try checkKeys(t, allowed: [
        "name", "label", "unit", "value", "decimals", "statistic", "cohort_column", "cohort_level",
        "value_column", "weights_column",
      ], header: h, occurrence: i, what: what)
      var decimals: Int? = nil
      if let d = t["decimals"] {
        guard let n = d.int, (0...10).contains(n) else { throw fail(h, i, "decimals", "\(what): decimals = \(d.debugDescription) is invalid; expected 0 to 10") }
        decimals = n
      }
      guard let value = try figure(t, "value", decimals: decimals, range: 0...1e6, header: h, occurrence: i, what: what) else {
        throw fail(h, i, nil, "\(what): missing key 'value' (the median, e.g. 13.8)")
      }
      let column = try string(t, "cohort_column", h, i, what)
      let levelName = try string(t, "cohort_level", h, i, what)
      if (column == nil) != (levelName == nil) {
        throw fail(h, i, column == nil ? "cohort_level" : "cohort_column", "\(what): give both cohort_column and cohort_level, or neither")
      }
      return Median(
        name: name, label: try string(t, "label", h, i, what) ?? name, unit: try string(t, "unit", h, i, what) ?? "months",
        value: value, statistic: try string(t, "statistic", h, i, what), cohortColumn: column, cohortLevel: levelName,
        valueColumn: try string(t, "value_column", h, i, what) ?? PFSColumnSelection.defaultValueColumn,
        weightsColumn: try string(t, "weights_column", h, i, what), line: locate.line(header: h, occurrence: i))
    }
  }
}
