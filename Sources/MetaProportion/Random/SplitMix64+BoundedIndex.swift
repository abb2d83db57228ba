// SPDX-License-Identifier: GPL-3.0-or-later

extension SplitMix64 {
  /// A uniformly distributed integer in `0..<bound` (Lemire 2019, "Fast random integer
  /// generation in an interval": multiply-shift with rejection, so there is no modulo bias).
  ///
  /// Specified here rather than taken from `Int.random(in:using:)`, whose algorithm the standard
  /// library does not promise to keep, so that a seeded resampling (the weighted-median
  /// bootstrap) gives the same draws on every platform and Swift version. With state 0 the
  /// generator's first three outputs are 0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4 and
  /// 0x06C45D188009454F (Vigna's `splitmix64.c`).
  /// - Precondition: `bound > 0`.
  public mutating func nextIndex(below bound: Int) -> Int {
    precondition(bound > 0, "bound must be positive")
    let s = UInt64(bound)
    var product = next().multipliedFullWidth(by: s)
    if product.low < s {
      let threshold = (0 &- s) % s
      while product.low < threshold {
        product = next().multipliedFullWidth(by: s)
      }
    }
    return Int(product.high)
  }
}
