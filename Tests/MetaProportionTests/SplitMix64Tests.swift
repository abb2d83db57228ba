// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion
import Testing

@Suite("SplitMix64")
struct SplitMix64Tests {
  @Test("matches the reference splitmix64.c outputs for state 0")
  func referenceOutputs() {
    var rng = SplitMix64(state: 0)
    #expect(rng.next() == 0xE220_A839_7B1D_CDAF)
    #expect(rng.next() == 0x6E78_9E6A_A1B9_65F4)
    #expect(rng.next() == 0x06C4_5D18_8009_454F)
  }

  @Test("the same seed gives the same stream; another seed another")
  func determinism() {
    var a = SplitMix64(state: 2026), b = SplitMix64(state: 2026), c = SplitMix64(state: 2027)
    let sa = (0..<100).map { _ in a.nextIndex(below: 61) }
    let sb = (0..<100).map { _ in b.nextIndex(below: 61) }
    let sc = (0..<100).map { _ in c.nextIndex(below: 61) }
    #expect(sa == sb)
    #expect(sa != sc)
  }

  @Test("bounded draws stay in range and cover it evenly", arguments: [1, 2, 3, 7, 61, 1000])
  func bounded(bound: Int) {
    var rng = SplitMix64(state: 42)
    var counts = [Int](repeating: 0, count: bound)
    let draws = 2000 * bound
    for _ in 0..<draws {
      let i = rng.nextIndex(below: bound)
      #expect(i >= 0 && i < bound)
      counts[i] += 1
    }
    // Each cell expects 2000 draws (SD about 45); 6 SD is a generous bound.
    #expect(counts.allSatisfy { abs($0 - 2000) < 270 })
  }
}
