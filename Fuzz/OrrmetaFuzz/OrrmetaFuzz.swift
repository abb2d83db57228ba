// SPDX-License-Identifier: GPL-3.0-or-later
//
// libFuzzer target: bytes → CSVTable.parse → CohortFile.load → ProportionMetaAnalysis.analyze
// (every measure × every method, tests and CI methods rotated) → every report format.
// Built and run by scripts/fuzz.sh (see Docs/robustness.md); never by `swift build`.
//
// A "crash" is any trap (Swift runtime error, sanitizer report) or a broken invariant below:
// errors must be InputError / MetaAnalysisError with a message naming the file; results must
// keep proportions and bounds in [0, 1] and ordered, τ² ≥ 0, I² in [0, 100]; no report may
// leave a number out without a warning explaining it.

import Foundation
import MetaProportion
import OrrmetaIO

/// The libFuzzer entry point.
@_cdecl("LLVMFuzzerTestOneInput")
public func orrmetaFuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  FuzzOneInput.run(size == 0 || data == nil ? Data() : Data(bytes: data!, count: size))
  return 0
}

// SwiftPM links an executable target with `--defsym main=<module>_main`, which hides
// libFuzzer's own `main`; so this target's `main` hands control to libFuzzer's driver
// (`LLVMFuzzerRunDriver`, part of libFuzzer since LLVM 11).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
  _ argc: UnsafeMutablePointer<CInt>,
  _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
  _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

@_cdecl("orrmeta_fuzz_main")
public func orrmetaFuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
  var argc = argc
  var argv = argv
  return LLVMFuzzerRunDriver(&argc, &argv) { data, size in orrmetaFuzzOneInput(data, size) }
}

enum FuzzOneInput {
  static let file = "fuzz.csv"

  static func fail(_ what: String) -> Never {
    FileHandle.standardError.write(Data("orrmeta-fuzz: invariant broken: \(what)\n".utf8))
    abort()
  }

  static func run(_ data: Data) {
    let table: CSVTable
    do {
      table = try CSVTable.parse(data: data, file: file)
    } catch {
      check(error)
      return
    }
    // Column choices the fuzzer can reach by writing the names into the header.
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
        check(error)
        continue
      }
      if cohorts.studies.isEmpty { fail("a cohort file without cohorts was accepted") }
      analyze(cohorts)
    }
  }

  static func check(_ error: InputError) {
    let text = error.description
    if !text.hasPrefix(file) { fail("message does not name the file: \(text)") }
    if text.utf8.count > 2000 { fail("message of \(text.utf8.count) bytes") }
  }

  static func analyze(_ cohorts: CohortFile) {
    let tests = TestMethod.allCases
    let intervals = BinomialIntervalMethod.allCases
    let methods = PoolingMethod.allCases.filter { $0 != .GLMM }
    for (mi, measure) in EffectMeasure.allCases.enumerated() {
      for (pi, method) in methods.enumerated() {
        let settings = AnalysisSettings(
          measure: measure, method: method, test: tests[(mi + pi) % tests.count],
          studyInterval: intervals[(mi + pi) % intervals.count])
        let report: PoolReport
        do {
          report = try PoolPipeline.run(cohorts, settings: settings)
        } catch {
          if error.description.isEmpty { fail("empty analysis error message") }
          continue
        }
        checkReport(report, settings)
        for format in ReportFormat.allCases {
          do {
            let text = try PoolPipeline.render(report, format: format)
            if format == .json, text.contains("NaN") || text.contains("Infinity") {
              fail("non-finite number in JSON (\(measure), \(method))")
            }
          } catch {
            fail("rendering \(format) threw \(error)")
          }
        }
      }
    }
  }

  static func checkReport(_ r: PoolReport, _ s: AnalysisSettings) {
    let what = "\(s.measure.rawValue) \(s.method.rawValue) \(s.test.rawValue) \(s.studyInterval.rawValue)"
    let missing = r.unexplainedMissingValues
    if !missing.isEmpty { fail("\(what): unexplained missing values \(missing); warnings \(r.warnings)") }
    func unit(_ x: Double?, _ name: String) {
      if let x, !(x >= 0 && x <= 1) { fail("\(what): \(name) = \(x) outside [0, 1]") }
    }
    func ordered(_ a: Double?, _ b: Double?, _ name: String) {
      if let a, let b, a > b + 1e-12 * max(1, abs(b)) { fail("\(what): \(name) not ordered: \(a) > \(b)") }
    }
    func blocks(_ p: PoolReport.Pooled, _ m: PoolReport.Model, _ h: PoolReport.Heterogeneity, _ studies: [PoolReport.Study]) {
      unit(p.proportion, "pooled proportion"); unit(p.ci_lower, "CI lower"); unit(p.ci_upper, "CI upper")
      unit(p.pi_lower, "PI lower"); unit(p.pi_upper, "PI upper")
      ordered(p.ci_lower, p.proportion, "CI lower / estimate"); ordered(p.proportion, p.ci_upper, "estimate / CI upper")
      ordered(p.pi_lower, p.ci_lower, "PI lower / CI lower"); ordered(p.ci_upper, p.pi_upper, "CI upper / PI upper")
      ordered(m.ci_lower, m.estimate, "model CI lower"); ordered(m.estimate, m.ci_upper, "model CI upper")
      if let t = h.tau2, t < 0 { fail("\(what): tau2 = \(t) < 0") }
      if let i = h.i2, !(i >= 0 && i <= 100) { fail("\(what): I2 = \(i)") }
      if let l = h.i2_ci_lower, !(l >= 0 && l <= 100) { fail("\(what): I2 CI lower = \(l)") }
      if let u = h.i2_ci_upper, !(u >= 0 && u <= 100) { fail("\(what): I2 CI upper = \(u)") }
      ordered(h.tau2_ci_lower, h.tau2_ci_upper, "tau2 CI")
      if let q = h.q, q < 0 { fail("\(what): Q = \(q) < 0") }
      if let p = h.q_p_value, !(p >= 0 && p <= 1) { fail("\(what): Q p-value = \(p)") }
      if let p = m.p_value, !(p >= 0 && p <= 1) { fail("\(what): p-value = \(p)") }
      var weights = 0.0
      for st in studies {
        unit(st.proportion, "cohort proportion"); unit(st.ci_lower, "cohort CI lower"); unit(st.ci_upper, "cohort CI upper")
        ordered(st.ci_lower, st.proportion, "cohort CI lower"); ordered(st.proportion, st.ci_upper, "cohort CI upper")
        if let w = st.weight { weights += w }
      }
      if !studies.isEmpty, abs(weights - 100) > 1e-6 { fail("\(what): weights sum to \(weights)") }
    }
    blocks(r.pooled, r.model, r.heterogeneity, r.studies)
    for g in r.subgroups ?? [] { blocks(g.pooled, g.model, g.heterogeneity, g.studies) }
  }
}
