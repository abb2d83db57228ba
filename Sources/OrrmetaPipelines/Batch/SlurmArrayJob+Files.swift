// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import OrrmetaIO

extension SlurmArrayJob {
  /// Creates the work directory with its `logs/` and `shards/` (Slurm does not create the
  /// directory of an output file: a task would fail before it starts) and writes the three
  /// scripts, each atomically.
  package func writeFiles() throws(AtomicFile.WriteError) {
    for directory in [logsDirectory, shardsDirectory] {
      do {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
      } catch {
        throw AtomicFile.WriteError(path: directory, reason: "cannot create directory: \(error.localizedDescription)")
      }
    }
    try AtomicFile.write(arrayScript, to: arrayScriptPath)
    try AtomicFile.write(mergeScript, to: mergeScriptPath)
    try AtomicFile.write(submitScript, to: submitScriptPath)
  }
}
