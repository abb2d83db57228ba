// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion

extension ForestPlotData {
  /// The forest plot of one analysis: its cohorts (weights of its model), the common-effect
  /// diamond (`commonEffect`, the common-effect version of the analysis's method), the
  /// analysis's own diamond, its prediction interval (random-effects methods) and heterogeneity.
  ///
  /// - Parameters:
  ///   - analysis: the analysis to draw.
  ///   - commonEffect: ``CommonEffect/fit(studies:settings:)`` of the same cohorts, for the
  ///     common-effect diamond (nil: none drawn).
  ///   - title: a title above the plot.
  package init(analysis a: ProportionAnalysis, commonEffect: CommonEffect?, title: String? = nil) {
    let rows = a.studies.map(Self.row)
    self.init(
      title: title, blocks: [Block(rows: rows)],
      overall: Self.overallSummaries(a, commonEffect: commonEffect),
      predictionInterval: Self.predictionInterval(a), heterogeneity: Self.heterogeneity(a),
      levelPercent: a.settings.level.percent, footnote: Self.footnote(a.settings),
      referenceLine: a.pooled.proportion.isFinite ? a.pooled.proportion : nil)
  }

  /// The subgroup forest plot: one block per subgroup (its cohorts with their weights in the
  /// overall model, the subgroup's own diamond and heterogeneity), then the overall diamonds,
  /// prediction interval, heterogeneity and the test for subgroup differences.
  ///
  /// - Parameters:
  ///   - subgrouped: the analysis with subgroups.
  ///   - groups: each cohort's subgroup level, in input order (as given to the analysis).
  ///   - commonEffect: the common-effect version of the method fitted to all cohorts (nil: none).
  ///   - groupColumn: the name of the subgroup column, for block titles ("line = naive").
  ///   - title: a title above the plot.
  package init(
    subgrouped s: SubgroupedAnalysis, groups: [String], commonEffect: CommonEffect?,
    groupColumn: String? = nil, title: String? = nil
  ) {
    let a = s.overall
    let rows = a.studies.map(Self.row)
    var blocks: [Block] = []
    for g in s.subgroups {
      let members = rows.indices.filter { $0 < groups.count && groups[$0] == g.name }.map { rows[$0] }
      var summary = Self.primarySummary(g.analysis)
      let w = members.map(\.weight).filter(\.isFinite)
      summary.weight = w.isEmpty ? nil : w.reduce(0, +)
      blocks.append(Block(
        title: groupColumn.map { "\($0) = \(g.name)" } ?? g.name, rows: members, summaries: [summary],
        heterogeneity: Self.heterogeneity(g.analysis)))
    }
    self.init(
      title: title, blocks: blocks, overall: Self.overallSummaries(a, commonEffect: commonEffect),
      predictionInterval: Self.predictionInterval(a), heterogeneity: Self.heterogeneity(a),
      subgroupTest: s.test.map { SubgroupTest(q: $0.q, degreesOfFreedom: $0.degreesOfFreedom, pValue: $0.pValue) },
      levelPercent: a.settings.level.percent, footnote: Self.footnote(a.settings),
      referenceLine: a.pooled.proportion.isFinite ? a.pooled.proportion : nil)
  }

  static func row(_ s: StudyResult) -> Row {
    Row(label: s.label, events: s.events, total: s.total, proportion: s.proportion, ciLower: s.ciLower, ciUpper: s.ciUpper, weight: s.weight)
  }

  /// The label of a method's diamond.
  static func modelLabel(_ m: PoolingMethod) -> String {
    switch m {
    case .EE: return "Common-effect model"
    case .pooled: return "Simple pooling (sum x / sum n)"
    case .GLMM: return "Random-effects model (GLMM)"
    default: return "Random-effects model (\(m.rawValue))"
    }
  }

  static func kind(_ m: PoolingMethod) -> SummaryKind {
    switch m {
    case .EE: return .common
    case .pooled: return .simple
    default: return .random
    }
  }

  static func primarySummary(_ a: ProportionAnalysis) -> Summary {
    Summary(
      label: modelLabel(a.settings.method), kind: kind(a.settings.method), proportion: a.pooled.proportion,
      ciLower: a.pooled.ciLower, ciUpper: a.pooled.ciUpper, weight: 100, events: a.totalEvents,
      total: a.totalPatients)
  }

  static func overallSummaries(_ a: ProportionAnalysis, commonEffect: CommonEffect?) -> [Summary] {
    var out: [Summary] = []
    if let c = commonEffect {
      out.append(Summary(label: c.label, kind: .common, proportion: c.pooled.proportion, ciLower: c.pooled.ciLower, ciUpper: c.pooled.ciUpper))
    }
    out.append(primarySummary(a))
    return out
  }

  static func predictionInterval(_ a: ProportionAnalysis) -> ClosedRange<Double>? {
    guard a.settings.method.isRandomEffects, a.settings.method != .pooled else { return nil }
    let lo = a.pooled.piLower, hi = a.pooled.piUpper
    guard lo.isFinite, hi.isFinite, lo <= hi else { return nil }
    return lo...hi
  }

  static func heterogeneity(_ a: ProportionAnalysis) -> Heterogeneity? {
    guard a.k >= 2 else { return nil }
    let h = a.heterogeneity
    return Heterogeneity(i2: h.i2, tau2: h.tau2, q: h.q, degreesOfFreedom: h.qDegreesOfFreedom, pValue: h.qPValue)
  }

  static func footnote(_ s: AnalysisSettings) -> String {
    var parts = ["\(s.measure.rawValue) (\(s.measure.name))", s.method.name]
    if s.method != .pooled { parts.append("test: \(s.test.rawValue)") }
    parts.append("cohort CIs: \(s.studyInterval.name)")
    return parts.joined(separator: "; ")
  }
}
