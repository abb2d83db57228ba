// SPDX-License-Identifier: GPL-3.0-or-later

/// Every number a report leaves out (JSON `null`/absent, "NA" in text) must be either
/// structurally absent for the chosen method, or explained by a warning. This is the check.
///
/// Structurally absent (documented in `Docs/robustness.md`):
/// - simple pooling (`pooled`): the model's statistic, p-value and df, every prediction bound,
///   τ², τ, SE(τ²) and the τ²/I²/H² intervals;
/// - the common-effect model (`EE`): SE(τ²) and the τ²/I²/H² intervals;
/// - `test = z`: the degrees of freedom;
/// - every method but GLMM: the GLMM heterogeneity tests;
/// - GLMM: SE(τ²), the τ²/I²/H² intervals (metafor offers neither for `rma.glmm`) and the
///   cohort weights (no inverse-variance weights).
///
/// Explained by a warning:
/// - k = 1 (a warning mentioning "k = 1"): the Q p-value, SE(τ²), the τ²/I²/H² intervals, the
///   degrees of freedom (t-based tests fall back to z) and, with t-based tests, the statistic,
///   p-value, CI and prediction interval;
/// - Hartung–Knapp with s² = 0 (a warning mentioning "s^2 = 0"): the statistic and p-value.
extension PoolReport {
  /// The paths of values that are absent although neither the method nor a warning explains
  /// why (empty for a sound report).
  package var unexplainedMissingValues: [String] {
    var out = PoolReport.unexplained(
      prefix: "", k: k, model: model, pooled: pooled, heterogeneity: heterogeneity,
      settings: settings, warnings: warnings)
    let glmm = settings.method == "GLMM"
    for (i, s) in studies.enumerated() { out += PoolReport.unexplained(study: s, prefix: "studies[\(i)].", weightDefined: !glmm) }
    for (g, sub) in (subgroups ?? []).enumerated() {
      out += PoolReport.unexplained(
        prefix: "subgroups[\(g)].", k: sub.k, model: sub.model, pooled: sub.pooled,
        heterogeneity: sub.heterogeneity, settings: settings, warnings: sub.warnings)
      for (i, s) in sub.studies.enumerated() {
        out += PoolReport.unexplained(study: s, prefix: "subgroups[\(g)].studies[\(i)].", weightDefined: !glmm)
      }
    }
    if let t = subgroup_test, t.q == nil || t.p_value == nil {
      out.append("subgroup_test")
    }
    return out
  }

  static func unexplained(study s: Study, prefix: String, weightDefined: Bool) -> [String] {
    var out: [String] = []
    var values: [(String, Double?)] = [
      ("yi", s.yi), ("vi", s.vi), ("proportion", s.proportion), ("ci_lower", s.ci_lower),
      ("ci_upper", s.ci_upper),
    ]
    if weightDefined { values.append(("weight", s.weight)) }
    for (name, v) in values where v == nil { out.append(prefix + name) }
    return out
  }

  static func unexplained(
    prefix: String, k: Int, model m: Model, pooled p: Pooled, heterogeneity h: Heterogeneity,
    settings s: Settings, warnings: [String]
  ) -> [String] {
    let simple = s.method == "pooled"
    let commonEffect = s.method == "EE"
    let tBased = s.test != "z" && !simple
    let singleStudy = k == 1 && warnings.contains { $0.contains("k = 1") }
    let zeroScale = (s.test == "knha" || s.test == "adhoc") && warnings.contains { $0.contains("s^2 = 0") }

    var structural: Set<String> = []
    if simple {
      structural.formUnion([
        "model.statistic", "model.p_value", "model.df", "model.pi_lower", "model.pi_upper",
        "pooled.pi_lower", "pooled.pi_upper", "heterogeneity.tau2", "heterogeneity.tau",
      ])
    }
    if simple || commonEffect || s.method == "GLMM" {
      structural.formUnion([
        "heterogeneity.tau2_se", "heterogeneity.tau2_ci_lower", "heterogeneity.tau2_ci_upper",
        "heterogeneity.i2_ci_lower", "heterogeneity.i2_ci_upper", "heterogeneity.h2_ci_lower",
        "heterogeneity.h2_ci_upper",
      ])
    }
    if !tBased { structural.insert("model.df") }
    if s.method != "GLMM" {
      structural.formUnion([
        "heterogeneity.q_wald", "heterogeneity.q_wald_p_value", "heterogeneity.q_lrt",
        "heterogeneity.q_lrt_p_value",
      ])
    }
    var explained = structural
    if singleStudy {
      explained.formUnion([
        "model.df",  // a t-based test falls back to z for k = 1 (as metafor), with the warning
        "heterogeneity.q_p_value", "heterogeneity.tau2_se", "heterogeneity.tau2_ci_lower",
        "heterogeneity.tau2_ci_upper", "heterogeneity.i2_ci_lower", "heterogeneity.i2_ci_upper",
        "heterogeneity.h2_ci_lower", "heterogeneity.h2_ci_upper",
      ])
      if tBased {
        explained.formUnion([
          "model.statistic", "model.p_value", "model.ci_lower", "model.ci_upper", "model.pi_lower",
          "model.pi_upper", "pooled.ci_lower", "pooled.ci_upper", "pooled.pi_lower", "pooled.pi_upper",
        ])
      }
    }
    if zeroScale { explained.formUnion(["model.statistic", "model.p_value"]) }

    let values: [(String, Double?)] = [
      ("model.estimate", m.estimate), ("model.se", m.se), ("model.statistic", m.statistic),
      ("model.p_value", m.p_value), ("model.ci_lower", m.ci_lower), ("model.ci_upper", m.ci_upper),
      ("model.pi_lower", m.pi_lower), ("model.pi_upper", m.pi_upper), ("model.df", m.df),
      ("pooled.proportion", p.proportion), ("pooled.ci_lower", p.ci_lower), ("pooled.ci_upper", p.ci_upper),
      ("pooled.pi_lower", p.pi_lower), ("pooled.pi_upper", p.pi_upper),
      ("heterogeneity.tau2", h.tau2), ("heterogeneity.tau", h.tau), ("heterogeneity.tau2_se", h.tau2_se),
      ("heterogeneity.tau2_ci_lower", h.tau2_ci_lower), ("heterogeneity.tau2_ci_upper", h.tau2_ci_upper),
      ("heterogeneity.i2", h.i2), ("heterogeneity.i2_ci_lower", h.i2_ci_lower),
      ("heterogeneity.i2_ci_upper", h.i2_ci_upper), ("heterogeneity.h2", h.h2),
      ("heterogeneity.h2_ci_lower", h.h2_ci_lower), ("heterogeneity.h2_ci_upper", h.h2_ci_upper),
      ("heterogeneity.q", h.q), ("heterogeneity.q_p_value", h.q_p_value),
      ("heterogeneity.q_wald", h.q_wald), ("heterogeneity.q_wald_p_value", h.q_wald_p_value),
      ("heterogeneity.q_lrt", h.q_lrt), ("heterogeneity.q_lrt_p_value", h.q_lrt_p_value),
    ]
    return values.compactMap { name, v in v == nil && !explained.contains(name) ? prefix + name : nil }
  }
}
