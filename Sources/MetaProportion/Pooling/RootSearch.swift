// SPDX-License-Identifier: GPL-3.0-or-later

/// How the roots behind Paule–Mandel's τ² and the Q-profile CI bounds are found
/// (``FitControl/rootSearch``).
public enum RootSearch: String, Sendable, Hashable, CaseIterable, Codable {
  /// A safeguarded Newton search (quadratic convergence) to ``FitControl/rootTolerance``
  /// relative; PM searches [0, hi] with hi grown from 100 until it brackets the root.
  case newton
  /// R's `uniroot` as metafor calls it: Brent's zeroin (R's `R_zeroin2`) with absolute
  /// tolerance ``FitControl/rootTolerance``, PM on [0, max(100, 10·mad(y)²)] (metafor's
  /// `tau2.max`), the Q-profile on [min(0, τ̂²), max(100, 10·τ̂²)] with at most 1000 iterations
  /// (`confint.rma.uni`'s `maxiter`). The root lies anywhere within the tolerance of the exact
  /// one; metafor's printed values come from that root.
  case uniroot
}
