// SPDX-License-Identifier: GPL-3.0-or-later

/// Counts of points in a rectangular grid of equal bins (a 2-D histogram), for drawing millions
/// of points as a density. Points outside the domain or with a NaN coordinate are not counted.
struct DensityGrid: Sendable {
  let columns: Int
  let rows: Int
  let xDomain: ClosedRange<Double>
  let yDomain: ClosedRange<Double>
  /// Row-major counts, row 0 at the bottom of the y domain.
  private(set) var counts: [Int]
  /// Points counted.
  private(set) var total = 0

  init(xs: [Double], ys: [Double], xDomain: ClosedRange<Double>, yDomain: ClosedRange<Double>, columns: Int, rows: Int) {
    self.columns = columns
    self.rows = rows
    self.xDomain = xDomain
    self.yDomain = yDomain
    var counts = [Int](repeating: 0, count: columns * rows)
    let x0 = xDomain.lowerBound, y0 = yDomain.lowerBound
    let xw = xDomain.upperBound - x0, yw = yDomain.upperBound - y0
    let cx = xw > 0 ? Double(columns) / xw : 0, cy = yw > 0 ? Double(rows) / yw : 0
    var total = 0
    let n = min(xs.count, ys.count)
    xs.withUnsafeBufferPointer { xb in
      ys.withUnsafeBufferPointer { yb in
        for i in 0..<n {
          let x = xb[i], y = yb[i]
          guard x >= x0, x <= xDomain.upperBound, y >= y0, y <= yDomain.upperBound else { continue }
          let c = min(columns - 1, Int((x - x0) * cx))
          let r = min(rows - 1, Int((y - y0) * cy))
          counts[r * columns + c] += 1
          total += 1
        }
      }
    }
    self.counts = counts
    self.total = total
  }

  /// The largest count.
  var maximum: Int { counts.max() ?? 0 }

  /// The count of bin (column, row).
  subscript(column: Int, row: Int) -> Int { counts[row * columns + column] }
}
