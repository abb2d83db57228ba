// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import Testing
import _TestSupport

/// The adaptive Gauss–Hermite log-likelihood: analytic derivatives against finite differences,
/// the boundary τ = 0 against the binomial likelihood, and the quadrature against brute-force
/// integration.
struct GLMMLikelihoodTests {
  struct Point: Sendable, CustomTestStringConvertible {
    let dataset: String
    let mu: Double
    let tau: Double
    let nAGQ: Int
    var testDescription: String { "\(dataset) mu=\(mu) tau=\(tau) nAGQ=\(nAGQ)" }
  }

  static let points: [Point] = [
    Point(dataset: "nielweise2007_control", mu: -3.2, tau: 1.1, nAGQ: 7),  // zero-event cohort
    Point(dataset: "nielweise2007_control", mu: -3.5, tau: 0.05, nAGQ: 7),  // near the boundary
    Point(dataset: "alk_all", mu: 0.6, tau: 0.7, nAGQ: 7),  // all-event cohort
    Point(dataset: "alk_all", mu: 0.2, tau: 1.4, nAGQ: 1),
    Point(dataset: "sim_k25_mixed_zero_all", mu: -1.0, tau: 3.0, nAGQ: 7),  // large τ
    Point(dataset: "sim_k25_mixed_zero_all", mu: -2.0, tau: 2.0, nAGQ: 25),
    Point(dataset: "sim_k7_small_n", mu: -1.5, tau: 0.4, nAGQ: 3),
    Point(dataset: "sim_k66_rare", mu: -2.7, tau: 0.9, nAGQ: 15),
  ]

  static func ell(_ s: [ProportionStudy], _ mu: Double, _ tau: Double, _ q: Int) -> GLMMLogLikelihood {
    try! BinomialNormalModel.logLikelihood(studies: s, mu: mu, tau: tau, nAGQ: q)
  }

  /// Central difference with one Richardson step: error O(h⁴).
  static func derivative(_ f: (Double) -> Double, at x: Double, h: Double = 1e-3) -> Double {
    let d1 = (f(x + h) - f(x - h)) / (2 * h)
    let d2 = (f(x + h / 2) - f(x - h / 2)) / h
    return (4 * d2 - d1) / 3
  }

  @Test("gradient and Hessian match finite differences", arguments: points)
  func derivatives(_ p: Point) throws {
    let s = try GLMMFixtures.dataset(p.dataset).studies()
    let e = Self.ell(s, p.mu, p.tau, p.nAGQ)
    let gMu = Self.derivative({ Self.ell(s, $0, p.tau, p.nAGQ).value }, at: p.mu)
    let gTau = Self.derivative({ Self.ell(s, p.mu, $0, p.nAGQ).value }, at: p.tau, h: min(1e-3, p.tau / 4))
    let hMuMu = Self.derivative({ Self.ell(s, $0, p.tau, p.nAGQ).gradientMu }, at: p.mu)
    let hMuTau = Self.derivative({ Self.ell(s, p.mu, $0, p.nAGQ).gradientMu }, at: p.tau, h: min(1e-3, p.tau / 4))
    let hTauMu = Self.derivative({ Self.ell(s, $0, p.tau, p.nAGQ).gradientTau }, at: p.mu)
    let hTauTau = Self.derivative({ Self.ell(s, p.mu, $0, p.nAGQ).gradientTau }, at: p.tau, h: min(1e-3, p.tau / 4))
    // Scale: rounding in ℓ (|ℓ|·ε) divided by h, and the size of the second derivatives.
    let scale = 1e-7 * (abs(e.hessianMuMu) + abs(e.hessianTauTau) + 1)
    #expect(abs(e.gradientMu - gMu) <= scale, "dℓ/dμ \(e.gradientMu) vs \(gMu)")
    #expect(abs(e.gradientTau - gTau) <= scale, "dℓ/dτ \(e.gradientTau) vs \(gTau)")
    #expect(abs(e.hessianMuMu - hMuMu) <= scale, "d²ℓ/dμ² \(e.hessianMuMu) vs \(hMuMu)")
    #expect(abs(e.hessianMuTau - hMuTau) <= scale, "d²ℓ/dμdτ \(e.hessianMuTau) vs \(hMuTau)")
    #expect(abs(e.hessianMuTau - hTauMu) <= scale, "d²ℓ/dτdμ \(e.hessianMuTau) vs \(hTauMu)")
    #expect(abs(e.hessianTauTau - hTauTau) <= scale, "d²ℓ/dτ² \(e.hessianTauTau) vs \(hTauTau)")
  }

  @Test("conditional modes solve the mode equation", arguments: points)
  func modes(_ p: Point) throws {
    let s = try GLMMFixtures.dataset(p.dataset).studies()
    let e = Self.ell(s, p.mu, p.tau, p.nAGQ)
    for (i, c) in s.enumerated() {
      let eta = e.conditionalModes[i]
      let expit = 1 / (1 + exp(-eta))
      let r = eta - p.mu - p.tau * p.tau * (Double(c.events) - Double(c.total) * expit)
      #expect(abs(r) <= 1e-11 * (1 + abs(eta)), "cohort \(i): residual \(r)")
    }
  }

  /// At τ = 0 the model is the common-proportion binomial model, for every nAGQ.
  @Test(arguments: [1, 7, 20])
  func boundaryIsBinomial(_ nAGQ: Int) throws {
    let s = try GLMMFixtures.dataset("nielweise2007_control").studies()
    let mu = -3.3
    let p = 1 / (1 + exp(-mu))
    var value = 0.0, score = 0.0, info = 0.0, tauCurvature = 0.0
    for c in s {
      let x = Double(c.events), n = Double(c.total)
      value += lgamma(n + 1) - lgamma(x + 1) - lgamma(n - x + 1) + x * log(p) + (n - x) * log1p(-p)
      score += x - n * p
      info += n * p * (1 - p)
      tauCurvature += (x - n * p) * (x - n * p) - n * p * (1 - p)
    }
    let e = Self.ell(s, mu, 0, nAGQ)
    #expect(abs(e.value - value) <= 1e-12 * abs(value))
    #expect(abs(e.gradientMu - score) <= 1e-11 * info)
    #expect(e.gradientTau == 0)
    #expect(abs(e.hessianMuMu + info) <= 1e-12 * info)
    #expect(e.hessianMuTau == 0)
    #expect(abs(e.hessianTauTau - tauCurvature) <= 1e-11 * abs(tauCurvature))
    // ℓ is even in τ: ℓ(τ) − ℓ(0) ≈ ½ℓ_ττ(0)τ² near 0.
    let h = 1e-4
    let fd = 2 * (Self.ell(s, mu, h, nAGQ).value - e.value) / (h * h)
    #expect(abs(fd - tauCurvature) <= 1e-4 * abs(tauCurvature), "\(fd) vs \(tauCurvature)")
  }

  /// log ∫ Bin(x | n, expit(μ + τu)) φ(u) du by the trapezoidal rule on [−14, 14] (exponentially
  /// accurate for this smooth, rapidly decaying integrand).
  static func bruteForce(_ s: [ProportionStudy], _ mu: Double, _ tau: Double) -> Double {
    let m = 8000, a = -14.0, h = 28.0 / Double(m)
    var total = 0.0
    for c in s {
      let x = Double(c.events), n = Double(c.total)
      let lc = lgamma(n + 1) - lgamma(x + 1) - lgamma(n - x + 1)
      var terms = [Double](repeating: 0, count: m + 1)
      for j in 0...m {
        let u = a + Double(j) * h
        let eta = mu + tau * u
        let softplus = max(eta, 0) + log1p(exp(-abs(eta)))
        terms[j] = x * eta - n * softplus - 0.5 * u * u - 0.5 * log(2 * Double.pi)
      }
      let top = terms.max()!
      var sum = 0.0
      for j in 0...m { sum += (j == 0 || j == m ? 0.5 : 1) * exp(terms[j] - top) }
      total += lc + top + log(sum * h)
    }
    return total
  }

  /// The quadrature error shrinks with the number of nodes, down to rounding with 100. With
  /// large τ and cohorts with 0 or all responders (sim_k25_mixed_zero_all: τ̂ = 2.7), the
  /// integrand is far from Gaussian and even 25 nodes leave 10⁻⁵ (7 nodes: 10⁻²) — a property
  /// of the quadrature, shared with lme4, not of this implementation.
  @Test("adaptive quadrature converges to the integral", arguments: ["nielweise2007_control", "alk_all", "sim_k7_small_n", "sim_k25_mixed_zero_all"])
  func quadratureAccuracy(_ name: String) throws {
    let d = try GLMMFixtures.dataset(name)
    let s = try d.studies()
    let mu = d.exact.mu, tau = d.exact.tau
    let exact = Self.bruteForce(s, mu, tau)
    let error = { (q: Int) in abs(Self.ell(s, mu, tau, q).value - exact) }
    #expect(error(100) <= 1e-10 * abs(exact), "nAGQ 100: error \(error(100))")
    #expect(error(25) <= error(7))
    #expect(error(7) <= error(1))
  }
}
