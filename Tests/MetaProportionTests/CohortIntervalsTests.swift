// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion
import Testing

/// ``CohortIntervals``: shared intervals give the analysis of its own to the bit; omitted ones
/// leave each cohort's CI NaN and change nothing else.
struct CohortIntervalsTests {
  static let studies = [(0, 12), (3, 25), (7, 30), (12, 40), (25, 60), (9, 9)].enumerated().map { i, c in
    try! ProportionStudy(label: "c\(i + 1)", events: c.0, total: c.1)
  }

  @Test(arguments: [PoolingMethod.REML, .DL, .EE, .GLMM, .pooled])
  func omittedIntervalsChangeOnlyTheCohortsCIs(_ method: PoolingMethod) throws {
    var settings = AnalysisSettings()
    settings.method = method
    let full = try ProportionMetaAnalysis.analyze(studies: Self.studies, settings: settings)
    let shared = try ProportionMetaAnalysis.analyze(
      studies: Self.studies, settings: settings,
      cohortIntervals: try CohortIntervals(studies: Self.studies, method: settings.studyInterval, level: settings.level))
    #expect("\(shared)" == "\(full)")

    var omitted = try ProportionMetaAnalysis.analyze(
      studies: Self.studies, settings: settings, cohortIntervals: .omitted(method: settings.studyInterval, level: settings.level))
    #expect(omitted.studies.allSatisfy { $0.ciLower.isNaN && $0.ciUpper.isNaN })
    #expect(full.studies.allSatisfy { $0.ciLower.isFinite && $0.ciUpper.isFinite })
    for i in omitted.studies.indices {
      omitted.studies[i].ciLower = full.studies[i].ciLower
      omitted.studies[i].ciUpper = full.studies[i].ciUpper
    }
    // NaN fields (undefined for the method) print alike, so the descriptions compare every field.
    #expect("\(omitted)" == "\(full)")
  }

  @Test func omittedIntervalsOfAnotherMethodOrLevelAreNotUsed() throws {
    let settings = AnalysisSettings()
    let wilson = try ProportionMetaAnalysis.analyze(
      studies: Self.studies, settings: settings, cohortIntervals: .omitted(method: .wilson, level: settings.level))
    #expect(wilson.studies.allSatisfy { $0.ciLower.isFinite })
  }
}
