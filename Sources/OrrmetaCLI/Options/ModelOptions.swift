// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import MetaProportion

/// The model flags shared by every analysis command (`pool`'s set, also read by batch specs).
typealias ModelOptions = ModelFlags<PoolScope>

/// The model flags of an analysis command; `Scope` decides which of them its help offers.
struct ModelFlags<Scope: CommandScope>: ParsableArguments {
  @Option(help: "Defaults of another tool: orrmeta (default), metafor, meta (R meta metaprop), stata (Stata metaprop); an explicit flag wins. See 'orrmeta profiles' and Docs/profiles.md.")
  var profile: AnalysisProfile = ModelChoices.defaults.profile

  @Option(name: .customLong("measure"), help: "Measure: PR, PLN, PLO (logit, default), PAS, PFT.")
  var measureFlag: EffectMeasure?

  @Option(name: .customLong("method"), help: ArgumentHelp(Scope.methodHelp))
  var methodFlag: PoolingMethod?

  @Option(name: .customLong("test"), help: "Test and CI for the pooled estimate: z (default), t, knha (Hartung-Knapp; alias hksj), adhoc.")
  var testFlag: TestMethod?

  @OptionGroup var confidence: ConfidenceLevelOption

  @Option(
    name: .customLong("ci-method"),
    help: ArgumentHelp(
      "Per-cohort CI (and simple pooling's CI): clopper-pearson (default), wilson, wilson-cc, agresti-coull, jeffreys, wald.",
      visibility: Scope.offersStudyInterval ? .default : .private))
  var ciMethodFlag: BinomialIntervalMethod?

  @Option(help: "Continuity correction added to zero cells (default 0.5 for PR, PLN, PLO; 0 for PAS and PFT, as metafor). Given explicitly, it applies to every measure, as in metafor.")
  var add: Double?

  @Option(help: "Which cohorts get the correction: only0 (default), all, if0all, none.")
  var to: ZeroCellRule = ModelChoices.defaults.to

  @Option(help: ArgumentHelp("GLMM quadrature points (1 = Laplace; default 7, as metafor).", visibility: Scope.offersGLMM ? .default : .private))
  var nagq: Int = ModelChoices.defaults.nagq

  @Flag(
    name: .customLong("tau-common"),
    help: ArgumentHelp(
      "With --by: one tau^2 common to every subgroup (R meta's tau.common = TRUE), estimated from the meta-regression on the subgroups (metafor rma(mods = ~ factor(by))); default: a tau^2 per subgroup.",
      visibility: Scope.offersSubgroups ? .default : .private))
  var tauCommon = false

  @Option(name: .customLong("convergence"), help: "Stopping rules of the iterations: exact (to the optimum; default under the orrmeta and stata profiles) or metafor (metafor's default control step by step; default under the metafor and meta profiles): Fisher scoring for ML/REML/EB (meta-regression too) stops at |change in tau^2| < 1e-5 (at most 100 steps, step halving, the ll(0) check), and R's uniroot (tol 2^-13, about 1.2e-4) solves the PM estimate, the Q-profile CI of tau^2 (and I^2, H^2) and Jackson's generalised-Q CI.")
  var convergenceFlag: Convergence?

  /// `--level` as given (settable, as the other model flags are).
  var level: Double {
    get { confidence.level }
    set { confidence.level = newValue }
  }

  /// The flags' values as plain data; every rule below is ``ModelChoices``'s.
  var choices: ModelChoices {
    ModelChoices(
      profile: profile, measureFlag: measureFlag, methodFlag: methodFlag, testFlag: testFlag, level: level,
      ciMethodFlag: ciMethodFlag, add: add, to: to, nagq: nagq, tauCommon: tauCommon, convergenceFlag: convergenceFlag)
  }

  /// The measure: the flag, else the profile's default.
  var measure: EffectMeasure { choices.measure }
  /// The method: the flag, else the profile's default for the measure.
  var method: PoolingMethod { method(clustered: false) }
  /// The method with or without a cluster column (the meta profile's default differs).
  func method(clustered: Bool) -> PoolingMethod { choices.method(clustered: clustered, in: Scope.self) }
  var test: TestMethod { choices.test }
  var ciMethod: BinomialIntervalMethod { choices.ciMethod(in: Scope.self) }
  var convergence: Convergence { choices.convergence }

  /// Each default the profile changed from orrmeta's, in words.
  var profileChanges: [String] { profileChanges(clustered: false) }
  func profileChanges(clustered: Bool) -> [String] { choices.profileChanges(clustered: clustered, in: Scope.self) }

  func validate() throws { try choices.validate(in: Scope.self) }

  /// A usage error when `--tau-common` is given without subgroups.
  func requireSubgroupsForTauCommon<S>(_ columns: ColumnFlags<S>) throws {
    try choices.requireSubgroupsForTauCommon(by: columns.by)
  }

  /// The analysis settings; throws a ValidationError for out-of-range values. `clustered`: a
  /// cluster column was given (the three-level model), which changes the meta profile's default
  /// method.
  func settings(clustered: Bool = false) throws -> AnalysisSettings {
    try choices.settings(clustered: clustered, in: Scope.self)
  }
}
