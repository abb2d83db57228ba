// SPDX-License-Identifier: GPL-3.0-or-later

/// How a weighted median (and any weighted quantile) is read off the weighted distribution of
/// the values. W = Σwᵢ; values sorted x₍₁₎ ≤ … ≤ x₍ₖ₎ with cumulative weights Cⱼ.
public enum WeightedMedianMethod: String, CaseIterable, Sendable, Codable {
  /// orrmeta's default. The p-quantile is the first value whose cumulative weight reaches p·W;
  /// when the cumulative weight equals p·W exactly, the mean of that value and the next larger
  /// one. With equal weights the median (p = ½) is the ordinary median; with an even number of
  /// equal weights it averages the two middle values.
  case cumulative
  /// Frequency weights with linear interpolation, as Hmisc's `wtd.quantile(type = "quantile",
  /// normwt = FALSE)` and therefore metamedian's weighted `pool.med`: the weights are read as
  /// counts of an expanded sample of size W, and the p-quantile sits at position h = 1 + (W − 1)p
  /// of that sample: Q(p) = (1 − f)·x[⌊h⌋] + f·x[⌊h⌋ + 1], f = h − ⌊h⌋, where x[m] is the smallest
  /// value whose cumulative weight is at least m (positions clamped to [1, W]).
  case interpolated

  /// A readable description.
  public var name: String {
    switch self {
    case .cumulative:
      return "first value whose cumulative weight reaches p of the total (mean with the next value when exactly p)"
    case .interpolated:
      return "frequency weights, linear interpolation at position 1 + (W - 1) p (Hmisc wtd.quantile, metamedian pool.med)"
    }
  }
}
