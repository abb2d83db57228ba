// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion

/// Every GOSH subset fit as CSV (`orrmeta sensitivity --gosh --gosh-out FILE.csv`), one row per
/// subset in metafor's order (by size; all subsets then by bit mask, random ones in the order
/// drawn):
///
/// ```
/// subset,k,estimate,proportion,q,i2,h2,tau2,cohorts
/// 1,1,0.4405564279194353,0.6083916083916084,0,0,1,0,1
/// ```
///
/// `estimate` is on the model scale, `proportion` back-transformed, `i2` in percent; numbers are
/// written with all significant digits (shortest round-trip form), failed fits as `NA`.
/// `cohorts` is the subset as a hexadecimal bit mask: bit j − 1 (the least significant bit is
/// bit 0) is set when the j-th cohort of the file is in the subset — in R,
/// `bitwAnd(strtoi(cohorts, 16L), 2^(j-1)) > 0` for up to 31 cohorts, in Python
/// `int(cohorts, 16) >> (j - 1) & 1`.
package enum GoshCSV {
  /// The header line's fields.
  package static let header = ["subset", "k", "estimate", "proportion", "q", "i2", "h2", "tau2", "cohorts"]

  /// Renders the CSV (UTF-8, LF line ends).
  package static func render(_ g: GoshResult, analysis a: SensitivityAnalysis) -> Data {
    var out = [UInt8]()
    out.reserveCapacity(64 * (g.subsets + 1))
    func put(_ s: String) { out.append(contentsOf: s.utf8) }
    func number(_ x: Double) {
      if x.isFinite { put("\(x)") } else { put("NA") }
    }
    put(header.joined(separator: ",") + "\n")
    let digits = Array("0123456789abcdef".utf8)
    for s in 0..<g.subsets {
      put("\(s + 1),\(g.size[s]),")
      number(g.estimate[s]); out.append(44)
      number(a.proportion(g.estimate[s])); out.append(44)
      number(g.q[s]); out.append(44)
      number(g.i2[s]); out.append(44)
      number(g.h2[s]); out.append(44)
      number(g.tau2[s]); out.append(44)
      // The mask, most significant word first, without leading zeros.
      var started = false
      for w in stride(from: g.wordsPerSubset - 1, through: 0, by: -1) {
        let word = g.membership[s * g.wordsPerSubset + w]
        for nibble in stride(from: 15, through: 0, by: -1) {
          let d = Int((word >> UInt64(4 * nibble)) & 0xF)
          if d == 0 && !started { continue }
          started = true
          out.append(digits[d])
        }
      }
      if !started { out.append(digits[0]) }
      out.append(10)
    }
    return Data(out)
  }
}
