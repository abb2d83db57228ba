// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import OrrmetaReports
import Testing
import _FuzzOracle

/// No number leaves a report as JSON `null` (or "NA" in text) unless the method makes it
/// structurally absent or a warning says why (Docs/robustness.md, "Missing values").
@Suite("Robustness: every null comes with a warning")
struct MissingValueWarningTests {
  static func studies(_ counts: [(Int, Int)]) -> [ProportionStudy] {
    counts.enumerated().map { try! ProportionStudy(label: "c\($0)", events: $1.0, total: $1.1) }
  }

  static let datasets: [(String, [ProportionStudy])] = [
    ("k = 1", studies([(13, 40)])),
    ("k = 2", studies([(3, 10), (8, 12)])),
    ("identical", studies(Array(repeating: (7, 20), count: 6))),
    ("zeros and all", studies([(0, 10), (12, 12), (0, 5), (5, 5)])),
    ("n = 10^9, p = 1e-9 .. 1 - 1e-9", studies([(1, 1_000_000_000), (500_000_000, 1_000_000_000), (999_999_999, 1_000_000_000)])),
    ("tiny and huge", studies([(1, 1), (0, 1), (3, 1_000_000_000), (40, 41)])),
  ]

  @Test("Every measure x method x test x extreme dataset: no unexplained null, no NaN in JSON", arguments: datasets.map(\.0))
  func audit(_ name: String) throws {
    let studies = Self.datasets.first { $0.0 == name }!.1
    for measure in EffectMeasure.allCases {
      for method in PoolingMethod.allCases where method != .GLMM {
        for test in TestMethod.allCases {
          let s = AnalysisSettings(measure: measure, method: method, test: test)
          let a: ProportionAnalysis
          do { a = try ProportionMetaAnalysis.analyze(studies: studies, settings: s) } catch { continue }
          let report = PoolReport(analysis: a, input: nil)
          let what = "\(name): \(measure) \(method) \(test)"
          #expect(report.unexplainedMissingValues.isEmpty, "\(what): \(report.unexplainedMissingValues); warnings \(report.warnings)")
          #expect(FuzzOracle.reportViolations(report).isEmpty, "\(what): \(FuzzOracle.reportViolations(report))")
          #expect(FuzzOracle.nonFiniteInJSON(report) == nil, "\(what)")
        }
      }
    }
  }

  @Test("Subgroups with single-cohort levels: no unexplained null")
  func subgroups() throws {
    let studies = Self.studies([(3, 10), (8, 12), (5, 9), (0, 7)])
    for method in [PoolingMethod.REML, .DL, .EE, .pooled] {
      for test in TestMethod.allCases {
        let s = try ProportionMetaAnalysis.analyze(studies: studies, groups: ["a", "a", "b", "c"], settings: AnalysisSettings(method: method, test: test))
        let report = PoolReport(subgrouped: s, input: nil)
        #expect(report.unexplainedMissingValues.isEmpty, "\(method) \(test): \(report.unexplainedMissingValues)")
      }
    }
  }

  @Test("The audit itself flags a null without a warning")
  func auditFlags() throws {
    let a = try ProportionMetaAnalysis.analyze(studies: Self.studies([(3, 10), (8, 12), (5, 9)]), settings: AnalysisSettings())
    var report = PoolReport(analysis: a, input: nil)
    #expect(report.unexplainedMissingValues.isEmpty)
    report.model.p_value = nil
    report.heterogeneity.i2 = nil
    report.studies[1].weight = nil
    #expect(report.unexplainedMissingValues == ["model.p_value", "heterogeneity.i2", "studies[1].weight"])
  }
}
