// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser

/// orrmeta's documented exit codes (see `Docs/cli.md`). Values follow BSD `sysexits.h`.
package enum ExitStatus: Int32, CaseIterable, Sendable {
  /// Success.
  case success = 0
  /// A batch run finished, but at least one file × analysis failed (the rest completed).
  case partialFailure = 3
  /// Bad command-line usage: unknown flag, invalid value (EX_USAGE).
  case usage = 64
  /// Input data error: malformed CSV, invalid or impossible values (EX_DATAERR).
  case dataError = 65
  /// An input file does not exist or cannot be read (EX_NOINPUT).
  case noInput = 66
  /// A service orrmeta needs is unavailable: `batch --slurm --submit` cannot run sbatch, or
  /// sbatch refused the job (EX_UNAVAILABLE).
  case unavailable = 69
  /// The analysis failed: the model cannot be fitted to valid data (EX_SOFTWARE).
  case analysisError = 70
  /// An output file cannot be written (EX_CANTCREAT).
  case cannotWrite = 73
  /// Writing an output failed part-way: full disk, closed pipe, I/O error (EX_IOERR).
  case ioError = 74
  /// A batch or merge output directory is locked by another running orrmeta (EX_TEMPFAIL).
  case busy = 75
  /// A batch was stopped by SIGINT or SIGTERM; its summary lists the pairs that finished
  /// (128 + SIGINT, the shell's convention).
  case interrupted = 130

  /// The exit code for argument-parser.
  package var exitCode: ExitCode { ExitCode(rawValue) }

  /// One line per code, for help texts.
  package static let summary = "0 success; 3 batch finished with failures; 64 usage error; 65 input data error; 66 input file missing or unreadable; 69 sbatch unavailable (batch --slurm --submit); 70 analysis error; 73 output not writable; 74 write error (disk full, closed pipe); 75 output directory in use by another run; 130 batch interrupted."
}
