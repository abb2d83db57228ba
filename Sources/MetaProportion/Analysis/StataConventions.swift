// SPDX-License-Identifier: GPL-3.0-or-later

/// Stata `metaprop` conventions (Nyaga, Arbyn & Aerts 2014, Arch Public Health 72:39) that are
/// not plain defaults: the `stata` profile's cohort rule and the Freeman–Tukey sum scale.
public enum StataConventions {
  /// The cohorts `metaprop` leaves out of the pooling when no continuity correction is
  /// requested (no `cc()`): those with 0 % or 100 % response, in its analysis of the
  /// untransformed proportions only. metaprop's `metanby` marks a study unused when
  /// `n == 0 | n == N` only if neither `ftt` nor `logit` is given and `cc` is missing or 0, and
  /// its help says `cc()` "is not necessary when the Freeman-Tukey Double Arcsine
  /// transformation is performed" (metaprop.ado and metaprop.sthlp, Nyaga et al.). So the rule
  /// applies under the `stata` profile to PR without `--add`; with PFT (the profile's default)
  /// every cohort is pooled. Never silent (see ``dropExtremeCohorts(_:settings:)``).
  public static func appliesDropRule(_ settings: AnalysisSettings) -> Bool {
    settings.profile == .stata && settings.add == nil && settings.measure == .PR
  }

  /// The cohorts kept and the warning naming those dropped (nil when none is dropped or the
  /// rule does not apply).
  public static func dropExtremeCohorts(
    _ studies: [ProportionStudy], settings: AnalysisSettings
  ) -> (kept: [ProportionStudy], warning: AnalysisWarning?) {
    guard appliesDropRule(settings) else { return (studies, nil) }
    let dropped = studies.filter { $0.events == 0 || $0.events == $0.total }
    guard !dropped.isEmpty else { return (studies, nil) }
    let kept = studies.filter { $0.events != 0 && $0.events != $0.total }
    let names = dropped.map { "\($0.label) (\($0.events)/\($0.total))" }.joined(separator: ", ")
    return (kept, .note("profile stata: \(dropped.count) cohort(s) with 0% or 100% response dropped from the pooling, as Stata metaprop does for untransformed proportions without cc(): \(names); give --add to keep them with a continuity correction, or use the Freeman-Tukey measure (PFT), which keeps them"))
  }

  /// The Freeman–Tukey double arcsine on Stata's scale, the *sum*
  /// asin√(x/(n+1)) + asin√((x+1)/(n+1)) with variance 1/(n + 0.5): exactly twice metafor's
  /// PFT (whose variance is 1/(4n + 2) = ¼ · 1/(n + 0.5)). Every inverse-variance fit is
  /// scale-equivariant (τ² ×4, weights ×¼, Q and I² unchanged), so the Stata-scale estimate,
  /// SE, CI and PI are 2× the model's and τ² is 4×; the pooled proportions are the same.
  ///
  /// Its estimate, SE, CI and PI read as its own fields (``ModelSummaryCarrying``); the
  /// statistic and p-value are the model's.
  public struct SumScale: ModelSummaryCarrying, Sendable, Hashable {
    /// The model's summary on Stata's scale (``ModelSummary/scaled(by:)`` by 2).
    public var summary: ModelSummary
    /// τ̂² on Stata's scale (4× the model's).
    public var tau2: Double

    /// The Stata-scale numbers of a PFT model (nil for other measures).
    public init?(model m: ModelSummary, tau2: Double, measure: EffectMeasure) {
      guard measure == .PFT else { return nil }
      summary = m.scaled(by: 2)
      self.tau2 = 4 * tau2
    }
  }
}
