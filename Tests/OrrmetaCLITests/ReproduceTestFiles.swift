// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import _TestSupport

/// Writes `text` to `name` in a fresh temporary directory and returns the path.
func writeTemporaryFile(_ name: String, _ text: String) throws -> String {
  let path = try temporaryDirectory("orrmeta-reproduce-test") + "/" + name
  try text.write(toFile: path, atomically: true, encoding: .utf8)
  return path
}
