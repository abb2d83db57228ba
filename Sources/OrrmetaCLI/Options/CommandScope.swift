// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion

/// What a command's column and model flags offer (``ColumnFlags``, ``ModelFlags``), so that its
/// `--help` lists only what the command accepts.
///
/// A flag a command does not offer is left out of its help but still parsed, so that giving it
/// is a usage error that says why (e.g. "--by does not apply to meta-regression") rather than
/// argument-parser's "unknown option". Which method allows which analysis is still decided in
/// one place, ``ModelFlags/requireInverseVariance(_:)``; a scope only mirrors it in the help.
protocol CommandScope {
  /// Whether `--by` (subgroups) is offered.
  static var offersSubgroups: Bool { get }
  /// Whether `--method pooled` is offered.
  static var offersSimplePooling: Bool { get }
  /// Whether `--method GLMM` (and `--nagq`) is offered; the help's note on it, if any.
  static var offersGLMM: Bool { get }
  static var glmmNote: String { get }
  /// Whether `--ci-method` (the cohorts' own CIs) is offered: only where cohort CIs are shown.
  static var offersStudyInterval: Bool { get }
  /// Whether a profile's default may be GLMM (`--profile meta`): only where every analysis of
  /// the command can fit it.
  static var profileMayChooseGLMM: Bool { get }
}

extension CommandScope {
  static var glmmNote: String { "" }
  static var profileMayChooseGLMM: Bool { offersGLMM }

  /// The help of `--method`: the methods the command accepts.
  static var methodHelp: String {
    var text = "Method: EE (FE, CE), DL, HE, HS, SJ, ML, REML (default), EB, PM"
    if offersGLMM { text += ", GLMM" + glmmNote }
    if offersSimplePooling { text += ", or pooled (sum of events / sum of n)" }
    return text + "."
  }
}

/// `pool`, `plot forest`, `report`, `batch`: every flag.
enum PoolScope: CommandScope {
  static let offersSubgroups = true
  static let offersSimplePooling = true
  static let offersGLMM = true
  static let offersStudyInterval = true
}

/// `sensitivity`: all cohorts, inverse-variance refits (GLMM for leave-one-out and cumulative).
enum SensitivityScope: CommandScope {
  static let offersSubgroups = false
  static let offersSimplePooling = false
  static let offersGLMM = true
  static let glmmNote = " (only --leave-one-out and --cumulative)"
  static let profileMayChooseGLMM = false
  static let offersStudyInterval = false
}

/// `regress`, `plot gosh|baujat|cumulative`: all cohorts, inverse-variance models only.
enum RefitScope: CommandScope {
  static let offersSubgroups = false
  static let offersSimplePooling = false
  static let offersGLMM = false
  static let offersStudyInterval = false
}

/// `plot funnel`: all cohorts, any model, no cohort CIs.
enum FunnelScope: CommandScope {
  static let offersSubgroups = false
  static let offersSimplePooling = true
  static let offersGLMM = true
  static let offersStudyInterval = false
}
