// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import MetaProportion
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports

/// A spec's analysis is read with the flags of its command, so that a spec key means exactly
/// what the flag means (same names, aliases, defaults and checks).
extension BatchAnalysisSpec {
  /// The resolved analysis.
  /// - Throws: ``BatchSpecError`` naming the spec file, the table, the key and the value.
  func resolve(specFile file: String) throws(BatchSpecError) -> BatchAnalysis {
    if kind == .compare { return try resolveComparison(specFile: file) }
    var modelArguments: [String] = []
    var columnArguments: [String] = []
    var cluster: String? = nil
    for e in entries where e.key == "cluster" {
      // `cluster` is the `--cluster` flag of pool (ClusterOptions), not a ColumnOptions flag.
      guard !e.value.trimmingCharacters(in: .whitespaces).isEmpty else {
        throw BatchSpecError(file: file, table: e.table, key: e.key, value: e.literal, reason: "expected a column name, not an empty string")
      }
      cluster = e.value
    }
    var cohortIntervals = true
    for e in entries where e.key == "cohort_intervals" {
      // A setting of the batch result, not a flag of pool: "all" (pool's result) or "none".
      switch e.value.lowercased() {
      case "all": cohortIntervals = true
      case "none": cohortIntervals = false
      default: throw BatchSpecError(file: file, table: e.table, key: e.key, value: e.literal, reason: "expected \"all\" (each cohort's CI, as orrmeta pool) or \"none\"")
      }
      if !cohortIntervals, let by = entries.first(where: { $0.key == "by" }) {
        throw BatchSpecError(
          file: file, table: e.table, key: e.key, value: e.literal,
          reason: "cannot be combined with by = \(by.literal): the subgroup blocks state each cohort's CI")
      }
    }
    for e in entries
    where !BatchAnalysisKind.sensitivityKeys.contains(e.key) && !BatchAnalysisKind.regressKeys.contains(e.key) && e.key != "cluster"
      && e.key != "cohort_intervals"
    {
      let argument = "\(e.flag)=\(e.value)"
      let isModel = BatchAnalysisKind.modelKeys.contains(e.key)
      do {
        if isModel { _ = try ModelOptions.parse([argument]) } else {
          if e.value.trimmingCharacters(in: .whitespaces).isEmpty {
            throw BatchSpecError(file: file, table: e.table, key: e.key, value: e.literal, reason: "expected a column name, not an empty string")
          }
          _ = try ColumnOptions.parse([argument])
        }
      } catch let error as BatchSpecError {
        throw error
      } catch {
        throw BatchSpecError(file: file, table: e.table, key: e.key, value: e.literal, reason: "invalid value; expected \(Self.expected(e.key))")
      }
      if isModel { modelArguments.append(argument) } else { columnArguments.append(argument) }
    }
    var model: ModelOptions
    let settings: AnalysisSettings
    let columns: ColumnSelection
    do {
      model = try ModelOptions.parse(modelArguments)
      if kind != .pool, cluster == nil, model.methodFlag == nil, model.method == .GLMM {
        // As the sensitivity and regress commands (CommandScope.profileMayChooseGLMM): a
        // profile's GLMM default is its inverse-variance default where models are refitted.
        let method = model.profile.method(for: model.measure, glmmAvailable: false)
        model = try ModelOptions.parse(modelArguments + ["--method=\(method.rawValue)"])
      }
      // With a cluster column the profile's three-level default applies (meta: ML for PLO).
      settings = try model.settings(clustered: cluster != nil)
      var selection = try ColumnOptions.parse(columnArguments).selection
      selection.cluster = cluster
      columns = selection
    } catch {
      throw BatchSpecError(file: file, table: table, reason: ModelOptions.message(for: error))
    }
    switch kind {
    case .pool:
      return BatchAnalysis(name: name, kind: .pool, settings: settings, columns: columns, cohortIntervals: cohortIntervals)
    case .sensitivity:
      let sensitivity = try resolveSensitivity(specFile: file, model: model, cluster: cluster)
      return BatchAnalysis(name: name, kind: .sensitivity, settings: settings, columns: columns, sensitivity: sensitivity)
    case .regress:
      let regression = try resolveRegression(specFile: file, model: model)
      return BatchAnalysis(name: name, kind: .regress, settings: settings, columns: columns, regression: regression)
    case .compare:
      preconditionFailure("resolved by resolveComparison")
    }
  }

  /// What a key accepts, for messages.
  static func expected(_ key: String) -> String {
    func list<T: CaseIterable & RawRepresentable>(_: T.Type) -> String where T.RawValue == String {
      "one of " + T.allCases.map(\.rawValue).joined(separator: ", ")
    }
    switch key {
    case "measure": return list(EffectMeasure.self)
    case "method": return list(PoolingMethod.self) + " (FE and CE mean EE)"
    case "test": return list(TestMethod.self) + " (hksj means knha)"
    case "ci_method": return list(BinomialIntervalMethod.self)
    case "to": return list(ZeroCellRule.self)
    case "level": return "a percentage in (50, 100) such as 95, or a fraction in (0.5, 1) such as 0.95"
    case "add": return "a finite number >= 0 and at most 1000000"
    case "nagq": return "a whole number from 1 to 50"
    case "convergence": return list(Convergence.self)
    case "profile": return list(AnalysisProfile.self)
    case "analyses": return "an array of " + SensitivityAnalysisOptions.analysisNames.joined(separator: ", ")
    case "estimator": return list(TrimAndFillEstimator.self)
    case "side": return list(FunnelSide.self)
    case "subsets": return "a whole number >= 2 and at most \(ResamplingLimits.goshSubsets) (results are kept in memory)"
    case "bootstrap": return "a whole number of resamples >= 2 and at most \(ResamplingLimits.bootstrapResamples) (results are kept in memory)"
    case "seed": return "a whole number from 0 to \(UInt64.max)"
    case "mods", "categorical": return "an array of column names"
    case "reference": return "an array of COLUMN=LEVEL (or LEVEL)"
    case "interaction": return "an array of A:B, pairs of mods columns"
    default: return "a column name"
    }
  }
}
