// SPDX-License-Identifier: GPL-3.0-or-later

import GSLDistributions
import Testing

/// GSL's default handler aborts the process on a domain error. These calls would abort if the
/// handler were on or the inputs reached GSL unchecked; here they must throw.
struct DomainErrorTests {
  @Test func invalidParametersThrow() {
    #expect(throws: DistributionError.self) { try StudentT(degreesOfFreedom: 0) }
    #expect(throws: DistributionError.self) { try StudentT(degreesOfFreedom: -3) }
    #expect(throws: DistributionError.self) { try ChiSquared(degreesOfFreedom: .nan) }
    #expect(throws: DistributionError.self) { try FisherF(numeratorDegreesOfFreedom: 1, denominatorDegreesOfFreedom: .infinity) }
    #expect(throws: DistributionError.self) { try BetaDistribution(a: 0, b: 1) }
    #expect(throws: DistributionError.self) { try Normal(mean: 0, standardDeviation: 0) }
    #expect(throws: DistributionError.self) { try Binomial(trials: -1, probability: 0.5) }
    #expect(throws: DistributionError.self) { try Binomial(trials: 10, probability: 1.5) }
    #expect(throws: DistributionError.self) { try Binomial(trials: Int(UInt32.max) + 1, probability: 0.5) }
  }

  @Test func invalidArgumentsThrow() throws {
    let t = try StudentT(degreesOfFreedom: 5)
    #expect(throws: DistributionError.self) { try t.quantile(1.5) }
    #expect(throws: DistributionError.self) { try t.quantile(-0.1) }
    #expect(throws: DistributionError.self) { try t.quantile(.nan) }
    #expect(throws: DistributionError.self) { try t.cdf(.nan) }
    let b = try BetaDistribution(a: 2, b: 3)
    #expect(throws: DistributionError.self) { try b.quantile(2) }
    #expect(throws: DistributionError.self) { try Normal.standard.upperQuantile(-1) }
    #expect(throws: DistributionError.self) { try Binomial(trials: 10, probability: 0.5).quantile(7) }
  }

  @Test func errorMessagesNameTheArgument() {
    do {
      _ = try StudentT(degreesOfFreedom: -2)
      Issue.record("expected an error")
    } catch {
      #expect(error.description.contains("degreesOfFreedom"))
      #expect(error.description.contains("-2.0"))
    }
  }

  @Test func quantilesAtTheEndsAreTheSupportEnds() throws {
    #expect(try Normal.standard.quantile(0) == -.infinity)
    #expect(try Normal.standard.quantile(1) == .infinity)
    #expect(try ChiSquared(degreesOfFreedom: 3).quantile(0) == 0)
    #expect(try ChiSquared(degreesOfFreedom: 3).upperQuantile(0) == .infinity)
    #expect(try BetaDistribution(a: 2, b: 2).quantile(1) == 1)
    #expect(try Binomial(trials: 12, probability: 0.3).quantile(1) == 12)
  }

  @Test func binomialOutsideSupport() throws {
    let b = try Binomial(trials: 10, probability: 0.4)
    #expect(try b.pmf(-1) == 0)
    #expect(try b.pmf(11) == 0)
    #expect(try b.cdf(-1) == 0)
    #expect(try b.cdf(10) == 1)
    #expect(try b.survival(10) == 0)
  }
}
