// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import OrrmetaIO
import OrrmetaReports

/// The case-deletion and funnel analyses requested of `orrmeta compare`.
package struct CompareDiagnostics: Sendable, Hashable {
  package var influence = false
  package var trimFill = false
  package var trimFillSide: FunnelSide? = nil
  package var trimFillEstimator: TrimAndFillEstimator = .L0
  /// GOSH settings when requested.
  package var gosh: GoshOptions? = nil

  package init(
    influence: Bool = false, trimFill: Bool = false, trimFillSide: FunnelSide? = nil,
    trimFillEstimator: TrimAndFillEstimator = .L0, gosh: GoshOptions? = nil
  ) {
    self.influence = influence
    self.trimFill = trimFill
    self.trimFillSide = trimFillSide
    self.trimFillEstimator = trimFillEstimator
    self.gosh = gosh
  }

  /// The option names requested.
  var requested: [String] {
    (influence ? ["influence"] : []) + (trimFill ? ["trimfill"] : []) + (gosh != nil ? ["gosh"] : [])
  }
}

/// Reads nothing and prints nothing: turns a validated two-arm file and settings into the
/// ``CompareReport`` (with subgroups when the file was read with a `by` column), and renders it.
package enum ComparePipeline {
  /// Runs the analysis (overall, and per subgroup level in order of first appearance).
  package static func run(
    _ data: TwoArmFile, settings: ComparisonSettings, leaveOneOut: Bool = false, cumulative: Bool = false,
    bias: Bool = false, diagnostics: CompareDiagnostics = CompareDiagnostics()
  ) throws(MetaAnalysisError) -> CompareReport {
    if bias, settings.method.tauSquaredMethod == nil {
      throw .invalidSetting(name: "bias", value: settings.method.rawValue, expected: "an inverse-variance method (EE, DL, ..., PM): metafor's regtest takes rma fits, not rma.mh, rma.peto or rma.glmm")
    }
    if let name = diagnostics.requested.first, settings.method.tauSquaredMethod == nil {
      throw .invalidSetting(name: name, value: settings.method.rawValue, expected: "an inverse-variance method (EE, DL, ..., PM): metafor's influence, trimfill and gosh take rma fits, not rma.mh, rma.peto or rma.glmm")
    }
    if !settings.profile.offersComparisonAnalyses, leaveOneOut || cumulative || bias || !diagnostics.requested.isEmpty {
      throw .invalidSetting(name: "profile", value: settings.profile.rawValue, expected: "no leave-one-out, cumulative, bias, influence, trim-and-fill or GOSH analysis (not available under profile \(settings.profile.rawValue) yet)")
    }
    if settings.profile == .meta { return try runMetaBin(data, settings: settings) }
    let overall = try ComparisonAnalysis(studies: data.studies, settings: settings)
    let b = CompareReport.blocks(overall, lines: data.lines)
    var subgroups: [CompareReport.Subgroup]? = nil
    if let groups = data.groups {
      subgroups = []
      for (g, idx) in levels(groups) {
        let a = try ComparisonAnalysis(studies: idx.map { data.studies[$0] }, settings: settings)
        let sb = CompareReport.blocks(a, lines: idx.map { data.lines[$0] })
        subgroups!.append(CompareReport.Subgroup(
          name: g, k: a.pooled.k, model: sb.model, pooled: sb.pooled, heterogeneity: sb.heterogeneity, tests: sb.tests,
          trials: sb.trials, warnings: a.warnings.map(\.description)))
      }
    }
    return CompareReport(
      orrmeta_version: OrrmetaVersion.current,
      input: .init(file: data.file, layout: data.layout, columns: data.columns, by_column: data.byColumn),
      settings: CompareReport.settings(settings), k: overall.pooled.k, model: b.model, pooled: b.pooled,
      heterogeneity: b.heterogeneity, tests: b.tests, trials: b.trials, subgroups: subgroups,
      leave_one_out: leaveOneOut ? try overall.leaveOneOut().map(CompareReport.SensitivityRow.init) : nil,
      cumulative: cumulative ? try overall.cumulative().map(CompareReport.SensitivityRow.init) : nil,
      bias: try bias ? biasBlock(overall) : nil,
      influence: diagnostics.influence ? try overall.influence() : nil,
      trimfill: diagnostics.trimFill ? try overall.trimAndFill(side: diagnostics.trimFillSide, estimator: diagnostics.trimFillEstimator) : nil,
      gosh: try goshBlock(overall, diagnostics.gosh),
      warnings: data.warnings + overall.warnings.map(\.description))
  }

  /// The subgroup levels in order of first appearance, each with its rows.
  static func levels(_ groups: [String]) -> [(name: String, rows: [Int])] {
    var order: [String] = []
    var members: [String: [Int]] = [:]
    for (i, g) in groups.enumerated() {
      if members[g] == nil { order.append(g); members[g] = [] }
      members[g]!.append(i)
    }
    return order.map { ($0, members[$0]!) }
  }

  static func biasBlock(_ a: ComparisonAnalysis) throws(MetaAnalysisError) -> CompareReport.Bias? {
    guard let t = try a.smallStudyTests() else { return nil }
    return CompareReport.Bias(t, harbord: try a.harbordTest())
  }

  static func goshBlock(_ a: ComparisonAnalysis, _ o: GoshOptions?) throws(MetaAnalysisError) -> SensitivityReport.Gosh? {
    guard let o, let g = try a.gosh(o) else { return nil }
    return SensitivityReport.Gosh(k: g.k, subsets: g.subsets, exhaustive: g.exhaustive, seed: g.seed, summary: g.summary(threads: o.threads))
  }

  /// Renders a report in a format.
  package static func render(_ r: CompareReport, format: ReportFormat) throws -> String {
    switch format {
    case .json: return try JSONOutput.encode(r)
    case .text: return CompareTextReport.render(r, markdown: false)
    case .markdown: return CompareTextReport.render(r, markdown: true)
    case .csv: return try csv(r)
    }
  }

  static let csvHeader = [
    "row_type", "subgroup", "label", "events_treat", "n_treat", "events_ctrl", "n_ctrl", "yi", "vi", "effect",
    "ci_lower", "ci_upper", "pi_lower", "pi_upper", "weight", "tau2", "i2", "q", "q_p_value",
  ]

  /// CSV (written with `SafeCSVWriter`: formula cells neutralised): one row per trial (`trial`), then one per pooled result
  /// (`subgroup`, `pooled`); effects on the reported scale; numbers at full precision.
  static func csv(_ r: CompareReport) throws -> String {
    var csv = SafeCSVWriter()
    csv.write(row: csvHeader)
    func trials(_ list: [CompareReport.Trial], _ group: String) throws {
      for t in list {
        csv.write(row: [
          "trial", group, t.label, "\(t.events_treat)", "\(t.n_treat)", "\(t.events_ctrl)", "\(t.n_ctrl)", Fmt.full(t.yi),
          Fmt.full(t.vi), Fmt.full(t.effect), Fmt.full(t.effect_ci_lower), Fmt.full(t.effect_ci_upper), "", "",
          Fmt.full(t.weight), "", "", "", "",
        ])
      }
    }
    func pooled(_ type: String, _ group: String, _ list: [CompareReport.Trial], _ p: CompareReport.Pooled, _ m: CompareReport.Model, _ h: CompareReport.Heterogeneity) throws {
      let sum = { (f: (CompareReport.Trial) -> Int) in "\(list.reduce(0) { $0 + f($1) })" }
      csv.write(row: [
        type, group, group.isEmpty ? "overall" : group, sum(\.events_treat), sum(\.n_treat), sum(\.events_ctrl), sum(\.n_ctrl),
        Fmt.full(m.estimate), Fmt.full(m.se.map { $0 * $0 }), Fmt.full(p.estimate), Fmt.full(p.ci_lower), Fmt.full(p.ci_upper),
        Fmt.full(p.pi_lower), Fmt.full(p.pi_upper), "", Fmt.full(h.tau2), Fmt.full(h.i2), Fmt.full(h.q), Fmt.full(h.q_p_value),
      ])
    }
    if let groups = r.subgroups {
      for g in groups { try trials(g.trials, g.name) }
      for g in groups { try pooled("subgroup", g.name, g.trials, g.pooled, g.model, g.heterogeneity) }
    } else {
      try trials(r.trials, "")
    }
    try pooled("pooled", "", r.trials, r.pooled, r.model, r.heterogeneity)
    return String(decoding: csv.bytes, as: UTF8.self)
  }
}
