// SPDX-License-Identifier: GPL-3.0-or-later

/// A set of defaults that reproduces another tool's conventions (`--profile`): the one owner of
/// "which default under which profile". A profile changes defaults only; a setting given
/// explicitly always wins. See Docs/profiles.md for every default with its source.
public enum AnalysisProfile: String, Sendable, Hashable, CaseIterable, Codable {
  /// orrmeta's own defaults (logit, REML, z, Clopper–Pearson cohort CIs, exact convergence).
  case orrmeta
  /// R metafor 3.8/4.x `rma()` with its default `control`.
  case metafor
  /// R meta 8.x `metaprop()`.
  case meta
  /// Stata `metaprop` (Nyaga et al. 2014).
  case stata

  /// The measure (metafor has no default `measure`; orrmeta's logit is kept; meta
  /// `sm = "PLOGIT"`; Stata `metaprop` pools Freeman–Tukey double arcsines by default).
  public var measure: EffectMeasure {
    self == .stata ? .PFT : .PLO
  }

  /// The pooling method for `measure`: meta fits the GLMM for the logit (`method = "GLMM"`)
  /// and inverse-variance REML otherwise; Stata DerSimonian–Laird. `glmmAvailable` false (a
  /// command that refits inverse-variance models only) gives meta's inverse-variance default.
  ///
  /// `clustered` (a cluster column, the three-level model): meta fits the three-level
  /// inverse-variance model with `method.tau` kept if it is REML or ML and REML otherwise; the
  /// logit's GLMM default has set `method.tau = "ML"` by then, so PLO gets ML and every other
  /// measure REML (meta 8.2-1 R/metaprop.R, "if (three.level)": `method <- "Inverse"`,
  /// `if (!(method.tau %in% c("REML", "ML"))) method.tau <- "REML"`).
  public func method(for measure: EffectMeasure, glmmAvailable: Bool, clustered: Bool = false) -> PoolingMethod {
    switch self {
    case .orrmeta, .metafor: return .REML
    case .meta:
      if clustered { return measure == .PLO ? .ML : .REML }
      return measure == .PLO && glmmAvailable ? .GLMM : .REML
    case .stata: return .DL
    }
  }

  /// The test / CI of the pooled estimate (metafor `test = "z"`, meta
  /// `method.random.ci = "classic"`, Stata's z).
  public var test: TestMethod { .z }

  /// The cohorts' own CIs (meta `method.ci = "CP"`, Stata `cimethod(wilson)`).
  public var studyInterval: BinomialIntervalMethod {
    self == .stata ? .wilson : .clopperPearson
  }

  /// The effect measure of a two-arm comparison: RR under `meta` (metabin's `sm = "RR"`), OR
  /// otherwise (orrmeta's default, metafor has none).
  public var comparisonMeasure: ComparisonMeasure { self == .meta ? .RR : .OR }

  /// Whether a two-arm comparison offers its sensitivity and diagnostic analyses
  /// (leave-one-out, cumulative, regression tests, influence, trim-and-fill, GOSH) under this
  /// profile: not under `meta`, whose metabin fits have none yet.
  public var offersComparisonAnalyses: Bool { self != .meta }

  /// The stopping rules: metafor's for metafor and meta (which fits through metafor).
  public var convergence: Convergence {
    switch self {
    case .metafor, .meta: return .metafor
    case .orrmeta, .stata: return .exact
    }
  }
}
