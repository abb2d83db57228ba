// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import MetaProportion
import OrrmetaIO
import OrrmetaPipelines

/// The model of `orrmeta pfs`'s inverse-variance analyses (`--method`, `--test`; part of
/// ``PFSPoolingOptions``): the one owner of their defaults (REML, z) and of which `--method`
/// values they take (the τ² estimators).
struct PFSModelOptions: ParsableArguments {
  @Option(help: "With --pool iv or --hr: tau^2 method EE (FE, CE), DL, HE, HS, SJ, ML, REML (default), EB, PM.")
  var method: PoolingMethod?

  @Option(help: "With --pool iv or --hr: test and CI of the pooled estimate: z (default), t, knha (alias hksj), adhoc.")
  var test: TestMethod?

  /// The model settings at `level` for the median arm `arm`; a usage error for a `--method`
  /// that is not a τ² estimator.
  func settings(level: ConfidenceLevel, arm: PFSArm?) throws -> PFSPooledPipeline.Settings {
    let m = method ?? .REML
    guard let tau = m.tauSquaredMethod else {
      throw ValidationError("--method \(m.rawValue) cannot be used with --pool iv or --hr; use EE, DL, HE, HS, SJ, ML, REML, EB or PM")
    }
    return .init(method: tau, test: test ?? .z, level: level, arm: arm)
  }
}
