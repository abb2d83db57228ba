// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import MetaProportion
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports

/// A `sensitivity` analysis of a spec is read with the flags of `orrmeta sensitivity`
/// (``SensitivityAnalysisOptions``, ``ResamplingOptions``, the inverse-variance requirement),
/// so that the spec accepts and refuses exactly what the command does; the messages name the
/// spec's table, key and value instead of the flags.
///
/// `analyses = ["leave-one-out", "bias"]` stands for `--leave-one-out --bias`; `"bootstrap"`
/// takes its resamples from `bootstrap = B` (`--bootstrap B`). `order_by`, `estimator`,
/// `side`, `subsets`, `seed` are `--order-by`, `--estimator`, `--side`, `--subsets`, `--seed`.
extension BatchAnalysisSpec {
  /// The analysis each option key belongs to (the flag it "applies to" in the command).
  static let sensitivityOptionOwners: [String: String] = [
    "order_by": "cumulative", "estimator": "trimfill", "side": "trimfill", "subsets": "gosh",
  ]

  /// The sensitivity analyses and options of this (`sensitivity`) analysis.
  /// - Parameters:
  ///   - model: its model flags, already checked.
  ///   - cluster: the `cluster` key (`--cluster`): the analyses must have a cluster version
  ///     (``SensitivityAnalysisOptions/requireClusterSupport(method:)``, as the command checks).
  /// - Throws: ``BatchSpecError`` naming the spec file, the table, the key and the value.
  func resolveSensitivity(specFile file: String, model: ModelOptions, cluster: String? = nil) throws(BatchSpecError) -> BatchSensitivity {
    let (parsed, seed) = try sensitivityOptions(specFile: file)
    return try resolveSensitivity(parsed, seed: seed, specFile: file, method: model.method, cluster: cluster)
  }

  /// The analyses and options of this (`sensitivity`) analysis, each checked as the command's
  /// flags are, before the model: the first step of ``resolveSensitivity(specFile:model:cluster:)``.
  func sensitivityOptions(specFile file: String) throws(BatchSpecError) -> (SensitivityAnalysisOptions, seed: UInt64) {
    func fail(_ e: Entry, _ reason: String) -> BatchSpecError {
      BatchSpecError(file: file, table: e.table, key: e.key, value: e.literal, reason: reason)
    }
    let names = SensitivityAnalysisOptions.analysisNames

    // The analyses: each a flag of the command.
    guard let list = entry("analyses") else {
      throw BatchSpecError(file: file, table: table, reason: "a sensitivity analysis needs analyses = [...], a list of \(names.joined(separator: ", ")) (for example analyses = [\"leave-one-out\", \"influence\", \"bias\"])")
    }
    if list.values.isEmpty {
      throw fail(list, "choose at least one analysis: \(names.joined(separator: ", "))")
    }
    // `bootstrap = B` is both the option and, with "bootstrap" listed, the selection.
    if let b = entry("bootstrap") {
      do { _ = try SensitivityAnalysisOptions.parse(["--bootstrap=\(b.value)"]) } catch {
        throw fail(b, "invalid value; expected \(Self.expected(b.key))")
      }
      if !list.values.contains("bootstrap") { throw fail(b, "applies to the \"bootstrap\" analysis; add \"bootstrap\" to analyses") }
    }
    var selection: [String] = []
    for (i, item) in list.values.enumerated() {
      guard item == "all" || SensitivityAnalysisKind(argument: item) != nil else {
        throw fail(list, "unknown analysis \"\(item)\"; expected \(names.joined(separator: ", "))")
      }
      if list.values[..<i].contains(item) { throw fail(list, "\"\(item)\" is listed twice") }
      if SensitivityAnalysisKind(argument: item) == .bootstrap {
        guard let b = entry("bootstrap") else {
          throw fail(list, "the bootstrap needs its number of resamples: add bootstrap = B (for example bootstrap = 2000)")
        }
        selection.append("--bootstrap=\(b.value)")
      } else {
        selection.append("--\(item)")
      }
    }

    // Each option: first its value alone (with the analysis it applies to), then with the
    // analyses of the list, as the command checks them.
    var options: [String] = []
    var seed: UInt64 = 1
    for e in entries where BatchAnalysisKind.sensitivityKeys.contains(e.key) && !["analyses", "bootstrap"].contains(e.key) {
      let argument = "\(e.flag)=\(e.value)"
      if e.key == "seed" {
        do { seed = try ResamplingOptions.parse([argument]).seed } catch { throw fail(e, "invalid value; expected \(Self.expected(e.key))") }
        continue
      }
      if e.key == "order_by", e.value.trimmingCharacters(in: .whitespaces).isEmpty {
        throw fail(e, "expected a column name, not an empty string")
      }
      let owner = Self.sensitivityOptionOwners[e.key]!
      do { _ = try SensitivityAnalysisOptions.parse(["--\(owner)", argument]) } catch {
        throw fail(e, "invalid value; expected \(Self.expected(e.key))")
      }
      do { _ = try SensitivityAnalysisOptions.parse(selection + [argument]) } catch {
        throw fail(e, "applies to the \"\(owner)\" analysis, which analyses = \(list.literal) does not run; add \"\(owner)\" to analyses")
      }
      options.append(argument)
    }

    // Everything together, and the model: as `orrmeta sensitivity` validates them.
    let parsed: SensitivityAnalysisOptions
    do {
      parsed = try SensitivityAnalysisOptions.parse(selection + options)
    } catch {
      throw BatchSpecError(file: file, table: table, reason: SensitivityAnalysisOptions.message(for: error))
    }
    return (parsed, seed)
  }

  /// The second step of ``resolveSensitivity(specFile:model:cluster:)``: the analyses checked
  /// against the model's method and the cluster column, as `orrmeta sensitivity` checks them.
  func resolveSensitivity(_ parsed: SensitivityAnalysisOptions, seed: UInt64, specFile file: String, method: PoolingMethod, cluster: String?) throws(BatchSpecError) -> BatchSensitivity {
    func fail(_ e: Entry, _ reason: String) -> BatchSpecError {
      BatchSpecError(file: file, table: e.table, key: e.key, value: e.literal, reason: reason)
    }
    if cluster != nil {
      do { try parsed.requireClusterSupport(method: method) } catch {
        let reason = SensitivityAnalysisOptions.message(for: error).replacingOccurrences(of: "with --cluster", with: "with cluster = \"\(cluster!)\"")
        let onlyTheOrder = !(parsed.funnel.trimfill || parsed.funnel.gosh || parsed.bootstrap != nil)
        if let e = (onlyTheOrder ? entry("order_by") : nil) ?? entry("analyses") { throw fail(e, reason) }
        throw BatchSpecError(file: file, table: table, reason: reason)
      }
    }
    do {
      try parsed.requireMethodSupport(method)
    } catch {
      let reason = ModelOptions.message(for: error)
      if let key = entry("method") { throw fail(key, reason) }
      throw BatchSpecError(file: file, table: table, reason: reason)
    }
    return BatchSensitivity(request: parsed.request(seed: seed, threads: 1), orderBy: parsed.order.orderBy)
  }
}
