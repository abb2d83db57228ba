// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports

/// What the fuzz target checks for one input, shared with the regression tests that replay the
/// inputs it found (`Fixtures/fuzz-regressions/`, `FuzzRegressionTests`).
///
/// bytes → ``CSVTable/parse(data:file:)`` → ``CohortFile/load(table:columns:)`` (default
/// columns; with `--by group` when the header has a `group` column; with `--orr-column orr` when
/// it has an `orr` column) → ``PoolPipeline/run(_:settings:)`` for every measure × every method
/// (tests and CI methods rotated) → every report format. Errors must be ``InputError`` or
/// ``MetaAnalysisError`` with a message naming the file; results must keep proportions and
/// bounds in [0, 1] and ordered, τ² ≥ 0, I² in [0, 100], weights summing to 100 %, no NaN or
/// infinity reaching the JSON encoder, and no number left out without a warning explaining it
/// (``PoolReport/unexplainedMissingValues``).
package enum FuzzOracle {
  /// The file name used in messages.
  package static let file = "fuzz.csv"

  /// The broken invariants for one input (empty when everything holds).
  package static func violations(for data: Data) -> [String] {
    if let structured = structuredViolations(for: data) { return structured }
    var out: [String] = []
    // The CSV reader reads what CSV.swift reads, on any text.
    if let text = String(validating: data, as: UTF8.self), let difference = CSVSwiftReference.difference(text) {
      out.append("CSV reader: \(difference)")
    }
    let table: CSVTable
    do {
      table = try CSVTable.parse(data: data, file: file)
    } catch {
      check(error, into: &out)
      return out
    }
    let names = Set(table.header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
    var selections = [ColumnSelection()]
    if names.contains("group") { selections.append(ColumnSelection(by: "group")) }
    if names.contains("orr") {
      selections.append(ColumnSelection(events: names.contains("events") ? "events" : nil, orrPercent: "orr"))
    }
    for selection in selections {
      let cohorts: CohortFile
      do {
        cohorts = try CohortFile.load(table: table, columns: selection)
      } catch {
        check(error, into: &out)
        continue
      }
      if cohorts.studies.isEmpty { out.append("a cohort file without cohorts was accepted") }
      analyze(cohorts, into: &out)
      if !out.isEmpty { return out }
    }
    return out
  }

  static func check(_ error: InputError, into out: inout [String]) {
    let text = error.description
    if !text.hasPrefix(file) { out.append("message does not name the file: \(text)") }
    if text.utf8.count > 2000 { out.append("message of \(text.utf8.count) bytes") }
  }

  /// Every measure × every method but GLMM (tests and CI methods rotated).
  static func settingsToTry() -> [AnalysisSettings] {
    let tests = TestMethod.allCases
    let intervals = BinomialIntervalMethod.allCases
    let methods = PoolingMethod.allCases.filter { $0 != .GLMM }
    // The GLMM is defined on the logit scale with z or t tests only.
    var all: [AnalysisSettings] = [
      AnalysisSettings(measure: .PLO, method: .GLMM, test: .z),
      AnalysisSettings(measure: .PLO, method: .GLMM, test: .t, quadraturePoints: 1),
    ]
    for (mi, measure) in EffectMeasure.allCases.enumerated() {
      for (pi, method) in methods.enumerated() {
        all.append(AnalysisSettings(
          measure: measure, method: method, test: tests[(mi + pi) % tests.count],
          studyInterval: intervals[(mi + pi) % intervals.count]))
      }
    }
    return all
  }

  static func analyze(_ cohorts: CohortFile, into out: inout [String]) {
    for settings in settingsToTry() {
      let report: PoolReport
      do {
        report = try PoolPipeline.run(cohorts, settings: settings)
      } catch {
        if error.description.isEmpty { out.append("empty analysis error message") }
        continue
      }
      let what = "\(settings.measure.rawValue) \(settings.method.rawValue) \(settings.test.rawValue) \(settings.studyInterval.rawValue)"
      out += reportViolations(report).map { "\(what): \($0)" }
      for format in ReportFormat.allCases {
        do {
          _ = try PoolPipeline.render(report, format: format)
        } catch {
          out.append("\(what): rendering \(format) threw \(error)")
        }
      }
      if let broken = nonFiniteInJSON(report) { out.append("\(what): \(broken)") }
      if !out.isEmpty { return }
    }
  }

  /// A non-finite number that would reach the JSON encoder, found by encoding with
  /// ``JSONOutput`` (which refuses NaN and ±∞ outside the statistics module's results). Searching
  /// the JSON text for "NaN" would trip over labels (the first fuzz run found a subgroup named "…NaN").
  package static func nonFiniteInJSON(_ report: PoolReport) -> String? {
    do {
      _ = try JSONOutput.encode(report)
      return nil
    } catch {
      return "non-finite number in JSON: \(error)"
    }
  }

  /// The invariants of one report.
  package static func reportViolations(_ r: PoolReport) -> [String] {
    var out: [String] = []
    let missing = r.unexplainedMissingValues
    if !missing.isEmpty { out.append("unexplained missing values \(missing); warnings \(r.warnings)") }
    func unit(_ x: Double?, _ name: String) {
      if let x, !(x >= 0 && x <= 1) { out.append("\(name) = \(x) outside [0, 1]") }
    }
    func ordered(_ a: Double?, _ b: Double?, _ name: String) {
      if let a, let b, a > b + 1e-12 * max(1, abs(b)) { out.append("\(name) not ordered: \(a) > \(b)") }
    }
    func blocks(_ p: PoolReport.Pooled, _ m: PoolReport.Model, _ h: PoolReport.Heterogeneity, _ studies: [PoolReport.Study]) {
      unit(p.proportion, "pooled proportion"); unit(p.ci_lower, "CI lower"); unit(p.ci_upper, "CI upper")
      unit(p.pi_lower, "PI lower"); unit(p.pi_upper, "PI upper")
      ordered(p.ci_lower, p.proportion, "CI lower / estimate"); ordered(p.proportion, p.ci_upper, "estimate / CI upper")
      ordered(p.pi_lower, p.ci_lower, "PI lower / CI lower"); ordered(p.ci_upper, p.pi_upper, "CI upper / PI upper")
      ordered(m.ci_lower, m.estimate, "model CI lower"); ordered(m.estimate, m.ci_upper, "model CI upper")
      if let t = h.tau2, t < 0 { out.append("tau2 = \(t) < 0") }
      if let i = h.i2, !(i >= 0 && i <= 100) { out.append("I2 = \(i)") }
      if let l = h.i2_ci_lower, !(l >= 0 && l <= 100) { out.append("I2 CI lower = \(l)") }
      if let u = h.i2_ci_upper, !(u >= 0 && u <= 100) { out.append("I2 CI upper = \(u)") }
      ordered(h.tau2_ci_lower, h.tau2_ci_upper, "tau2 CI")
      if let q = h.q, q < 0 { out.append("Q = \(q) < 0") }
      if let p = h.q_p_value, !(p >= 0 && p <= 1) { out.append("Q p-value = \(p)") }
      if let p = m.p_value, !(p >= 0 && p <= 1) { out.append("p-value = \(p)") }
      var weights = 0.0
      for st in studies {
        unit(st.proportion, "cohort proportion"); unit(st.ci_lower, "cohort CI lower"); unit(st.ci_upper, "cohort CI upper")
        ordered(st.ci_lower, st.proportion, "cohort CI lower"); ordered(st.proportion, st.ci_upper, "cohort CI upper")
        if let w = st.weight { weights += w }
      }
      // GLMM cohorts have no weights (null); every other method's weights sum to 100 %.
      if !studies.isEmpty, r.settings.method != "GLMM", abs(weights - 100) > 1e-6 { out.append("weights sum to \(weights)") }
    }
    blocks(r.pooled, r.model, r.heterogeneity, r.studies)
    for g in r.subgroups ?? [] { blocks(g.pooled, g.model, g.heterogeneity, g.studies) }
    return out
  }
}
