// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports

/// One benchmark dataset: cohort counts and their logit outcomes (metafor `escalc(measure =
/// "PLO")` with ½ added to both cells of cohorts with a zero cell).
struct BenchDataset {
  /// File stem and table label, e.g. `k66` or `alk`.
  var name: String
  var events: [Int]
  var totals: [Int]
  var yi: [Double]
  var vi: [Double]
  var k: Int { yi.count }
}

/// Deterministic synthetic cohorts from a seeded xoshiro256** stream (one stream per k).
///
/// Cohort i: nᵢ uniform on 20…200; true logit θᵢ = −0.2 + 0.6·zᵢ with zᵢ standard normal
/// (Box–Muller), so τ² = 0.36 on the logit scale; xᵢ ~ Binomial(nᵢ, expit θᵢ) by nᵢ Bernoulli
/// draws. The same (k, seed) gives the same data on every machine.
enum SyntheticCohorts {
  static let seed: UInt64 = 20_240_611

  static func make(k: Int, seed: UInt64 = seed) -> BenchDataset {
    var rng = Xoshiro256StarStar(seed: seed, stream: UInt64(k))
    func uniform() -> Double { Double(rng.next() >> 11) * 0x1p-53 }
    var events = [Int](), totals = [Int](), yi = [Double](), vi = [Double]()
    events.reserveCapacity(k); totals.reserveCapacity(k); yi.reserveCapacity(k); vi.reserveCapacity(k)
    for _ in 0..<k {
      let n = 20 + rng.nextIndex(below: 181)
      let u1 = 1 - uniform(), u2 = uniform()
      let z = (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
      let p = 1 / (1 + exp(-(-0.2 + 0.6 * z)))
      var x = 0
      for _ in 0..<n where uniform() < p { x += 1 }
      let add = x == 0 || x == n ? 0.5 : 0
      let o = EffectSizes.outcome(measure: .PLO, x: Double(x) + add, m: Double(n - x) + add)
      events.append(x); totals.append(n); yi.append(o.y); vi.append(o.v)
    }
    return BenchDataset(name: "k\(k)", events: events, totals: totals, yi: yi, vi: vi)
  }

  /// The reference fixture, read as `orrmeta pool` reads it.
  static func fixture(path: String) throws -> BenchDataset {
    let file = try CohortFile.read(path: path)
    let es = try EffectSizes(studies: file.studies, measure: .PLO)
    return BenchDataset(
      name: "alk", events: file.studies.map(\.events), totals: file.studies.map(\.total), yi: es.yi, vi: es.vi)
  }

  /// Writes `<dir>/<name>.csv` with columns events, n, yi, vi (shortest round-trip decimals, so
  /// R and Python read exactly the same doubles).
  static func export(_ d: BenchDataset, to directory: String) throws {
    var text = "events,n,yi,vi\n"
    text.reserveCapacity(d.k * 48)
    for i in 0..<d.k {
      text += "\(d.events[i]),\(d.totals[i]),\(d.yi[i]),\(d.vi[i])\n"
    }
    try text.write(toFile: "\(directory)/\(d.name).csv", atomically: true, encoding: .utf8)
  }
}
