// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import MetaProportion

/// The model flags shared by every analysis command.
struct ModelOptions: ParsableArguments {
  @Option(help: "Measure: PR, PLN, PLO (logit, default), PAS, PFT.")
  var measure: EffectMeasure = .PLO

  @Option(help: "Method: EE (FE, CE), DL, HE, HS, SJ, ML, REML (default), EB, PM, GLMM, or pooled (sum of events / sum of n).")
  var method: PoolingMethod = .REML

  @Option(help: "Test and CI for the pooled estimate: z (default), t, knha (Hartung-Knapp; alias hksj), adhoc.")
  var test: TestMethod = .z

  @Option(help: "Confidence level, as a percentage (95) or a fraction (0.95).")
  var level: Double = 95

  @Option(name: .customLong("ci-method"), help: "Per-cohort CI (and simple pooling's CI): clopper-pearson (default), wilson, wilson-cc, agresti-coull, jeffreys, wald.")
  var ciMethod: BinomialIntervalMethod = .clopperPearson

  @Option(help: "Continuity correction added to zero cells (default 0.5 for PR, PLN, PLO; 0 for PAS and PFT, as metafor). Given explicitly, it applies to every measure, as in metafor.")
  var add: Double?

  @Option(help: "Which cohorts get the correction: only0 (default), all, if0all, none.")
  var to: ZeroCellRule = .only0

  @Option(help: "GLMM quadrature points (1 = Laplace; default 7, as metafor).")
  var nagq: Int = 7

  func validate() throws {
    _ = try settings()
  }

  /// The analysis settings; throws a ValidationError for out-of-range values.
  func settings() throws -> AnalysisSettings {
    let lv: ConfidenceLevel
    do { lv = try ConfidenceLevel(level) } catch { throw ValidationError(error.description) }
    // Bounded: a continuity correction of 1e308 overflows every variance to a silent null.
    if let a = add, !(a.isFinite && a >= 0 && a <= 1_000_000) {
      throw ValidationError("--add \(a) is invalid; expected a finite number >= 0 and at most 1000000 (a continuity correction, usually 0.5)")
    }
    if !(1...50).contains(nagq) {
      throw ValidationError("--nagq \(nagq) is invalid; expected 1 to 50")
    }
    if method == .GLMM, measure != .PLO {
      throw ValidationError("--method GLMM models the logit: use it with --measure PLO (given: \(measure.rawValue))")
    }
    if method == .GLMM, test != .z, test != .t {
      throw ValidationError("--method GLMM supports --test z or t (as metafor's rma.glmm; Hartung-Knapp is not defined for it), given: \(test.rawValue)")
    }
    return AnalysisSettings(
      measure: measure, method: method, test: test, level: lv, studyInterval: ciMethod, add: add,
      to: to, quadraturePoints: nagq)
  }
}
