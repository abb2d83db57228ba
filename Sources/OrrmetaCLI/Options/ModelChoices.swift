// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import MetaProportion

/// The values of the model flags (``ModelFlags``) as plain data, and the one owner of every rule
/// that reads them: the defaults a profile supplies, the checks, the analysis settings.
///
/// ``ModelFlags`` (argument-parser's property wrappers) delegates every rule here, and `pool`'s
/// table-driven parser (``PoolRequest/argumentTable``) fills this value directly, so that the
/// start-up path of `orrmeta pool` does not instantiate argument-parser's wrappers
/// (Docs/performance.md, "Start-up"). The defaults are ``ModelFlags``'s;
/// `PoolArgumentTableTests` compares both parsers' values.
struct ModelChoices: Equatable, Sendable {
  /// The flags' defaults: the one owner, read by ``ModelFlags``'s options and `pool`'s table.
  static let defaults = ModelChoices()

  var profile: AnalysisProfile = .orrmeta
  /// `--measure`, `--method`, `--test`, `--ci-method`, `--convergence` as given (nil: the
  /// profile's default).
  var measureFlag: EffectMeasure?
  var methodFlag: PoolingMethod?
  var testFlag: TestMethod?
  /// `--level` as given: a percentage or a fraction, checked by ``ConfidenceLevelOption``.
  var level: Double = ConfidenceLevelOption.defaultLevel
  var ciMethodFlag: BinomialIntervalMethod?
  var add: Double?
  var to: ZeroCellRule = .only0
  var nagq: Int = 7
  var tauCommon = false
  var convergenceFlag: Convergence?

  /// The measure: the flag, else the profile's default.
  var measure: EffectMeasure { measureFlag ?? profile.measure }
  /// The method with or without a cluster column (the meta profile's default differs), for a
  /// command of `scope`.
  func method<Scope: CommandScope>(clustered: Bool, in _: Scope.Type) -> PoolingMethod {
    methodFlag ?? profile.method(for: measure, glmmAvailable: Scope.profileMayChooseGLMM, clustered: clustered)
  }
  var test: TestMethod { testFlag ?? profile.test }
  func ciMethod<Scope: CommandScope>(in _: Scope.Type) -> BinomialIntervalMethod {
    ciMethodFlag ?? (Scope.offersStudyInterval ? profile.studyInterval : .clopperPearson)
  }
  var convergence: Convergence { convergenceFlag ?? profile.convergence }

  /// Each default the profile changed from orrmeta's, in words.
  func profileChanges<Scope: CommandScope>(clustered: Bool, in scope: Scope.Type) -> [String] {
    let base = AnalysisProfile.orrmeta
    var changes: [String] = []
    func note(_ name: String, _ given: Bool, _ value: String, _ orrmeta: String) {
      if !given, value != orrmeta { changes.append("\(name) \(value) (orrmeta: \(orrmeta))") }
    }
    note("measure", measureFlag != nil, measure.rawValue, base.measure.rawValue)
    note("method", methodFlag != nil, method(clustered: clustered, in: scope).rawValue, base.method(for: measure, glmmAvailable: Scope.profileMayChooseGLMM, clustered: clustered).rawValue)
    note("test", testFlag != nil, test.rawValue, base.test.rawValue)
    if Scope.offersStudyInterval { note("ci-method", ciMethodFlag != nil, ciMethod(in: scope).rawValue, base.studyInterval.rawValue) }
    note("convergence", convergenceFlag != nil, convergence.rawValue, base.convergence.rawValue)
    return changes
  }

  /// The checks of ``ModelFlags/validate()`` for a command of `scope`.
  func validate<Scope: CommandScope>(in scope: Scope.Type) throws {
    _ = try settings(clustered: false, in: scope)
    if !Scope.offersStudyInterval, let given = ciMethodFlag, given != .clopperPearson {
      throw ValidationError("--ci-method sets the cohorts' own CIs, which this command does not report")
    }
    if !Scope.offersGLMM, nagq != Self.defaults.nagq { throw ValidationError("--nagq applies to --method GLMM, which this command does not fit") }
    if !Scope.offersSubgroups, tauCommon { throw ValidationError("--tau-common applies to subgroups (--by), which this command does not fit") }
  }

  /// A usage error when `--tau-common` is given without subgroups (`by`: the `--by` column).
  func requireSubgroupsForTauCommon(by: String?) throws {
    if tauCommon, by == nil { throw ValidationError("--tau-common applies to subgroups: give the subgroup column with --by COLUMN") }
  }

  /// The analysis settings; throws a ValidationError for out-of-range values. `clustered`: a
  /// cluster column was given (the three-level model), which changes the meta profile's default
  /// method.
  func settings<Scope: CommandScope>(clustered: Bool, in scope: Scope.Type) throws -> AnalysisSettings {
    let method = self.method(clustered: clustered, in: scope)
    let lv = try ConfidenceLevelOption.confidenceLevel(level)
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
    if tauCommon, method == .pooled || method == .GLMM {
      throw ValidationError("--tau-common needs an inverse-variance method (the common tau^2 is that of the meta-regression on the subgroups), given: --method \(method.rawValue)")
    }
    var settings = AnalysisSettings(
      measure: measure, method: method, test: test, level: lv, studyInterval: ciMethod(in: scope), add: add,
      to: to, quadraturePoints: nagq)
    settings.tauCommon = tauCommon
    settings.control = convergence.control
    settings.profile = profile
    settings.profileChanges = profileChanges(clustered: clustered, in: scope)
    return settings
  }
}
