// SPDX-License-Identifier: GPL-3.0-or-later

import RealModule

/// The three-level Laplace log-likelihood summed over trials, with its gradient and Hessian,
/// from each trial's second-order expansions in (a, τ) (``LocalQuadratic``): the chain rule
/// through the trial's implicit mode written out in closed form.
///
/// Per trial, with ρ = σ₁² and τ = σ₂², the mode's linear predictor a = μ + σ₁û solves
/// φ(a) = μ + ρS(a, τ) − a = 0 (û = σ₁S), and the trial's Laplace term is
/// ```
/// F(μ, ρ, τ) = H(a(μ, ρ, τ); ρ, τ),   H(a; ρ, τ) = Q(a, τ) − ½ρS(a, τ)² − ½ log(1 + ρB(a, τ)).
/// ```
/// With D = −φ_a = 1 − ρS_a (= 1 + ρB, S_a = −B), the implicit-function theorem gives
/// a_μ = 1/D, a_ρ = S/D, a_τ = ρS_τ/D and
/// a_ij = (φ_aa a_i a_j + φ_ai a_j + φ_aj a_i + φ_ij)/D with φ_aa = ρS_aa, φ_aρ = S_a,
/// φ_aτ = ρS_aτ, φ_ρτ = S_τ, φ_ττ = ρS_ττ (the others 0); then
/// F_i = H_a a_i + H_i and F_ij = H_aa a_i a_j + H_ai a_j + H_aj a_i + H_a a_ij + H_ij, H having
/// no μ term. The sums over trials are linear, so the change of variables to (μ, σ₁, σ₂) is made
/// once: ∂/∂σ₁ = 2σ₁∂/∂ρ, ∂²/∂σ₁² = 4ρ∂²/∂ρ² + 2∂/∂ρ, ∂²/∂σ₁∂σ₂ = 4σ₁σ₂∂²/∂ρ∂τ (and likewise
/// for σ₂ and τ).
///
/// Written out by hand because it is the hot path of the Laplace searches: about 80 scalar
/// operations per trial, where second-order dual numbers in (μ, σ₁, σ₂) through two Newton
/// steps for û took about 2,000 (their products carry 13 numbers each and exploit no sparsity).
/// Checked against central differences in the tests.
struct TrialLaplaceDerivatives {
  /// Σ F over trials (plus whatever constant the caller starts with).
  var value: Double
  /// Σ ∂F/∂(μ, ρ, τ).
  private var gMu = 0.0, gRho = 0.0, gTau = 0.0
  /// Σ ∂²F over (μ, ρ, τ).
  private var hMuMu = 0.0, hMuRho = 0.0, hMuTau = 0.0, hRhoRho = 0.0, hRhoTau = 0.0, hTauTau = 0.0

  init(constant: Double) { value = constant }

  /// Adds one trial's term from its expansions at the joint mode (Q, S = Σⱼℓ′(η̂ⱼ),
  /// B = Σⱼwⱼ/cⱼ, around â = μ + σ₁û), its mode û and σ₁.
  ///
  /// û comes from a Newton iteration stopped at a step below 10⁻¹⁰, so φ(â) is not exactly 0:
  /// two Newton steps on the expansion of φ (with its Jacobian at â) move â to the root of the
  /// expansion, and the expansions are taken there (their second derivatives are constant), as
  /// the dual-number version did with two Newton steps for û.
  @inline(__always)
  mutating func add(q q0: LocalQuadratic, s s0: LocalQuadratic, b b0: LocalQuadratic, u uHat: Double, s1: Double) {
    let rho = s1 * s1
    let d = 1 - rho * s0.a, id = 1 / d
    var shift = (rho * s0.value - s1 * uHat) * id
    shift += (rho * s0.shifted(by: shift).value - s1 * uHat - shift) * id
    let q = q0.shifted(by: shift), s = s0.shifted(by: shift), b = b0.shifted(by: shift)
    let u = s1 > 0 ? uHat + shift / s1 : uHat
    let l = 1 + rho * b.value, il = 1 / l
    value += q.value - 0.5 * u * u - 0.5 * Double.log(l)
    // The mode's derivatives.
    let aMu = id, aRho = s.value * id, aTau = rho * s.t * id
    let phiAA = rho * s.aa, phiAT = rho * s.at
    let aMuMu = phiAA * aMu * aMu * id
    let aMuRho = (phiAA * aMu * aRho + s.a * aMu) * id
    let aMuTau = (phiAA * aMu * aTau + phiAT * aMu) * id
    let aRhoRho = (phiAA * aRho * aRho + 2 * s.a * aRho) * id
    let aRhoTau = (phiAA * aRho * aTau + s.a * aTau + phiAT * aRho + s.t) * id
    let aTauTau = (phiAA * aTau * aTau + 2 * phiAT * aTau + rho * s.tt) * id
    // H's partial derivatives at the mode.
    let hb = 0.5 * il, hb2 = 0.5 * il * il
    let hA = q.a - rho * s.value * s.a - rho * hb * b.a
    let hAA = q.aa - rho * (s.a * s.a + s.value * s.aa) - rho * hb * b.aa + rho * rho * hb2 * b.a * b.a
    let hRho = -0.5 * s.value * s.value - hb * b.value
    let hTau = q.t - rho * s.value * s.t - rho * hb * b.t
    let hARho = -s.value * s.a - hb * b.a + rho * hb2 * b.value * b.a
    let hATau = q.at - rho * (s.a * s.t + s.value * s.at) - rho * hb * b.at + rho * rho * hb2 * b.a * b.t
    let hRhoRho = hb2 * b.value * b.value
    let hRhoTau = -s.value * s.t - hb * b.t + rho * hb2 * b.value * b.t
    let hTauTau = q.tt - rho * (s.t * s.t + s.value * s.tt) - rho * hb * b.tt + rho * rho * hb2 * b.t * b.t
    gMu += hA * aMu
    gRho += hA * aRho + hRho
    gTau += hA * aTau + hTau
    hMuMu += hAA * aMu * aMu + hA * aMuMu
    hMuRho += hAA * aMu * aRho + hARho * aMu + hA * aMuRho
    hMuTau += hAA * aMu * aTau + hATau * aMu + hA * aMuTau
    self.hRhoRho += hAA * aRho * aRho + 2 * hARho * aRho + hA * aRhoRho + hRhoRho
    self.hRhoTau += hAA * aRho * aTau + hARho * aTau + hATau * aRho + hA * aRhoTau + hRhoTau
    self.hTauTau += hAA * aTau * aTau + 2 * hATau * aTau + hA * aTauTau + hTauTau
  }

  /// The sums as a ``NestedEvaluation`` in (μ, σ₁, σ₂), σ₁, σ₂ ≥ 0.
  func evaluation(s1: Double, s2: Double) -> NestedEvaluation {
    let gradient = SIMD3(gMu, 2 * s1 * gRho, 2 * s2 * gTau)
    let h01 = 2 * s1 * hMuRho, h02 = 2 * s2 * hMuTau, h12 = 4 * s1 * s2 * hRhoTau
    let h11 = 4 * s1 * s1 * hRhoRho + 2 * gRho, h22 = 4 * s2 * s2 * hTauTau + 2 * gTau
    return NestedEvaluation(
      value: value, gradient: gradient,
      hessian: (SIMD3(hMuMu, h01, h02), SIMD3(h01, h11, h12), SIMD3(h02, h12, h22)))
  }
}
