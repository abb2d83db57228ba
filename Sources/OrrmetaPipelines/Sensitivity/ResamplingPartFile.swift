// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import MetaProportion
import OrrmetaIO
import OrrmetaReports

/// The file of one part of a sharded GOSH or bootstrap (`orrmeta sensitivity … --shard I/N`),
/// combined by `orrmeta merge` (`Docs/cluster.md`). JSON, keys sorted:
///
/// ```
/// orrmeta_part      "sensitivity-resampling/1"
/// orrmeta_version   the version that wrote it (merge requires one version)
/// shard             "I/N"
/// arguments         the arguments of `orrmeta sensitivity`, without --shard, --output and --jobs
/// input_sha256      SHA-256 of the cohort file's bytes
/// bootstrap         {resamples, seed, first, estimates, tau2s} (numbers; null for a failed fit)
/// gosh              {k, subsets, seed, first, size, membership, estimate, q, i2, h2, tau2}
///                   (membership: ⌈k/64⌉ 64-bit words per subset, as decimal strings)
/// ```
///
/// Numbers are written in Swift's shortest round-trip form, so a part read back holds the same
/// bits, and the merged result is the single-process result.
package struct ResamplingPartFile: Codable, Sendable, Equatable {
  package static let schema = "sensitivity-resampling/1"

  package var orrmeta_part: String
  package var orrmeta_version: String
  package var shard: String
  package var arguments: [String]
  package var input_sha256: String
  package var bootstrap: Bootstrap?
  package var gosh: Gosh?

  package struct Bootstrap: Codable, Sendable, Equatable {
    package var resamples: Int
    package var seed: UInt64
    package var first: Int
    package var estimates: [Double?]
    package var tau2s: [Double?]
  }

  package struct Gosh: Codable, Sendable, Equatable {
    package var k: Int
    package var subsets: Int
    package var seed: UInt64
    package var first: Int
    package var size: [Int]
    package var membership: [String]
    package var estimate: [Double?]
    package var q: [Double?]
    package var i2: [Double?]
    package var h2: [Double?]
    package var tau2: [Double?]
  }

  package init(shard: ResamplingShard, arguments: [String], inputSHA256: String, bootstrap: BootstrapPart?, gosh: GoshPart?) {
    orrmeta_part = Self.schema
    orrmeta_version = OrrmetaVersion.current
    self.shard = "\(shard.index)/\(shard.count)"
    self.arguments = arguments
    input_sha256 = inputSHA256
    func numbers(_ a: [Double]) -> [Double?] { a.map { $0.isNaN ? nil : $0 } }
    self.bootstrap = bootstrap.map {
      Bootstrap(resamples: $0.resamples, seed: $0.seed, first: $0.first, estimates: numbers($0.estimates), tau2s: numbers($0.tau2s))
    }
    self.gosh = gosh.map {
      Gosh(
        k: $0.k, subsets: $0.subsets, seed: $0.seed, first: $0.first, size: $0.size, membership: $0.membership.map { String($0) },
        estimate: numbers($0.estimate), q: numbers($0.q), i2: numbers($0.i2), h2: numbers($0.h2), tau2: numbers($0.tau2))
    }
  }

  /// The part as JSON (keys sorted: the same part gives the same bytes).
  package func encoded() throws -> Data {
    Data(try JSONOutput.bytes(self, pretty: false))
  }

  /// Reads a part file; nil when the file is not one (another JSON document, or not JSON).
  /// A FIFO, device or other non-regular file is refused unopened
  /// (``FileBytes/readRegularFile(_:missing:)``).
  package static func read(path: String) throws(InputError) -> ResamplingPartFile? {
    let data = Data(try FileBytes.readRegularFile(path))
    guard let part = try? JSONDecoder().decode(ResamplingPartFile.self, from: data), part.orrmeta_part == schema else { return nil }
    return part
  }

  /// The shard `I/N` this part is.
  package var resamplingShard: ResamplingShard? {
    guard let s = BatchShard(shard) else { return nil }
    return ResamplingShard(index: s.index, count: s.count)
  }

  /// The bootstrap part, back as the statistics module's type.
  package var bootstrapPart: BootstrapPart? {
    bootstrap.map {
      BootstrapPart(
        resamples: $0.resamples, seed: $0.seed, first: $0.first, estimates: $0.estimates.map { $0 ?? .nan },
        tau2s: $0.tau2s.map { $0 ?? .nan })
    }
  }

  /// The GOSH part, back as the statistics module's type; nil when a membership word is not a
  /// 64-bit number.
  package var goshPart: GoshPart? {
    guard let g = gosh else { return nil }
    let membership = g.membership.compactMap(UInt64.init)
    guard membership.count == g.membership.count else { return nil }
    func numbers(_ a: [Double?]) -> [Double] { a.map { $0 ?? .nan } }
    return GoshPart(
      k: g.k, subsets: g.subsets, seed: g.seed, first: g.first, size: g.size, membership: membership, estimate: numbers(g.estimate),
      q: numbers(g.q), i2: numbers(g.i2), h2: numbers(g.h2), tau2: numbers(g.tau2))
  }
}
