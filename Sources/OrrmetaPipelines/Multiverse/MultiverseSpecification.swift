// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion
import OrrmetaIO
import OrrmetaReports

/// The model family of one specification of the multiverse (`orrmeta multiverse`).
package enum MultiverseModel: String, CaseIterable, Sendable, Codable {
  /// Σxᵢ/Σnᵢ with a binomial CI (`pool --method pooled`).
  case simple
  /// The two-level inverse-variance model (`pool --method DL|REML|…`).
  case twoLevel = "two-level"
  /// Cohorts nested in clusters (`pool --cluster COL`, REML or ML).
  case threeLevel = "three-level"
  /// The binomial-normal GLMM (`pool --method GLMM`, logit).
  case glmm
}

/// One analysis of the multiverse: the model family and the exact ``AnalysisSettings`` that
/// `orrmeta pool` would use for the same flags (``poolArguments``).
package struct MultiverseSpecification: Sendable {
  /// 1-based position in the multiverse's deterministic order.
  package var id: Int
  package var model: MultiverseModel
  package var settings: AnalysisSettings
  /// The `orrmeta pool` flags that fit the same model (without the file and column flags).
  package var poolArguments: [String]

  /// Whether the fit needs the cluster column.
  package var usesClusters: Bool { model == .threeLevel }
}

/// The choices to cross (`--measures`, `--methods`, `--tests`, `--ci-methods`, `--models`) and
/// the settings every specification shares. The one owner of the multiverse's defaults and of
/// which model takes which choice.
package struct MultiverseChoices: Sendable {
  package var measures: [EffectMeasure] = EffectMeasure.allCases
  /// τ² estimators of the two-level model (EE included); the three-level model takes REML and ML.
  package var methods: [TauSquaredMethod] = TauSquaredMethod.allCases
  package var tests: [TestMethod] = [.z, .knha]
  /// Binomial CIs of simple pooling.
  package var ciMethods: [BinomialIntervalMethod] = BinomialIntervalMethod.allCases
  /// The model families; nil means every one available (three-level only with a cluster column).
  package var models: [MultiverseModel]?
  package var level: ConfidenceLevel = .ninetyFive
  package var quadraturePoints = 7

  package init() {}

  /// The models fitted: the ones asked for, or all of them (three-level only with clusters).
  package func effectiveModels(hasClusters: Bool) -> [MultiverseModel] {
    models ?? MultiverseModel.allCases.filter { $0 != .threeLevel || hasClusters }
  }

  /// Every specification, in a fixed order: two-level (measure × method × test), simple
  /// pooling (CI method), GLMM (test z or t), three-level (measure × REML/ML × test).
  package func specifications(clusterColumn: String?) -> [MultiverseSpecification] {
    let models = Set(effectiveModels(hasClusters: clusterColumn != nil))
    var out: [MultiverseSpecification] = []
    func add(_ model: MultiverseModel, _ s: AnalysisSettings, _ args: [String]) {
      var a = args
      if level != .ninetyFive { a += ["--level", "\(level.percent)"] }
      out.append(MultiverseSpecification(id: out.count + 1, model: model, settings: s, poolArguments: a))
    }
    func settings(_ m: EffectMeasure, _ method: PoolingMethod, _ t: TestMethod, _ ci: BinomialIntervalMethod = .clopperPearson) -> AnalysisSettings {
      AnalysisSettings(measure: m, method: method, test: t, level: level, studyInterval: ci, quadraturePoints: quadraturePoints)
    }
    func inverseVariance(_ model: MultiverseModel, _ methods: [TauSquaredMethod], _ extra: [String]) {
      for m in measures {
        for method in methods {
          for t in tests where t != .adhoc || model == .twoLevel {
            add(model, settings(m, PoolingMethod(rawValue: method.rawValue)!, t),
                ["--measure", m.rawValue, "--method", method.rawValue, "--test", t.rawValue] + extra)
          }
        }
      }
    }
    if models.contains(.twoLevel) { inverseVariance(.twoLevel, methods, []) }
    if models.contains(.simple) {
      for ci in ciMethods { add(.simple, settings(.PLO, .pooled, .z, ci), ["--method", "pooled", "--ci-method", ci.rawValue]) }
    }
    if models.contains(.glmm) {
      for t in tests where t == .z || t == .t {
        var args = ["--measure", "PLO", "--method", "GLMM", "--test", t.rawValue]
        if quadraturePoints != 7 { args += ["--nagq", "\(quadraturePoints)"] }
        add(.glmm, settings(.PLO, .GLMM, t), args)
      }
    }
    if models.contains(.threeLevel), let clusterColumn {
      inverseVariance(.threeLevel, methods.filter { $0 == .REML || $0 == .ML }, ["--cluster", clusterColumn])
    }
    return out
  }
}
