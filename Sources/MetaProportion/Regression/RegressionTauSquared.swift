// SPDX-License-Identifier: GPL-3.0-or-later

import RealModule

extension RegressionWorkspace {
  /// Estimates τ² in the model with design X (k×p, row-major, with an intercept column),
  /// following metafor's `rma.uni` code paths for p ≥ 1:
  ///
  /// | method | estimate |
  /// |---|---|
  /// | DL | (YᵀPY − (k−p)) / tr(P), W = 1/v |
  /// | HE | (YᵀP₀Y − tr(P₀V)) / (k−p), P₀ = I − X(XᵀX)⁻¹Xᵀ |
  /// | HS | (YᵀPY − k) / Σw, W = 1/v |
  /// | SJ | τ₀²·YᵀP(τ₀²)Y/(k−p), τ₀² = Σ(yᵢ−ȳ)²/k |
  /// | PM | root of YᵀP(τ²)Y = k − p (0 when YᵀP(0)Y < k − p) |
  /// | ML, REML, EB | Fisher scoring from max(0, HE), with step halving and the ll(0) check |
  ///
  /// Fisher scoring steps: ML (YᵀPPY − Σw)/Σw²; REML (YᵀPPY − tr P)/tr(PP);
  /// EB (YᵀPY·k/(k−p) − k)/Σw. Returns nil when XᵀWX is singular.
  func estimateTau2(
    x: UnsafePointer<Double>, y: UnsafePointer<Double>, v: UnsafePointer<Double>,
    method: TauSquaredMethod, control: FitControl
  ) -> TauSquaredEstimate? {
    let kd = Double(k), pd = Double(p)
    let df = kd - pd
    switch method {
    case .EE:
      return TauSquaredEstimate(tau2: 0, standardError: .nan)

    case .DL, .HS:
      guard weightedFit(x: x, y: y, v: v, tau2: 0) else { return nil }
      let trP = traceP(x: x)
      let trPP = tracePP(x: x)
      let raw = method == .DL ? (rss - df) / trP : (rss - kd) / sw
      let t = max(0, raw)
      let denominator = method == .DL ? trP : sw
      let se = ((2 * df + 4 * t * trP + 2 * t * t * trPP) / (denominator * denominator)).squareRoot()
      return TauSquaredEstimate(tau2: t, standardError: se, truncatedAtZero: raw < 0)

    case .HE:
      guard let he = hedges(x: x, y: y, v: v) else { return nil }
      let t = max(0, he.raw)
      let se = ((2 * he.trPVPV + 4 * t * he.trPV + 2 * t * t * df) / (df * df)).squareRoot()
      return TauSquaredEstimate(tau2: t, standardError: se, truncatedAtZero: he.raw < 0)

    case .SJ:
      var mean = 0.0
      for i in 0..<k { mean += y[i] }
      mean /= kd
      var ss = 0.0
      for i in 0..<k { ss += (y[i] - mean) * (y[i] - mean) }
      let t0 = ss / kd
      guard weightedFit(x: x, y: y, v: v, tau2: t0) else { return nil }
      let t = max(0, t0 * rss / df)
      _ = traceP(x: x)
      let trPP = tracePP(x: x)
      let vt = varianceTraces(x: x, v: v)
      let se = ((t0 * t0 / (df * df)) * (2 * vt.trPVPV + 4 * t * vt.sumPVP + 2 * t * t * trPP)).squareRoot()
      return TauSquaredEstimate(tau2: t, standardError: se)

    case .PM:
      return pauleMandel(x: x, y: y, v: v, control: control)

    case .ML, .REML, .EB:
      return fisherScoring(x: x, y: y, v: v, method: method, control: control)
    }
  }

  /// HE before truncation, with tr(P₀V) and tr(P₀VP₀V) (OLS projection P₀).
  func hedges(x: UnsafePointer<Double>, y: UnsafePointer<Double>, v: UnsafePointer<Double>) -> (raw: Double, trPV: Double, trPVPV: Double)? {
    for i in 0..<k { w[i] = 1 }
    sw = Double(k)
    sw2 = Double(k)
    guard solve(x: x, y: y) else { return nil }
    let rss0 = rss
    var sv = 0.0, sv2 = 0.0
    for i in 0..<k { sv += v[i]; sv2 += v[i] * v[i] }
    crossProduct(x, diagonal: v, into: b)  // G = XᵀVX
    for i in 0..<k { d[i] = v[i] * v[i] }
    crossProduct(x, diagonal: d, into: c)  // XᵀV²X
    multiply(a, b, into: t2)  // A₀G
    let trPV = sv - traceProduct(a, b)
    let trPVPV = sv2 - 2 * traceProduct(a, c) + traceProduct(t2, t2)
    return ((rss0 - trPV) / Double(k - p), trPV, trPVPV)
  }

  /// √(2k²/(k−p))/Σw at τ² (metafor's SE for EB and PM).
  func momentSE(v: UnsafePointer<Double>, tau2: Double) -> Double {
    var s = 0.0
    for i in 0..<k { s += 1 / (v[i] + tau2) }
    let kd = Double(k)
    return (2 * kd * kd / Double(k - p)).squareRoot() / s
  }

  func pauleMandel(x: UnsafePointer<Double>, y: UnsafePointer<Double>, v: UnsafePointer<Double>, control: FitControl) -> TauSquaredEstimate? {
    let target = Double(k - p)
    guard weightedFit(x: x, y: y, v: v, tau2: 0) else { return nil }
    if rss < target {
      return TauSquaredEstimate(tau2: 0, standardError: momentSE(v: v, tau2: 0), truncatedAtZero: true)
    }
    let rssAtZero = rss
    if control.rootSearch == .uniroot {
      // metafor's search (`--convergence metafor`): uniroot on [0, max(100, 10·mad(y)²)].
      let spread = PauleMandelRoot.medianAbsoluteDeviation(y, count: k)
      let upper = max(100, 10 * spread * spread)
      guard weightedFit(x: x, y: y, v: v, tau2: upper) else { return nil }
      if rss <= target {
        var failed = false
        if let root = uniroot(
          lower: 0, upper: upper, fLower: rssAtZero - target, fUpper: rss - target,
          tolerance: control.rootTolerance, maxIterations: control.maxIterations,
          { t in
            if !self.weightedFit(x: x, y: y, v: v, tau2: t) { failed = true }
            return self.rss - target
          })
        {
          if failed { return nil }
          let t = max(0, root.root)
          return TauSquaredEstimate(
            tau2: t, standardError: momentSE(v: v, tau2: t), converged: root.converged, iterations: root.iterations)
        }
      }
    }
    var hi = 100.0
    var expansions = 0
    while expansions < 60 {
      guard weightedFit(x: x, y: y, v: v, tau2: hi) else { return nil }
      if rss <= target { break }
      hi *= 10
      expansions += 1
    }
    var failed = false
    let root = solveDecreasing(
      lo: 0, hi: hi, target: target, tolerance: control.rootTolerance, maxIterations: control.maxIterations
    ) { t in
      if !self.weightedFit(x: x, y: y, v: v, tau2: t) { failed = true }
      return (self.rss, -self.rssw)
    }
    if failed { return nil }
    let t = max(0, root.root)
    return TauSquaredEstimate(
      tau2: t, standardError: momentSE(v: v, tau2: t), converged: root.converged, iterations: root.iterations)
  }

  /// Restricted (or full) log-likelihood at τ² as metafor's ll(0) check computes it.
  func logLikelihood(x: UnsafePointer<Double>, y: UnsafePointer<Double>, v: UnsafePointer<Double>, tau2: Double, restricted: Bool) -> Double? {
    guard weightedFit(x: x, y: y, v: v, tau2: tau2) else { return nil }
    var sumLog = 0.0
    for i in 0..<k { sumLog += Double.log(v[i] + tau2) }
    let log2pi = Double.log(2 * Double.pi)
    if restricted {
      return -0.5 * Double(k - p) * log2pi - 0.5 * sumLog - 0.5 * logDet - 0.5 * rss
    }
    return -0.5 * Double(k) * log2pi - 0.5 * sumLog - 0.5 * rss
  }

  func fisherScoring(
    x: UnsafePointer<Double>, y: UnsafePointer<Double>, v: UnsafePointer<Double>,
    method: TauSquaredMethod, control: FitControl
  ) -> TauSquaredEstimate? {
    let kd = Double(k)
    guard let he = hedges(x: x, y: y, v: v) else { return nil }
    var tau2 = max(0, he.raw)
    var change = control.threshold + 1
    var iterations = 0
    var converged = true
    while change > control.threshold {
      iterations += 1
      let old = tau2
      guard weightedFit(x: x, y: y, v: v, tau2: tau2) else { return nil }
      var adj: Double
      switch method {
      case .ML:
        adj = (rssw - sw) / sw2
      case .EB:
        adj = (rss * kd / Double(k - p) - kd) / sw
      default:
        let trP = traceP(x: x)
        adj = (rssw - trP) / tracePP(x: x)
      }
      if adj.isNaN { adj = 0 }
      if tau2 + adj < 0 {
        adj = tau2 == 0 ? 0 : LikelihoodIteration.feasibleStep(from: tau2, adj)
      }
      tau2 += adj
      change = abs(old - tau2)
      if iterations > control.maxIterations {
        converged = false
        break
      }
    }
    var reset = false
    if converged, method != .EB, control.logLikelihoodCheck {
      let restricted = method == .REML
      if let ll0 = logLikelihood(x: x, y: y, v: v, tau2: 0, restricted: restricted),
        let ll = logLikelihood(x: x, y: y, v: v, tau2: tau2, restricted: restricted),
        ll0 - ll > control.logLikelihoodTolerance, tau2 > control.threshold
      {
        tau2 = 0
        reset = true
      }
    }
    tau2 = max(0, tau2)
    guard weightedFit(x: x, y: y, v: v, tau2: tau2) else { return nil }
    let se: Double
    switch method {
    case .ML: se = (2 / sw2).squareRoot()
    case .REML:
      _ = traceP(x: x)
      se = (2 / tracePP(x: x)).squareRoot()
    default: se = momentSE(v: v, tau2: tau2)
    }
    return TauSquaredEstimate(
      tau2: tau2, standardError: se, converged: converged, iterations: iterations, resetByLogLikelihoodCheck: reset)
  }
}
