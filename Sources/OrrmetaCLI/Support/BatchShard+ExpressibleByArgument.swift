// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports

/// `--shard I/N`.
extension BatchShard: ExpressibleByArgument {
  package init?(argument: String) { self.init(argument) }
}
