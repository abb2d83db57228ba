// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import OrrmetaPipelines

/// `--layout nested|flat`.
extension BatchLayout.Style: ExpressibleByArgument {}
