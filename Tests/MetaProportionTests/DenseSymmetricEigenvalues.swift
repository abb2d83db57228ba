// SPDX-License-Identifier: GPL-3.0-or-later

// The test oracle of `rankOneDowndateEigenvalues` (the Jackson interval's eigenvalues, which
// MetaProportion computes from a secular equation without forming a matrix): a dense solver
// that knows nothing of the rank-one structure. The cyclic Jacobi method is accurate to
// rounding relative to the matrix norm (Golub & Van Loan 2013, §8.5), which is what LAPACK's
// `dsyevr` behind R's `eigen(symmetric = TRUE)` gives too. It was the library's solver until
// the secular equation replaced it.

/// The eigenvalues of the symmetric n × n matrix `a` (row-major), in decreasing order, by cyclic
/// Jacobi rotations until every off-diagonal element is negligible.
func denseSymmetricEigenvalues(_ matrix: [Double], n: Int) -> [Double] {
  var a = matrix
  for _ in 0..<100 {
    var off = 0.0, total = 0.0
    for i in 0..<n {
      for j in 0..<n {
        let x = a[i * n + j] * a[i * n + j]
        total += x
        if i != j { off += x }
      }
    }
    if off <= 1e-36 * total || off == 0 { break }
    for p in 0..<n {
      for q in (p + 1)..<max(p + 1, n) where a[p * n + q] != 0 {
        let apq = a[p * n + q], app = a[p * n + p], aqq = a[q * n + q]
        let tau = (aqq - app) / (2 * apq)
        let t = (tau >= 0 ? 1 : -1) / (abs(tau) + (1 + tau * tau).squareRoot())
        let c = 1 / (1 + t * t).squareRoot(), s = t * c
        for k in 0..<n {
          let akp = a[k * n + p], akq = a[k * n + q]
          a[k * n + p] = c * akp - s * akq
          a[k * n + q] = s * akp + c * akq
        }
        for k in 0..<n {
          let apk = a[p * n + k], aqk = a[q * n + k]
          a[p * n + k] = c * apk - s * aqk
          a[q * n + k] = s * apk + c * aqk
        }
        a[p * n + q] = 0; a[q * n + p] = 0
      }
    }
  }
  return (0..<n).map { a[$0 * n + $0] }.sorted(by: >)
}
