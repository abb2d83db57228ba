// SPDX-License-Identifier: GPL-3.0-or-later

import RealModule

/// The two fixed-effects logistic models behind metafor's heterogeneity tests for
/// `rma.glmm(measure = "PLO")`, fitted exactly as R's `glm.fit` does (binomial family, logit link,
/// `glm.control()` defaults), so that the tests agree with metafor also for zero- and all-event
/// cohorts, whose saturated estimates diverge and stop wherever IRLS stops:
///
/// * the common-proportion model logit pᵢ = μ (`glm(cbind(x, n−x) ~ 1)`, metafor's `res.FE`);
/// * the saturated model logit pᵢ = μ + αᵢ (`glm(cbind(x, n−x) ~ 1 + study)`, `res.QE`).
///
/// IRLS as in `glm.fit`: start at μᵢ = (xᵢ + ½)/(nᵢ + 1); each iteration forms the working response
/// zᵢ = ηᵢ + (yᵢ − μᵢ)/μ′(ηᵢ) and weights Wᵢ = nᵢ μ′(ηᵢ)²/(μᵢ(1 − μᵢ)) (yᵢ = xᵢ/nᵢ), and refits by
/// weighted least squares: the saturated fit reproduces z (η ← z), the common fit takes its
/// weighted mean. It stops when |D − D_old|/(|D| + 0.1) < 10⁻⁸ (D the deviance) or after 25
/// iterations. R's `linkinv` and `mu.eta` clamp η outside [−30, 30] (to ε/(1+ε) and ε, with
/// ε = 2⁻⁵²); so does this code.
///
/// Both fits start from the same point, so its deviance and the per-cohort constants are
/// computed once (``fitBoth(studies:logBinomialCoefficients:scratch:)``).
///
/// The Wald statistic of the saturated model, b₂ᵀ V₂⁻¹ b₂ over the k − 1 study contrasts with V₂
/// from `vcov()` (that is, (XᵀWX)⁻¹ with the weights of the last IRLS iteration), equals the
/// weighted sum of squares
/// ```
/// Q_Wald = Σ Wᵢ (ηᵢ − η̄)²,   η̄ = Σ Wᵢηᵢ / Σ Wᵢ,
/// ```
/// because the contrasts of k independent estimates with variances 1/Wᵢ test their equality.
/// Without zero cells ηᵢ = logit(xᵢ/nᵢ) and Wᵢ = 1/(1/xᵢ + 1/(nᵢ − xᵢ)) (to IRLS accuracy), so
/// Q_Wald is Cochran's Q of the uncorrected logits.
struct LogisticIRLS {
  /// Σ log dbinom(xᵢ, nᵢ, μᵢ) at the final fit.
  var logLik: Double
  /// Whether the deviance criterion was met within 25 iterations.
  var converged: Bool
  /// IRLS iterations.
  var iterations: Int
  /// Whether some fitted probability is within 10ε of 0 or 1 (R's "fitted probabilities
  /// numerically 0 or 1 occurred").
  var boundaryFit: Bool
  /// Q_Wald for the saturated model; 0 for the common-proportion model.
  var wald: Double

  private static let epsilon = 1e-8
  private static let maxIterations = 25
  private static let threshold = 30.0

  /// R's `binomial()$linkinv` (C `logit_linkinv`) and `mu.eta` (C `logit_mu_eta`) from one
  /// exponential: μ = t/(1+t) and 1 − μ = 1/(1+t) with t = e^η clamped to [ε, 1/ε], and
  /// μ′ = e^η/(1+e^η)², or ε outside [−30, 30].
  @inline(__always)
  static func link(_ eta: Double) -> (mu: Double, oneMinusMu: Double, muEta: Double) {
    if eta < -threshold || eta > threshold {
      let t = eta < 0 ? Double.ulpOfOne : 1 / Double.ulpOfOne
      return (t / (1 + t), 1 / (1 + t), Double.ulpOfOne)
    }
    let t = Double.exp(eta)
    let d = 1 / (1 + t)
    return (t * d, d, t * d * d)
  }

  /// Fits the common-proportion and the saturated model.
  /// - Parameters:
  ///   - logBinomialCoefficients: Σ log C(nᵢ, xᵢ).
  ///   - scratch: at least 6k doubles of workspace.
  static func fitBoth(
    studies: [ProportionStudy], logBinomialCoefficients: Double, scratch: UnsafeMutablePointer<Double>
  ) -> (common: LogisticIRLS, saturated: LogisticIRLS) {
    let k = studies.count
    let x = scratch
    let n = scratch + k
    let constant = scratch + 2 * k  // xᵢ log(xᵢ/nᵢ) + (nᵢ−xᵢ) log((nᵢ−xᵢ)/nᵢ)
    let eta = scratch + 3 * k
    let weight = scratch + 4 * k
    let residual = scratch + 5 * k
    var sumX = 0.0, sumN = 0.0, sumConstant = 0.0
    // The common start μᵢ = (xᵢ + ½)/(nᵢ + 1), its deviance, and the first common-model
    // iteration (weighted mean of the working response).
    var startDeviance = 0.0
    var sw = 0.0, swz = 0.0
    for i in 0..<k {
      let xi = Double(studies[i].events), ni = Double(studies[i].total)
      x[i] = xi
      n[i] = ni
      sumX += xi
      sumN += ni
      var c = 0.0
      if xi > 0 { c += xi * Double.log(xi / ni) }
      if xi < ni { c += (ni - xi) * Double.log((ni - xi) / ni) }
      constant[i] = c
      sumConstant += c
      let start = (xi + 0.5) / (ni + 1)
      let e = Double.log(start / (1 - start))
      eta[i] = e
      let l = link(e)
      residual[i] = devianceResidual(x: xi, n: ni, constant: c, eta: e)
      startDeviance += residual[i]
      let w = ni * l.muEta * l.muEta / (l.mu * (1 - l.mu))
      sw += w
      swz += w * (e + (xi / ni - l.mu) / l.muEta)
      weight[i] = 0
    }

    // Common proportion: after iteration 1 all ηᵢ equal β, and the weighted mean of the
    // working response is β + (Σx − μΣn)/(μ′Σn); the deviance is
    // 2[Σcᵢ + Σxᵢ·softplus(−β) + Σ(nᵢ−xᵢ)·softplus(β)].
    var beta = swz / sw
    var devOld = startDeviance
    var commonConverged = false
    var commonIterations = 0
    for iteration in 1...maxIterations {
      commonIterations = iteration
      if iteration > 1 {
        let l = link(beta)
        beta += (sumX - l.mu * sumN) / (l.muEta * sumN)
      }
      let b = beta < -threshold ? Double.log(Double.ulpOfOne) : (beta > threshold ? -Double.log(Double.ulpOfOne) : beta)
      let dev = 2 * (sumConstant + sumX * softplus(-b) + (sumN - sumX) * softplus(b))
      if abs(dev - devOld) / (abs(dev) + 0.1) < epsilon {
        commonConverged = true
        break
      }
      devOld = dev
    }
    let lb = link(beta)
    let common = LogisticIRLS(
      logLik: logBinomialCoefficients + sumX * Double.log(lb.mu) + (sumN - sumX) * Double.log(lb.oneMinusMu),
      converged: commonConverged, iterations: commonIterations,
      boundaryFit: lb.mu > 1 - 10 * Double.ulpOfOne || lb.mu < 10 * Double.ulpOfOne, wald: 0)

    // Saturated: each cohort's η follows its own Newton sequence (the fit reproduces the
    // working response); once ηᵢ stops changing, so do its weight and deviance residual.
    devOld = startDeviance
    var converged = false
    var iterations = 0
    for iteration in 1...maxIterations {
      iterations = iteration
      var dev = 0.0
      for i in 0..<k {
        if weight[i] < 0 {  // frozen
          dev += residual[i]
          continue
        }
        let l = link(eta[i])
        let z = eta[i] + (x[i] / n[i] - l.mu) / l.muEta
        weight[i] = n[i] * l.muEta * l.muEta / (l.mu * (1 - l.mu))
        if z != eta[i] {
          // Beyond ±30 on the same side, R's clamped μ and hence the residual do not change.
          let clamped = (z < -threshold && eta[i] < -threshold) || (z > threshold && eta[i] > threshold)
          eta[i] = z
          if !clamped { residual[i] = devianceResidual(x: x[i], n: n[i], constant: constant[i], eta: z) }
        } else {
          weight[i] = -weight[i]  // frozen: the same z, weight and residual from now on
        }
        dev += residual[i]
      }
      if abs(dev - devOld) / (abs(dev) + 0.1) < epsilon {
        converged = true
        break
      }
      devOld = dev
    }
    var logLik = logBinomialCoefficients
    var boundary = false
    var sumW = 0.0, sumWEta = 0.0
    for i in 0..<k {
      weight[i] = abs(weight[i])
      let l = link(eta[i])
      if l.mu > 1 - 10 * Double.ulpOfOne || l.mu < 10 * Double.ulpOfOne { boundary = true }
      if x[i] > 0 { logLik += x[i] * Double.log(l.mu) }
      if x[i] < n[i] { logLik += (n[i] - x[i]) * Double.log(l.oneMinusMu) }
      sumW += weight[i]
      sumWEta += weight[i] * eta[i]
    }
    var wald = 0.0
    if k > 1 {
      let mean = sumWEta / sumW
      for i in 0..<k {
        let d = eta[i] - mean
        wald += weight[i] * d * d
      }
    }
    let saturated = LogisticIRLS(
      logLik: logLik, converged: converged, iterations: iterations, boundaryFit: boundary, wald: wald)
    return (common, saturated)
  }

  /// log(1 + e^η), without overflow or cancellation.
  @inline(__always)
  static func softplus(_ eta: Double) -> Double {
    max(eta, 0) + Double.log(onePlus: Double.exp(-abs(eta)))
  }

  /// The binomial deviance residual at logit η, 2[x log(x/(nμ)) + (n−x) log((n−x)/(n(1−μ)))]
  /// = 2[c + x·softplus(−η) + (n−x)·softplus(η)] with c = x log(x/n) + (n−x) log((n−x)/n).
  /// μ is R's clamped `linkinv`, so outside [−30, 30] the logit is taken as ±log(1/ε), as R's
  /// `dev.resids` sees it. Near the saturated fit (a = y/μ − 1 and b = (1−y)/(1−μ) − 1 below
  /// 10⁻³ in size) the series of y log(1+a) + (1−y) log(1+b) to fifth order replaces the
  /// logarithms.
  @inline(__always)
  static func devianceResidual(x: Double, n: Double, constant: Double, eta: Double) -> Double {
    let e = eta < -threshold ? Double.log(Double.ulpOfOne) : (eta > threshold ? -Double.log(Double.ulpOfOne) : eta)
    let r = Double.exp(-abs(e))
    if x > 0, x < n {
      // a = y/μ − 1, b = (1−y)/(1−μ) − 1 with μ = expit(e).
      let y = x / n
      let d = 1 / (1 + r)
      let mu = e >= 0 ? d : r * d, q = e >= 0 ? r * d : d
      let a = y / mu - 1, b = (1 - y) / q - 1
      if abs(a) < 1e-3, abs(b) < 1e-3 {
        // y log(1+a) + (1−y) log(1+b) = Σ_{j≥1} (−1)^(j+1) sⱼ/j, sⱼ = y aʲ + (1−y) bʲ, with
        // s₁ = (y−μ)²/(μ(1−μ)); the omitted terms are below 10⁻¹⁸·n.
        let dy = y - mu
        let s1 = dy * dy / (mu * q)
        let a2 = a * a, b2 = b * b
        let s2 = y * a2 + (1 - y) * b2
        let s3 = y * a2 * a + (1 - y) * b2 * b
        let s4 = y * a2 * a2 + (1 - y) * b2 * b2
        let s5 = y * a2 * a2 * a + (1 - y) * b2 * b2 * b
        return 2 * n * (s1 - s2 / 2 + s3 / 3 - s4 / 4 + s5 / 5)
      }
    }
    let l = Double.log(onePlus: r)
    return 2 * (constant + x * (max(-e, 0) + l) + (n - x) * (max(e, 0) + l))
  }
}
