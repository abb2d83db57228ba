// SPDX-License-Identifier: GPL-3.0-or-later

/// orrmeta's version, written into every JSON output.
package enum OrrmetaVersion {
  package static let current = "0.1.0"
}
