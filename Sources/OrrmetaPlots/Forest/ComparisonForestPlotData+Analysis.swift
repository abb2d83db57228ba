// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion

extension ComparisonForestPlotData {
  /// One subgroup of a comparison: its level, its analysis and the indices of its trials in
  /// the overall analysis.
  package struct SubgroupFit: Sendable {
    package var name: String
    package var analysis: ComparisonAnalysis
    package var members: [Int]

    package init(name: String, analysis: ComparisonAnalysis, members: [Int]) {
      self.name = name
      self.analysis = analysis
      self.members = members
    }
  }

  /// The forest plot of a comparison: each trial's arms, effect and weight in `analysis`, the
  /// common-effect diamond (`commonEffect`: the inverse-variance EE fit when the method is a
  /// random-effects one; nil otherwise), the method's diamond, its prediction interval
  /// (random-effects methods) and heterogeneity; with `subgroups`, one block per subgroup with
  /// its own diamond (rows keep their weights in the overall model, as meta's forest).
  package init(
    analysis a: ComparisonAnalysis, commonEffect: ComparisonAnalysis? = nil, subgroups: [SubgroupFit]? = nil,
    groupColumn: String? = nil, treatLabel: String = "Treatment", controlLabel: String = "Control", title: String? = nil
  ) {
    let rows = a.trials.map { Self.row($0, measure: a.settings.measure) }
    var blocks: [Block] = []
    if let subgroups {
      for g in subgroups {
        blocks.append(Block(
          title: groupColumn.map { "\($0) = \(g.name)" } ?? g.name, rows: g.members.map { rows[$0] },
          summaries: [Self.summary(g.analysis, weight: g.members.map { rows[$0].weight }.filter(\.isFinite).reduce(0, +))],
          heterogeneity: Self.heterogeneity(g.analysis)))
      }
    } else {
      blocks = [Block(rows: rows)]
    }
    var overall: [Summary] = []
    if let c = commonEffect { overall.append(Self.summary(c, weight: nil, totals: false)) }
    overall.append(Self.summary(a, weight: 100))
    let s = a.settings
    self.init(
      title: title, blocks: blocks, overall: overall, predictionInterval: Self.predictionInterval(a),
      heterogeneity: Self.heterogeneity(a), measure: s.measure.rawValue, measureName: s.measure.name.prefix(1).uppercased() + s.measure.name.dropFirst(),
      isRatio: s.measure.isRatio, treatLabel: treatLabel, controlLabel: controlLabel, levelPercent: s.level.percent,
      decimals: s.measure.isRatio ? 2 : 3, footnote: Self.footnote(s))
  }

  static func back(_ x: Double, _ m: ComparisonMeasure) -> Double { m.isRatio ? Foundation.exp(x) : x }

  static func row(_ t: TrialComparison, measure m: ComparisonMeasure) -> Row {
    Row(
      label: t.study.label, eventsTreat: t.study.eventsTreat, totalTreat: t.study.totalTreat,
      eventsControl: t.study.eventsControl, totalControl: t.study.totalControl, effect: back(t.yi, m),
      ciLower: back(t.ciLower, m), ciUpper: back(t.ciUpper, m), weight: t.weightPercent, included: t.available)
  }

  /// Whether a method is a random-effects model (a τ² other than EE, or the GLMM).
  static func isRandom(_ s: ComparisonSettings) -> Bool {
    s.method == .GLMM || (s.method.tauSquaredMethod.map { $0 != .EE } ?? false)
  }

  /// The label of a method's diamond.
  static func label(_ s: ComparisonSettings) -> String {
    switch s.method {
    case .MH: return "Common-effect model (Mantel-Haenszel)"
    case .Peto: return "Common-effect model (Peto)"
    case .EE: return "Common-effect model (inverse variance)"
    case .GLMM: return "Random-effects model (GLMM, \(s.model.rawValue))"
    default: return "Random-effects model (\(s.method.rawValue))"
    }
  }

  static func summary(_ a: ComparisonAnalysis, weight: Double?, totals: Bool = true) -> Summary {
    let m = a.settings.measure, p = a.pooled
    let studies = a.studies
    return Summary(
      label: label(a.settings), kind: isRandom(a.settings) ? .random : .common, effect: back(p.estimate, m),
      ciLower: back(p.ciLower, m), ciUpper: back(p.ciUpper, m), weight: weight,
      eventsTreat: totals ? studies.reduce(0) { $0 + $1.eventsTreat } : nil,
      totalTreat: totals ? studies.reduce(0) { $0 + $1.totalTreat } : nil,
      eventsControl: totals ? studies.reduce(0) { $0 + $1.eventsControl } : nil,
      totalControl: totals ? studies.reduce(0) { $0 + $1.totalControl } : nil)
  }

  static func predictionInterval(_ a: ComparisonAnalysis) -> ClosedRange<Double>? {
    guard isRandom(a.settings) else { return nil }
    let lo = back(a.pooled.piLower, a.settings.measure), hi = back(a.pooled.piUpper, a.settings.measure)
    guard lo.isFinite, hi.isFinite, lo <= hi else { return nil }
    return lo...hi
  }

  static func heterogeneity(_ a: ComparisonAnalysis) -> ForestPlotData.Heterogeneity? {
    guard a.pooled.k >= 2 else { return nil }
    let p = a.pooled
    return ForestPlotData.Heterogeneity(i2: p.i2, tau2: isRandom(a.settings) ? p.tau2 : .nan, q: p.q, degreesOfFreedom: p.qDegreesOfFreedom, pValue: p.qPValue)
  }

  static func footnote(_ s: ComparisonSettings) -> String {
    var parts = ["\(s.measure.rawValue) (\(s.measure.name))", s.method == .GLMM ? "GLMM, \(s.model.name)" : s.method.name]
    if s.method.tauSquaredMethod != nil || s.method == .GLMM { parts.append("test: \(s.test.rawValue)") }
    parts.append("trial CIs: Wald z")
    parts.append("zero cells: add \(PlotFormat.tick(s.add)) to \(s.to.rawValue)\(s.effectiveDrop00 ? ", drop00" : "")")
    return parts.joined(separator: "; ")
  }
}
