// SPDX-License-Identifier: GPL-3.0-or-later

import MetaProportion
import Testing

/// ``BinomialIntervalMemo``: an interval from the memo is the computed one to the bit, for every
/// method, level and count; errors are not kept; the memo stays within its capacity.
struct BinomialIntervalMemoTests {
  static let levels = [95.0, 90, 99.5]

  @Test("the memo's intervals are the computed ones to the bit, first and second time", arguments: BinomialIntervalMethod.allCases)
  func bitIdentical(_ method: BinomialIntervalMethod) throws {
    let memo = BinomialIntervalMemo()
    for round in 0..<2 {
      for percent in Self.levels {
        let level = try ConfidenceLevel(percent)
        for n in [1, 2, 7, 20, 61, 200, 1_000] {
          for x in Set([0, 1, n / 3, n / 2, n - 1, n]) where x >= 0 {
            let direct = try method.interval(events: x, total: n, level: level)
            let memoised = try memo.interval(method, events: x, total: n, level: level)
            #expect(memoised.lower.bitPattern == direct.lower.bitPattern, "\(method) \(x)/\(n) at \(percent), round \(round)")
            #expect(memoised.upper.bitPattern == direct.upper.bitPattern, "\(method) \(x)/\(n) at \(percent), round \(round)")
          }
        }
      }
    }
    #expect(memo.count > 50)
  }

  @Test("two levels or methods of the same counts are different entries")
  func keyedByLevelAndMethod() throws {
    let memo = BinomialIntervalMemo()
    let a = try memo.interval(.clopperPearson, events: 7, total: 30, level: try ConfidenceLevel(95))
    let b = try memo.interval(.clopperPearson, events: 7, total: 30, level: try ConfidenceLevel(90))
    let c = try memo.interval(.wilson, events: 7, total: 30, level: try ConfidenceLevel(95))
    #expect(a.lower < b.lower)
    #expect(a.lower != c.lower)
    #expect(memo.count == 3)
  }

  @Test("one memo shared by four threads gives each the computed intervals, to the bit")
  func sharedByThreads() throws {
    let memo = BinomialIntervalMemo()
    let level = try ConfidenceLevel(95)
    var mismatches = [Int](repeating: 0, count: 8)
    mismatches.withUnsafeMutableBufferPointer { out in
      forEachChunk(8, threads: 4) { c in
        // Every chunk visits every count, each starting elsewhere: the threads meet on entries.
        for n in 1...40 {
          for i in 0...n {
            let x = (i + 5 * c) % (n + 1)
            guard let m = try? memo.interval(.clopperPearson, events: x, total: n, level: level),
              let d = try? BinomialIntervalMethod.clopperPearson.interval(events: x, total: n, level: level),
              m.lower.bitPattern == d.lower.bitPattern, m.upper.bitPattern == d.upper.bitPattern
            else {
              out[c] += 1
              continue
            }
          }
        }
      }
    }
    #expect(mismatches == [Int](repeating: 0, count: 8))
    #expect(memo.count == (1...40).reduce(0) { $0 + $1 + 1 })
  }

  @Test("an invalid count throws as the method does and is not kept")
  func errorsNotKept() throws {
    let memo = BinomialIntervalMemo()
    let level = try ConfidenceLevel(95)
    #expect(throws: MetaAnalysisError.self) { try memo.interval(.clopperPearson, events: 5, total: 3, level: level) }
    #expect(throws: MetaAnalysisError.self) { try memo.interval(.wilson, events: 0, total: 0, level: level) }
    #expect(memo.count == 0)
  }

  @Test("counts too large to pack into the memo's key (2^28 and above) are computed each time, to the bit, and not kept")
  func unpackedCounts() throws {
    let memo = BinomialIntervalMemo()
    let level = try ConfidenceLevel(95)
    for (x, n) in [(1 << 28, 1 << 29), (5, 1 << 28), (3, (1 << 28) - 1)] {
      let direct = try BinomialIntervalMethod.wilson.interval(events: x, total: n, level: level)
      for _ in 0..<2 {
        let memoised = try memo.interval(.wilson, events: x, total: n, level: level)
        #expect(memoised.lower.bitPattern == direct.lower.bitPattern && memoised.upper.bitPattern == direct.upper.bitPattern, "\(x)/\(n)")
      }
    }
    // Only the last pair fits (both counts below 2^28).
    #expect(memo.count == 1)
  }

  @Test("at most capacity intervals are kept")
  func bounded() throws {
    let memo = BinomialIntervalMemo()
    let level = try ConfidenceLevel(95)
    var largest = 0
    for n in 1...400 {
      for x in 0...n {
        _ = try memo.interval(.wald, events: x, total: n, level: level)
        largest = max(largest, memo.count)
      }
    }
    // 80,600 distinct counts: more than the capacity, so the memo was emptied once.
    #expect(largest == BinomialIntervalMemo.capacity)
    #expect(memo.count < BinomialIntervalMemo.capacity)
  }

  @Test("CohortIntervals with a memo equal those without")
  func cohortIntervalsWithMemo() throws {
    let studies = try [(0, 12), (3, 25), (7, 30), (3, 25), (9, 9)].enumerated().map { i, c in
      try ProportionStudy(label: "c\(i + 1)", events: c.0, total: c.1)
    }
    var settings = AnalysisSettings()
    settings.method = .REML
    let memo = BinomialIntervalMemo()
    for _ in 0..<2 {
      let shared = try CohortIntervals(studies: studies, method: settings.studyInterval, level: settings.level, memo: memo)
      let plain = try CohortIntervals(studies: studies, method: settings.studyInterval, level: settings.level)
      let a = try ProportionMetaAnalysis.analyze(studies: studies, settings: settings, cohortIntervals: shared)
      let b = try ProportionMetaAnalysis.analyze(studies: studies, settings: settings, cohortIntervals: plain)
      #expect("\(a)" == "\(b)")
    }
    #expect(memo.count == 4)
  }
}
