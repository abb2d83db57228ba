// SPDX-License-Identifier: GPL-3.0-or-later

/// Numerical settings of the iterative parts of a fit (metafor's `control`).
///
/// orrmeta's defaults iterate much tighter than metafor's, so that where the two disagree the
/// difference is metafor's stopping rule (threshold 1e-5 on τ², `uniroot` tolerance 1.2e-4).
/// ``metafor`` reproduces metafor's stopping rules step by step: Fisher scoring (same start,
/// steps, threshold and iteration limit) and, for Paule–Mandel and the Q-profile CI, R's
/// `uniroot` (``RootSearch/uniroot``: Brent's zeroin on metafor's bracket, tolerance
/// `.Machine$double.eps^0.25`). ``Convergence`` names the two settings.
///
/// ML, REML and EB take Newton steps by default (``LikelihoodAlgorithm/newton``), which reach
/// the same root as Fisher scoring in far fewer iterations; ``metafor`` selects Fisher scoring.
public struct FitControl: Sendable, Hashable {
  /// Fisher scoring (ML, REML, EB) stops when |Δτ²| < threshold.
  public var threshold: Double
  /// Maximum number of Fisher-scoring or root-finding iterations.
  public var maxIterations: Int
  /// Relative tolerance on τ² for root finding (PM, Q-profile CI).
  public var rootTolerance: Double
  /// metafor's `ll0check`: after ML/REML, compare the log-likelihood at τ² = 0 and reset τ² to 0
  /// when that is higher by more than ``logLikelihoodTolerance``.
  public var logLikelihoodCheck: Bool
  /// Tolerance of the log-likelihood check (metafor's `tol`, `.Machine$double.eps^0.25`).
  public var logLikelihoodTolerance: Double
  /// The iteration of ML, REML and EB for intercept-only models (meta-regression always uses
  /// Fisher scoring).
  public var algorithm: LikelihoodAlgorithm
  /// How Paule–Mandel and the Q-profile bounds are solved.
  public var rootSearch: RootSearch = .newton

  /// Creates a control; defaults are orrmeta's tight settings.
  public init(
    threshold: Double = 1e-12, maxIterations: Int = 1000, rootTolerance: Double = 1e-13,
    logLikelihoodCheck: Bool = true, logLikelihoodTolerance: Double = 0x1p-13,
    algorithm: LikelihoodAlgorithm = .newton
  ) {
    self.threshold = threshold; self.maxIterations = maxIterations; self.rootTolerance = rootTolerance
    self.logLikelihoodCheck = logLikelihoodCheck; self.logLikelihoodTolerance = logLikelihoodTolerance
    self.algorithm = algorithm
  }

  /// orrmeta's defaults (tight).
  public static let tight = FitControl()

  /// metafor's defaults (`rma.uni`, `confint.rma.uni`): Fisher scoring, threshold 1e-5,
  /// 100 iterations, log-likelihood check tolerance 2⁻¹³ ≈ 1.22e-4; PM and Q-profile roots by
  /// `uniroot` with tol = 2⁻¹³ (`.Machine$double.eps^0.25`).
  public static let metafor: FitControl = {
    var c = FitControl(threshold: 1e-5, maxIterations: 100, rootTolerance: 0x1p-13, algorithm: .fisherScoring)
    c.rootSearch = .uniroot
    return c
  }()
}
