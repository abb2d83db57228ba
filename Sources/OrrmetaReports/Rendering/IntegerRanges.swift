// SPDX-License-Identifier: GPL-3.0-or-later

/// Compact text for sets of whole numbers: [3731, 3732, 3733, 3740] → "3731-3733, 3740".
package enum IntegerRanges {
  static func text(_ values: [Int]) -> String {
    let sorted = Array(Set(values)).sorted()
    guard var start = sorted.first else { return "none" }
    var previous = start
    var parts: [String] = []
    func close() { parts.append(start == previous ? "\(start)" : "\(start)-\(previous)") }
    for v in sorted.dropFirst() {
      if v == previous + 1 { previous = v; continue }
      close()
      start = v
      previous = v
    }
    close()
    return parts.joined(separator: ", ")
  }

  static func text(_ range: ClosedRange<Int>?) -> String {
    guard let range else { return "none" }
    return range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound)-\(range.upperBound)"
  }
}
