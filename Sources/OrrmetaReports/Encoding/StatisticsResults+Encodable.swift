// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion

// The JSON keys of the statistics module's results (Docs/sensitivity.md, Docs/cli.md), owned by
// the output layer: the statistics module carries no output keys. Each conformance lists its
// keys and writes them in full; their non-finite values (metafor's NA) are written as `null`
// (``NotAvailableAsNull``). An optional property written with `encodeIfPresent` is left out when absent.

extension DistributionSummary: NotAvailableAsNull {
  private enum CodingKeys: String, CodingKey {
    case count, missing, mean, standardDeviation = "sd", min, q025, q25, median, q75, q975, max
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(count, forKey: .count)
    try c.encode(missing, forKey: .missing)
    try c.encode(mean, forKey: .mean)
    try c.encode(standardDeviation, forKey: .standardDeviation)
    try c.encode(min, forKey: .min)
    try c.encode(q025, forKey: .q025)
    try c.encode(q25, forKey: .q25)
    try c.encode(median, forKey: .median)
    try c.encode(q75, forKey: .q75)
    try c.encode(q975, forKey: .q975)
    try c.encode(max, forKey: .max)
  }
}

extension LeaveOneOutRow: NotAvailableAsNull {
  private enum CodingKeys: String, CodingKey {
    case label, estimate, standardError = "se", statistic, pValue = "p_value", ciLower = "ci_lower",
      ciUpper = "ci_upper", tau2, i2, h2, q, qPValue = "q_p_value", proportion,
      proportionCILower = "proportion_ci_lower", proportionCIUpper = "proportion_ci_upper"
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(label, forKey: .label)
    try c.encode(estimate, forKey: .estimate)
    try c.encode(standardError, forKey: .standardError)
    try c.encode(statistic, forKey: .statistic)
    try c.encode(pValue, forKey: .pValue)
    try c.encode(ciLower, forKey: .ciLower)
    try c.encode(ciUpper, forKey: .ciUpper)
    try c.encode(tau2, forKey: .tau2)
    try c.encode(i2, forKey: .i2)
    try c.encode(h2, forKey: .h2)
    try c.encode(q, forKey: .q)
    try c.encode(qPValue, forKey: .qPValue)
    try c.encode(proportion, forKey: .proportion)
    try c.encode(proportionCILower, forKey: .proportionCILower)
    try c.encode(proportionCIUpper, forKey: .proportionCIUpper)
  }
}

extension InfluenceRow: NotAvailableAsNull {
  private enum CodingKeys: String, CodingKey {
    case label, rstudent, dffits, cookDistance = "cook_d", covarianceRatio = "cov_r", tau2Deleted = "tau2_del",
      qDeleted = "qe_del", hat, weight, dfbetas, influential
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(label, forKey: .label)
    try c.encode(rstudent, forKey: .rstudent)
    try c.encode(dffits, forKey: .dffits)
    try c.encode(cookDistance, forKey: .cookDistance)
    try c.encode(covarianceRatio, forKey: .covarianceRatio)
    try c.encode(tau2Deleted, forKey: .tau2Deleted)
    try c.encode(qDeleted, forKey: .qDeleted)
    try c.encode(hat, forKey: .hat)
    try c.encode(weight, forKey: .weight)
    try c.encode(dfbetas, forKey: .dfbetas)
    try c.encode(influential, forKey: .influential)
  }
}

extension BaujatPoint: NotAvailableAsNull {
  private enum CodingKeys: String, CodingKey {
    case label, x, y
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(label, forKey: .label)
    try c.encode(x, forKey: .x)
    try c.encode(y, forKey: .y)
  }
}

extension CaseDeletionAnalysis: NotAvailableAsNull {
  private enum CodingKeys: String, CodingKey {
    case leaveOneOut = "leave_one_out", influence, baujat
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(leaveOneOut, forKey: .leaveOneOut)
    try c.encode(influence, forKey: .influence)
    try c.encode(baujat, forKey: .baujat)
  }
}

extension RegressionTestResult: NotAvailableAsNull {
  private enum CodingKeys: String, CodingKey {
    case predictor, statistic, z, pValue = "p_value", degreesOfFreedom = "df", slope, slopeStandardError = "slope_se",
      limitEstimate = "limit_estimate", limitCILower = "limit_ci_lower", limitCIUpper = "limit_ci_upper", tau2
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(predictor, forKey: .predictor)
    try c.encode(statistic, forKey: .statistic)
    try c.encode(statistic, forKey: .z)
    try c.encode(pValue, forKey: .pValue)
    try c.encodeIfPresent(degreesOfFreedom, forKey: .degreesOfFreedom)
    try c.encode(slope, forKey: .slope)
    try c.encode(slopeStandardError, forKey: .slopeStandardError)
    try c.encode(limitEstimate, forKey: .limitEstimate)
    try c.encode(limitCILower, forKey: .limitCILower)
    try c.encode(limitCIUpper, forKey: .limitCIUpper)
    try c.encode(tau2, forKey: .tau2)
  }
}

extension RankCorrelationResult: NotAvailableAsNull {
  private enum CodingKeys: String, CodingKey {
    case tau, pValue = "p_value", exact, statistic
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(tau, forKey: .tau)
    try c.encode(pValue, forKey: .pValue)
    try c.encode(exact, forKey: .exact)
    try c.encode(statistic, forKey: .statistic)
  }
}

extension TrimAndFillResult: NotAvailableAsNull {
  private enum CodingKeys: String, CodingKey {
    case k0, k0StandardError = "se_k0", side, sideEstimated = "side_estimated", estimator, iterations, estimate,
      standardError = "se", ciLower = "ci_lower", ciUpper = "ci_upper", pValue = "p_value", tau2, proportion,
      proportionCILower = "proportion_ci_lower", proportionCIUpper = "proportion_ci_upper", filledYi = "filled_yi",
      filledVi = "filled_vi"
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(k0, forKey: .k0)
    try c.encode(k0StandardError, forKey: .k0StandardError)
    try c.encode(side, forKey: .side)
    try c.encode(sideEstimated, forKey: .sideEstimated)
    try c.encode(estimator, forKey: .estimator)
    try c.encode(iterations, forKey: .iterations)
    try c.encode(estimate, forKey: .estimate)
    try c.encode(standardError, forKey: .standardError)
    try c.encode(ciLower, forKey: .ciLower)
    try c.encode(ciUpper, forKey: .ciUpper)
    try c.encode(pValue, forKey: .pValue)
    try c.encode(tau2, forKey: .tau2)
    try c.encode(proportion, forKey: .proportion)
    try c.encode(proportionCILower, forKey: .proportionCILower)
    try c.encode(proportionCIUpper, forKey: .proportionCIUpper)
    try c.encode(filledYi, forKey: .filledYi)
    try c.encode(filledVi, forKey: .filledVi)
  }
}

extension BootstrapResult: NotAvailableAsNull {
  private enum CodingKeys: String, CodingKey {
    case resamples, seed, failed, ciLower = "ci_lower", ciUpper = "ci_upper", proportionCILower = "proportion_ci_lower",
      proportionCIUpper = "proportion_ci_upper", tau2CILower = "tau2_ci_lower", tau2CIUpper = "tau2_ci_upper", bias,
      standardError = "se", estimateSummary = "estimate_summary", tau2Summary = "tau2_summary"
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(resamples, forKey: .resamples)
    try c.encode(seed, forKey: .seed)
    try c.encode(failed, forKey: .failed)
    try c.encode(ciLower, forKey: .ciLower)
    try c.encode(ciUpper, forKey: .ciUpper)
    try c.encode(proportionCILower, forKey: .proportionCILower)
    try c.encode(proportionCIUpper, forKey: .proportionCIUpper)
    try c.encode(tau2CILower, forKey: .tau2CILower)
    try c.encode(tau2CIUpper, forKey: .tau2CIUpper)
    try c.encode(bias, forKey: .bias)
    try c.encode(standardError, forKey: .standardError)
    try c.encode(estimateSummary, forKey: .estimateSummary)
    try c.encode(tau2Summary, forKey: .tau2Summary)
  }
}

extension GoshSummary: NotAvailableAsNull {
  private enum CodingKeys: String, CodingKey {
    case subsets, failed, estimate, i2, tau2, q, h2
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(subsets, forKey: .subsets)
    try c.encode(failed, forKey: .failed)
    try c.encode(estimate, forKey: .estimate)
    try c.encode(i2, forKey: .i2)
    try c.encode(tau2, forKey: .tau2)
    try c.encode(q, forKey: .q)
    try c.encode(h2, forKey: .h2)
  }
}

extension GoshResult: NotAvailableAsNull {
  private enum CodingKeys: String, CodingKey {
    case k, exhaustive, subsets, seed, summary
  }

  /// Encodes `k`, `exhaustive`, `subsets`, `seed` and `summary`; the per-subset arrays are for
  /// the CSV output.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(k, forKey: .k)
    try c.encode(exhaustive, forKey: .exhaustive)
    try c.encode(subsets, forKey: .subsets)
    try c.encodeIfPresent(seed, forKey: .seed)
    try c.encode(summary(), forKey: .summary)
  }
}

extension WaldSummary: NotAvailableAsNull {
  private enum CodingKeys: String, CodingKey {
    case estimate, standardError = "se", statistic, pValue = "p_value", ciLower = "ci_lower", ciUpper = "ci_upper"
  }

  /// Encodes `estimate`, `se`, `statistic`, `p_value`, `ci_lower` and `ci_upper`, flat into the
  /// block of the value that carries the group (a regression coefficient).
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(estimate, forKey: .estimate)
    try c.encode(standardError, forKey: .standardError)
    try c.encode(statistic, forKey: .statistic)
    try c.encode(pValue, forKey: .pValue)
    try c.encode(ciLower, forKey: .ciLower)
    try c.encode(ciUpper, forKey: .ciUpper)
  }
}

extension RegressionCoefficient: NotAvailableAsNull {
  private enum CodingKeys: String, CodingKey {
    case name
  }

  /// Encodes `name` and the keys of its ``WaldSummary``.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(name, forKey: .name)
    try wald.encode(to: encoder)
  }
}

extension MetaRegressionFit: NotAvailableAsNull {
  private enum CodingKeys: String, CodingKey {
    case k, p, method, test, coefficients, tau2, seTau2 = "se_tau2", qm, qmDegreesOfFreedom = "qm_df",
      qmDenominatorDegreesOfFreedom = "qm_df2", qmPValue = "qm_p_value", qe, qeDegreesOfFreedom = "qe_df",
      qePValue = "qe_p_value", i2, h2, r2
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(header.k, forKey: .k)
    try c.encode(header.p, forKey: .p)
    try c.encode(header.method, forKey: .method)
    try c.encode(header.test, forKey: .test)
    try c.encode(header.coefficients, forKey: .coefficients)
    try c.encode(tau2.tau2, forKey: .tau2)
    try c.encode(tau2.standardError, forKey: .seTau2)
    try c.encode(qm, forKey: .qm)
    try c.encode(qmDegreesOfFreedom, forKey: .qmDegreesOfFreedom)
    try c.encodeIfPresent(qmDenominatorDegreesOfFreedom, forKey: .qmDenominatorDegreesOfFreedom)
    try c.encode(qmPValue, forKey: .qmPValue)
    try c.encode(qe, forKey: .qe)
    try c.encode(qeDegreesOfFreedom, forKey: .qeDegreesOfFreedom)
    try c.encode(qePValue, forKey: .qePValue)
    try c.encode(i2, forKey: .i2)
    try c.encode(h2, forKey: .h2)
    try c.encodeIfPresent(r2, forKey: .r2)
  }
}

extension PermutationTestResult: NotAvailableAsNull {
  private enum CodingKeys: String, CodingKey {
    case exact, iterations, failed, pValues = "p_values", qmPValue = "qm_p_value"
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(exact, forKey: .exact)
    try c.encode(iterations, forKey: .iterations)
    try c.encode(failed, forKey: .failed)
    try c.encode(pValues, forKey: .pValues)
    try c.encode(qmPValue, forKey: .qmPValue)
  }
}
