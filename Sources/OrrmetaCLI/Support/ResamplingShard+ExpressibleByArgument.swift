// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import MetaProportion
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports

/// `sensitivity --shard I/N`: written as `batch --shard`.
extension ResamplingShard: ExpressibleByArgument {
  public init?(argument: String) {
    guard let s = BatchShard(argument) else { return nil }
    self.init(index: s.index, count: s.count)
  }
}
