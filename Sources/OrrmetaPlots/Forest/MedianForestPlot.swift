// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import GSLDistributions
import OrrmetaReports

/// A forest plot of an inverse-variance pooling from reported CIs (`orrmeta pfs --pool iv` or
/// `--hr`, option `--forest`): one row per cohort with its Wald interval yᵢ ± z·SEᵢ (the interval
/// the pooling uses), a box sized by weight, a diamond per subgroup and overall, and the
/// prediction interval. Medians and differences are drawn in months; log ratios and log hazard
/// ratios on the log scale with tick labels on the ratio scale. Every figure comes from the
/// ``PFSPooledReport``.
package enum MedianForestPlot {
  static let pad = 16.0
  static let rowHeight = 20.0
  static let plotWidth = 340.0

  struct Row {
    var label: String
    var interval: EstimateInterval
    var weight: Double?
    var summary: Bool
    var subgroup: Bool
  }

  /// The plot of a report (no cohort rows for a subset without a pooled result).
  package static func render(_ r: PFSPooledReport) -> SVGDocument {
    let logScale = r.settings.estimand == "log-ratio" || r.settings.estimand == "log-hazard-ratio"
    let alpha = (100 - r.settings.level) / 100
    let z = (try? Normal.standard.upperQuantile(alpha / 2)) ?? 1.959963984540054
    func show(_ x: Double) -> String {
      logScale ? PlotFormat.significant(Foundation.exp(x), 3) : PlotFormat.fixed(x, 2)
    }
    var rows: [Row] = []
    let blocks = r.subgroups.map { $0 } ?? []
    func addCohorts(_ b: PFSPooledReport.Block) {
      for c in b.iv?.cohorts ?? [] {
        guard let y = c.yi, let se = c.se else { continue }
        rows.append(Row(label: c.label, interval: EstimateInterval(y, lower: y - z * se, upper: y + z * se), weight: c.weight, summary: false, subgroup: false))
      }
    }
    func addSummary(_ b: PFSPooledReport.Block, subgroup: Bool) {
      guard let m = b.iv?.model, let e = m.estimate, let lo = m.ci_lower, let hi = m.ci_upper else { return }
      let label = subgroup ? "\(b.name) (k = \(b.iv!.k))" : "Random effects (k = \(b.iv!.k))"
      rows.append(Row(label: label, interval: EstimateInterval(e, lower: lo, upper: hi), weight: nil, summary: true, subgroup: subgroup))
    }
    var titles: [Int: String] = [:]
    if blocks.isEmpty {
      addCohorts(r.overall)
    } else {
      for b in blocks {
        titles[rows.count] = b.name
        addCohorts(b)
        addSummary(b, subgroup: true)
      }
    }
    addSummary(r.overall, subgroup: false)
    let pi: (Double, Double)? = r.overall.iv.flatMap { iv in
      guard let lo = iv.model.pi_lower, let hi = iv.model.pi_upper, r.settings.method != "EE" else { return nil }
      return (lo, hi)
    }

    let fs = SVGStyle.fontSize
    var labelWidth = TextMetrics.width("Cohort", fontSize: fs)
    for row in rows { labelWidth = max(labelWidth, min(280, TextMetrics.width(row.label, fontSize: fs) * (row.summary ? 1.1 : 1))) }
    for t in titles.values { labelWidth = max(labelWidth, min(280, TextMetrics.width(t, fontSize: fs) * 1.1)) }
    let xPlot0 = pad + labelWidth + 20, xPlot1 = xPlot0 + plotWidth, xEst = xPlot1 + 18
    let level = PlotFormat.tick(r.settings.level)
    let estHeader = logScale ? "Ratio [\(level)% CI]" : "Estimate [\(level)% CI]"
    let estWidth = max(TextMetrics.width(estHeader, fontSize: fs), TextMetrics.width("100.00 [100.00, 100.00]", fontSize: fs)) * 1.08
    let xWeightRight = xEst + estWidth + 18 + TextMetrics.width("Weight", fontSize: fs) * 1.08
    let width = xWeightRight + pad

    var values = rows.flatMap { [$0.interval.lower, $0.interval.upper] }
    if let pi { values += [pi.0, pi.1] }
    let reference = 0.0
    if r.settings.estimand != "median" { values.append(reference) }
    let finite = values.filter(\.isFinite)
    let domain = NiceNumbers.extend(finite.min() ?? 0, finite.max() ?? 1, maxCount: 6)
    let scale = LinearScale(domain: domain, range: xPlot0...xPlot1)
    let maxWeight = rows.compactMap(\.weight).max() ?? 0

    var canvas = ForestCanvas(pad: pad, rowHeight: rowHeight)
    (canvas.xEstimate, canvas.xWeightRight, canvas.width, canvas.maxWeight) = (xEst, xWeightRight, width, maxWeight)
    let title = "orrmeta pfs: \(r.settings.estimand_name)"
    canvas.title(title)
    let headerBase = canvas.baseline
    canvas.header([
      SVG.text(pad, headerBase, "Cohort", bold: true),
      SVG.text(xEst, headerBase, estHeader, bold: true),
      SVG.text(xWeightRight, headerBase, "Weight", anchor: .end, bold: true),
    ])
    let dataTop = canvas.y
    for (i, row) in rows.enumerated() {
      if let t = titles[i] { canvas.subgroupTitle(t, maxWidth: nil) }
      let mid = canvas.rowMid, base = canvas.baseline
      let ci = row.interval
      let text = "\(show(ci.estimate)) [\(show(ci.lower)), \(show(ci.upper))]"
      var kids: [MarkupNode] = [SVG.text(pad, base, row.label, bold: row.summary && !row.subgroup, italic: row.subgroup, cssClass: "label")]
      if row.summary {
        let colour = ForestCanvas.diamondColour(.random, inSubgroup: row.subgroup)
        kids.append(canvas.diamond(scale.clamped(ci.lower), scale.clamped(ci.estimate), scale.clamped(ci.upper), fill: colour))
      } else {
        kids.append(SVG.line(scale.clamped(ci.lower), mid, scale.clamped(ci.upper), mid, stroke: SVGStyle.ciLine, cssClass: "ci"))
        kids.append(canvas.box(at: scale.clamped(ci.estimate), weight: row.weight))
      }
      kids.append(SVG.text(xEst, base, text, bold: row.summary && !row.subgroup))
      if let w = row.weight { kids.append(SVG.text(xWeightRight, base, "\(PlotFormat.fixed(w, 1))%", anchor: .end)) }
      canvas.rows.append(SVG.group(row.summary ? "pooled" : "cohort", tooltip: "\(row.label): \(text)", kids))
      canvas.y += rowHeight
    }
    if let pi {
      canvas.predictionRow(text: "[\(show(pi.0)), \(show(pi.1))]", bar: (scale.clamped(pi.0), scale.clamped(pi.1)))
    }
    if let h = r.overall.iv?.heterogeneity {
      let note = "Heterogeneity: tau^2 = \(PlotFormat.significant(h.tau2, 4)), I^2 = \(PlotFormat.fixed(h.i2, 1))%, Q = \(PlotFormat.fixed(h.q, 2)) (df = \(h.q_df))"
      canvas.noteRow(note, cssClass: "heterogeneity")
    }
    let axisY = canvas.y + 6
    var ticks = scale.ticks(maxCount: 6).map { AxisTick(value: $0, label: PlotFormat.tick($0)) }
    if logScale {
      // Round ratios rather than round logarithms.
      let ratios = [0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 4, 5, 10, 20, 50, 100]
      let inside = ratios.filter { scale.domain.contains(Foundation.log($0)) }
      ticks = (inside.count >= 2 ? inside : ratios.filter { $0 >= 0.1 && $0 <= 10 })
        .map { AxisTick(value: Foundation.log($0), label: PlotFormat.tick($0)) }
        .filter { scale.domain.contains($0.value) }
    }
    var back: [MarkupNode] = [Axis.grid(vertical: ticks.map { scale($0.value) }, from: dataTop, to: axisY)]
    if r.settings.estimand != "median", scale.domain.contains(reference) {
      back.append(ForestCanvas.referenceLine(at: scale(reference), from: dataTop, to: axisY))
    }
    let axisTitle: String
    switch r.settings.estimand {
    case "median": axisTitle = "Median (months)"
    case "difference": axisTitle = "Difference of medians (months)"
    case "log-ratio": axisTitle = "Ratio of medians (log scale)"
    default: axisTitle = "Hazard ratio (log scale)"
    }
    let footnote = "\(r.settings.method), test \(r.settings.test); cohort intervals: y +/- z SE (the Wald intervals pooled)"
    canvas.width = max(width, pad * 2 + TextMetrics.width(footnote, fontSize: SVGStyle.smallFontSize))
    return canvas.document(
      back + canvas.rows, axis: Axis.horizontal(scale: scale, y: axisY, ticks: ticks, title: axisTitle), axisY: axisY, footnote: footnote,
      title: title, kind: "forest-plot")
  }
}
