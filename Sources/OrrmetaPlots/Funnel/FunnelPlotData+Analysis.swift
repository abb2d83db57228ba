// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion

extension FunnelPlotData {
  /// The funnel plot of an inverse-variance analysis (metafor `funnel.rma`): yᵢ against √vᵢ,
  /// the pooled estimate with the pseudo-confidence region estimate ± z₁₋α/₂ · SE (normal
  /// quantile, as metafor), and, when `contourLevels` is not empty, significance contours
  /// centred on `nullProportion` transformed to the model scale (Peters et al. 2008).
  ///
  /// - Parameters:
  ///   - analysis: an analysis with an inverse-variance fit (not simple pooling or GLMM).
  ///   - contourLevels: contour levels in percent (e.g. 90, 95, 99); empty for none.
  ///   - nullProportion: the proportion the contours test against (0 < p < 1).
  ///   - imputed: trim-and-fill cohorts on the model scale (drawn as open circles).
  ///   - adjustedEstimate: the trim-and-fill estimate on the model scale.
  ///   - title: a title above the plot.
  /// - Returns: nil when the analysis has no inverse-variance fit.
  package init?(
    analysis a: ProportionAnalysis, contourLevels: [Double] = [], nullProportion: Double = 0.5,
    imputed: [Point] = [], adjustedEstimate: Double? = nil, title: String? = nil
  ) {
    guard a.fit != nil else { return nil }
    let points = a.studies.map { Point(label: $0.label, yi: $0.yi, vi: $0.vi) }
    let scale = ProportionScale(backTransformation: a.settings.backTransformation, harmonicMeanN: a.harmonicMeanN)
    let contours = contourLevels.compactMap(Contour.init(levelPercent:))
    let centre = scale.modelValue(nullProportion)
    let crit = Contour.critical(levelPercent: a.settings.level.percent)
    // Ticks in percent over the range the renderer will show.
    let seMax = points.map(\.standardError).filter(\.isFinite).max() ?? 1
    let seBottom = NiceNumbers.extend(0, seMax, maxCount: 6).upperBound
    var xs = (points + imputed).map(\.effect).filter(\.isFinite)
    if let crit { xs += [a.model.estimate - crit * seBottom, a.model.estimate + crit * seBottom] }
    if let widest = contours.map(\.critical).max(), centre.isFinite { xs += [centre - widest * seBottom, centre + widest * seBottom] }
    let lo = xs.min() ?? -1, hi = xs.max() ?? 1
    let pad = (hi - lo) * 0.04
    var ticks = scale.ticks(in: lo - pad, hi + pad)
    if ticks.count < 3 { ticks = [] }
    let s = a.settings
    self.init(
      title: title, points: points, imputed: imputed, estimate: a.model.estimate,
      adjustedEstimate: adjustedEstimate, pseudoConfidenceCritical: crit, levelPercent: s.level.percent,
      contours: contours, contourCentre: centre.isFinite ? centre : 0,
      contourCentreLabel: contours.isEmpty ? nil : "contours centred on \(PlotFormat.percentTick(nullProportion))",
      xTitle: "Proportion (%) on the \(s.measure.name) scale (\(s.measure.rawValue))",
      xTicks: ticks.isEmpty ? nil : ticks,
      footnote: "\(s.method.name); pseudo-CI: estimate ± z · SE at \(PlotFormat.tick(s.level.percent))%")
  }
}
