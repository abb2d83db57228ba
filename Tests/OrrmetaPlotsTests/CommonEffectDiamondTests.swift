// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports
import Testing
import _TestSupport
@testable import OrrmetaPlots

/// The forest plot's common-effect diamond is the common-effect version of the fitted model
/// (issue 12, item 1), checked against metafor's rma.glmm(method = "EE") and meta
/// (Fixtures/common-effect/expected.json).
@Suite("Forest plot: common-effect diamond of the fitted model")
struct CommonEffectDiamondTests {
  static var reference: [String: Any] { (try? loadFixtureJSON("common-effect/expected.json")) as? [String: Any] ?? [:] }

  static func dataset(_ name: String) -> [String: Any] {
    let sets = reference["common_effect"] as? [[String: Any]] ?? []
    return sets.first { $0["dataset"] as? String == name } ?? [:]
  }

  /// The dataset written as a cohort CSV and read back as `orrmeta plot forest` reads it.
  static func cohorts(_ d: [String: Any]) throws -> CohortFile {
    let labels = d["labels"] as? [String] ?? []
    let x = numbers(d["events"]), n = numbers(d["n"])
    var csv = "label,events,n\n"
    for i in labels.indices { csv += "\"\(labels[i])\",\(Int(x[i])),\(Int(n[i]))\n" }
    let dir = try temporaryDirectory("common-effect")
    let path = dir + "/cohorts.csv"
    try csv.write(toFile: path, atomically: true, encoding: .utf8)
    return try CohortFile.read(path: path)
  }

  @Test("GLMM: the common diamond is the logistic fixed-effect model (27/2495 = 1.08% [0.74, 1.57])",
        arguments: ["nielweise2007_treated", "nielweise2007_control", "alk"])
  func glmm(name: String) throws {
    let d = Self.dataset(name)
    // The model fitted to convergence (glm, epsilon 1e-15); metafor's rma.glmm(method = "EE")
    // stops glm at epsilon 1e-8, ~1e-6 short in the SE, so it is checked at 1e-5.
    let ref = try #require(d["glmm_common_tight"] as? [String: Any])
    let metafor = try #require(d["glmm_common"] as? [String: Any])
    let file = try Self.cohorts(d)
    let settings = AnalysisSettings(method: .GLMM)
    let data = PlotPipeline.forestData(try PlotPipeline.analyses(file, settings: settings), cohorts: file)
    let common = try #require(data.overall.first { $0.kind == .common })
    #expect(common.label == "Common-effect model (GLMM, τ² = 0)")
    for (what, got, want) in [
      ("proportion", common.proportion, number(ref["proportion"])),
      ("ci.lb", common.ciLower, number(ref["proportion_ci_lower"])),
      ("ci.ub", common.ciUpper, number(ref["proportion_ci_upper"])),
    ] {
      #expect(isClose(got, want, rtol: 1e-10), "\(closenessFailure(what, got, want, rtol: 1e-10) ?? "")")
    }
    // The model-scale fit as well (metafor and meta agree on these).
    let fit = try #require(try CommonEffect.fit(studies: file.studies, settings: settings))
    #expect(isClose(fit.summary.estimate, number(ref["estimate"]), rtol: 1e-12))
    #expect(isClose(fit.summary.standardError, number(ref["se"]), rtol: 1e-10))
    #expect(isClose(fit.summary.standardError, number(metafor["se"]), rtol: 1e-5))
    #expect(isClose(fit.summary.standardError, number(metafor["meta_se"]), rtol: 1e-5))
    #expect(isClose(common.ciLower, number(metafor["proportion_ci_lower"]), rtol: 1e-5))
    #expect(isClose(common.ciUpper, number(metafor["proportion_ci_upper"]), rtol: 1e-5))
    if name == "nielweise2007_treated" {
      #expect(abs(common.proportion - 27.0 / 2495) < 1e-14)
    }
    // The random-effects diamond is still the GLMM itself.
    #expect(data.overall.last?.label == "Random-effects model (GLMM)")
  }

  @Test("simple pooling: Σx/Σn is its own common-effect model, so no second (inverse-variance) diamond")
  func pooled() throws {
    let d = Self.dataset("nielweise2007_treated")
    let ref = try #require(d["pooled"] as? [String: Any])
    let file = try Self.cohorts(d)
    let data = PlotPipeline.forestData(
      try PlotPipeline.analyses(file, settings: AnalysisSettings(method: .pooled, studyInterval: .clopperPearson)), cohorts: file)
    #expect(data.overall.count == 1)
    let only = try #require(data.overall.first)
    #expect(only.kind == .simple)
    #expect(isClose(only.proportion, number(ref["proportion"]), rtol: 1e-14))
    #expect(isClose(only.ciLower, number(ref["ci_lower"]), rtol: 1e-9))
    #expect(isClose(only.ciUpper, number(ref["ci_upper"]), rtol: 1e-9))
  }

  @Test("inverse-variance methods keep the inverse-variance EE diamond")
  func inverseVariance() throws {
    let file = try Self.cohorts(Self.dataset("alk"))
    let data = PlotPipeline.forestData(try PlotPipeline.analyses(file, settings: AnalysisSettings()), cohorts: file)
    let common = try #require(data.overall.first { $0.kind == .common })
    let ee = try ProportionMetaAnalysis.analyze(studies: file.studies, settings: AnalysisSettings(method: .EE))
    #expect(common.label == "Common-effect model")
    #expect(common.proportion == ee.pooled.proportion)
  }
}
