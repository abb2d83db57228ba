// SPDX-License-Identifier: GPL-3.0-or-later

import GSLDistributions
import RealModule

/// The conditional random-effects model for odds ratios with the exact (non-central
/// hypergeometric) likelihood: metafor's `rma.glmm(measure = "OR", model = "CM.EL")`
/// (van Houwelingen, Zwinderman & Stijnen 1993; Stijnen, Hamza & Özdemir 2010).
///
/// Given both margins of trial i, aᵢ follows Fisher's non-central hypergeometric distribution
/// with odds ratio ψᵢ = exp(θ + uᵢ), uᵢ ~ N(0, τ²):
/// P(aᵢ | ψ) = C(n₁ᵢ, aᵢ)C(n₂ᵢ, xᵢ − aᵢ)ψ^aᵢ / Σᵤ C(n₁ᵢ, u)C(n₂ᵢ, xᵢ − u)ψᵘ, xᵢ = aᵢ + cᵢ.
/// The marginal log-likelihood Σᵢ ln ∫ P(aᵢ | e^{θ+τz}) φ(z) dz is integrated with a
/// `nodes`-point Gauss–Hermite rule (default 20; the integrand is smooth in z) and maximised over θ and
/// τ ≥ 0 by nested golden-section searches (hand-written: two bounded one-dimensional searches
/// need no library). SE(θ̂) comes from the inverse of the observed information in (θ, τ²) by
/// central differences, as metafor's numerical Hessian. Tables with xᵢ = 0 or no non-responders
/// (uninformative; metafor's `drop00`) are left out.
public struct ConditionalLogisticFit: WaldSummaryCarrying, Sendable, Hashable {
  /// Tables used.
  public var k: Int
  /// θ̂ = ln OR with its SE, z test and CI (read as the fit's own: `estimate`, `z`, …).
  public var wald: WaldSummary
  /// τ̂².
  public var tau2: Double
  /// The maximised log-likelihood (up to the constant of the conditional likelihood).
  public var logLikelihood: Double

  /// Fits the model.
  /// - Throws: ``MetaAnalysisError/fitFailed(reason:)`` with fewer than two informative tables.
  public static func fit(
    studies: [TwoArmStudy], level: ConfidenceLevel = .ninetyFive, nodes: Int = 20
  ) throws(MetaAnalysisError) -> ConditionalLogisticFit {
    let tables = studies.compactMap(Table.init)
    guard tables.count >= 2 else {
      throw .fitFailed(reason: "the conditional model (CM.EL) needs at least two trials with responders and non-responders")
    }
    let rule = try GaussHermiteRule(points: nodes)
    // ∫ f(z)φ(z)dz ≈ Σ wⱼ f(zⱼ) (standard-normal nodes, Σwⱼ = 1).
    let z = rule.nodes
    let w = rule.weights
    func logLik(_ theta: Double, _ tau: Double) -> Double {
      var total = 0.0
      for t in tables {
        var s = 0.0
        for j in z.indices { s += w[j] * Double.exp(t.logProbability(theta + tau * z[j])) }
        total += Double.log(s)
      }
      return total
    }
    let thetaAt: (Double) -> Double = { tau in goldenSectionMaximum(-15, 15) { logLik($0, tau) } }
    let tau = goldenSectionMaximum(0, 10) { logLik(thetaAt($0), $0) }
    let theta = thetaAt(tau)
    let tau2 = tau * tau
    // Observed information in (θ, τ²) by central differences.
    func ll2(_ th: Double, _ t2: Double) -> Double { logLik(th, max(0, t2).squareRoot()) }
    let h1 = 1e-4 * max(1, abs(theta)), h2 = 1e-4 * max(1e-2, tau2)
    let f00 = ll2(theta, tau2)
    let htt = (ll2(theta + h1, tau2) - 2 * f00 + ll2(theta - h1, tau2)) / (h1 * h1)
    var variance = -1 / htt
    if tau2 > 2 * h2 {
      let hss = (ll2(theta, tau2 + h2) - 2 * f00 + ll2(theta, tau2 - h2)) / (h2 * h2)
      let hts = (ll2(theta + h1, tau2 + h2) - ll2(theta + h1, tau2 - h2) - ll2(theta - h1, tau2 + h2) + ll2(theta - h1, tau2 - h2)) / (4 * h1 * h2)
      let det = htt * hss - hts * hts
      variance = -hss / det
    }
    let wald = try WaldSummary(estimate: theta, standardError: variance.squareRoot(), level: level)
    return ConditionalLogisticFit(k: tables.count, wald: wald, tau2: tau2, logLikelihood: f00)
  }

  /// One table's support and log binomial weights.
  struct Table {
    let a: Int
    let low: Int
    let logWeights: [Double]

    init?(_ s: TwoArmStudy) {
      let x = s.eventsTreat + s.eventsControl
      let n = s.totalTreat + s.totalControl
      guard x > 0, x < n else { return nil }
      low = max(0, x - s.totalControl)
      let high = min(s.totalTreat, x)
      a = s.eventsTreat
      func lchoose(_ n: Int, _ k: Int) -> Double {
        Double.logGamma(Double(n + 1)) - Double.logGamma(Double(k + 1)) - Double.logGamma(Double(n - k + 1))
      }
      logWeights = (low...high).map { lchoose(s.totalTreat, $0) + lchoose(s.totalControl, x - $0) }
    }

    /// ln P(a | ψ = e^η).
    func logProbability(_ eta: Double) -> Double {
      var m = -Double.infinity
      for (j, lw) in logWeights.enumerated() { m = max(m, lw + Double(low + j) * eta) }
      var s = 0.0
      for (j, lw) in logWeights.enumerated() { s += Double.exp(lw + Double(low + j) * eta - m) }
      return logWeights[a - low] + Double(a) * eta - m - Double.log(s)
    }
  }
}
