// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import Foundation
import MetaProportion
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports

/// The one place where errors become messages on stderr and exit codes.
enum ErrorReporting {
  /// Runs a command body; any error is printed as `orrmeta: error: …` and turned into its
  /// documented exit code.
  static func run(_ body: () throws -> Void) throws {
    do {
      try body()
    } catch let e as ExitCode {
      throw e
    } catch let e as CleanExit {
      throw e
    } catch let e as ValidationError {
      throw e
    } catch {
      let status = status(for: error)
      printError(message(for: error))
      throw status.exitCode
    }
  }

  /// The exit status of an error.
  static func status(for error: any Error) -> ExitStatus {
    switch error {
    case let e as InputError:
      if case .unreadable = e { return .noInput }
      return .dataError
    case let e as MetaAnalysisError:
      switch e {
      case .invalidStudy, .undefinedEffectSize, .noStudies: return .dataError
      case .invalidSetting: return .usage
      default: return .analysisError
      }
    case let e as AtomicFile.WriteError:
      switch e.kind {
      case .cannotCreate: return .cannotWrite
      case .io: return .ioError
      case .conflict: return .usage
      case .busy: return .busy
      }
    case let e as BatchSpecError: return e.unreadable ? .noInput : .usage
    case is BatchMergeError: return .dataError
    case is UsageError: return .usage
    case is SlurmSubmission.Failure: return .unavailable
    case let e as FileContextError: return status(for: e.underlying)
    case is JSONOutputError: return .analysisError
    default: return .analysisError
    }
  }

  /// The message for an error, naming the file where there is one.
  static func message(for error: any Error) -> String {
    switch error {
    case let e as InputError: return e.description
    case let e as MetaAnalysisError: return e.description
    case let e as AtomicFile.WriteError: return e.description
    case let e as UsageError: return e.message
    case let e as FileContextError:
      return "\(e.file)\(e.line.map { ":\($0)" } ?? ""): \(message(for: e.underlying))"
    case let e as CustomStringConvertible: return e.description
    default: return "\(error)"
    }
  }

  static func printError(_ text: String) {
    StandardError.write("orrmeta: error: \(bounded(text))\n")
  }

  /// The last guard of the promise that an error is one line under a kilobyte (Docs/robustness.md):
  /// a message that still carries a long label (up to 16,000 scalars) is cut at 900 UTF-8 bytes,
  /// on a scalar boundary, and line breaks become spaces.
  static func bounded(_ text: String) -> String {
    var out = String.UnicodeScalarView()
    var bytes = 0
    for u in text.unicodeScalars {
      bytes += UTF8.width(u)
      if bytes > 900 { return String(out) + "..." }
      out.append(u == "\n" || u == "\r" ? " " : u)
    }
    return String(out)
  }

  static func printWarning(_ text: String) {
    StandardError.write("orrmeta: warning: \(text)\n")
  }
}

/// A usage problem found after parsing (e.g. a column flag that contradicts another).
struct UsageError: Error { let message: String }

/// An analysis error tied to an input file (so the message names it, and the line of the
/// cohort it is about when there is one).
struct FileContextError: Error {
  let file: String
  let underlying: any Error
  var line: Int? = nil

  /// Wraps an error with a known line.
  init(file: String, underlying: any Error, line: Int?) {
    self.file = file; self.underlying = underlying; self.line = line
  }

  /// Wraps an analysis error, locating the cohort it names (by label) in the file.
  init(file: String, underlying: any Error, cohorts: CohortFile? = nil) {
    self.file = file
    self.underlying = underlying
    if let cohorts, let e = underlying as? MetaAnalysisError {
      var label: String? = nil
      switch e {
      case let .invalidStudy(l, _), let .undefinedEffectSize(l, _, _): label = l
      default: break
      }
      if let label, let i = cohorts.studies.firstIndex(where: { $0.label == label }), i < cohorts.lines.count {
        line = cohorts.lines[i]
      }
    }
  }
}
