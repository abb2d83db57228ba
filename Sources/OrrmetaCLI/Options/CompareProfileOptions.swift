// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import MetaProportion

/// The profile flags of `orrmeta compare` (and batch specs with `type = "compare"`): whose
/// defaults the comparison follows, the random-effects estimator next to MH or Peto under the
/// `meta` profile, and the stopping rules. The one owner of the comparison's profile defaults.
struct CompareProfileOptions: ParsableArguments {
  @Option(help: "Defaults of another tool: orrmeta (default), metafor (its default control), meta (R meta metabin: the common-effect and the random-effects model side by side, metabin's zero-cell rules). See Docs/profiles.md.")
  var profile: AnalysisProfile = .orrmeta
  @Option(name: .customLong("tau2-method"), help: "--profile meta with --method MH or Peto: the tau^2 estimator of the random-effects model (meta's method.tau): DL, HE, HS, SJ, ML, REML (default), EB, PM.")
  var tau2MethodName: String?

  /// `--tau2-method` read as a comparison method (checked in ``apply(to:measureGiven:)``).
  var tau2Method: ComparisonMethod? { tau2MethodName.flatMap { ComparisonMethod(argument: $0) } }
  @Option(name: .customLong("convergence"), help: "Stopping rules of the tau^2 iterations: exact (default) or metafor (metafor's default control; the default under --profile metafor and meta).")
  var convergence: Convergence?

  /// Applies the profile to settings built from the model flags; `measureGiven`: whether
  /// `--measure` was given (an explicit flag wins and is not listed as a change).
  func apply(to s: inout ComparisonSettings, measureGiven: Bool) throws {
    if profile == .stata {
      throw UsageError(message: "--profile stata is not available for compare (Stata's metaprop pools single proportions); use orrmeta, metafor or meta")
    }
    if tau2MethodName != nil, profile != .meta {
      throw UsageError(message: "--tau2-method applies to --profile meta only (the random-effects model next to MH or Peto, meta's method.tau); without it choose the tau^2 method with --method")
    }
    if let name = tau2MethodName, tau2Method?.tauSquaredMethod?.isRandomEffects != true {
      throw UsageError(message: "--tau2-method must be a random-effects tau^2 estimator (DL, HE, HS, SJ, ML, REML, EB, PM), got \(name)")
    }
    s.profile = profile
    s.randomMethod = tau2Method?.tauSquaredMethod
    s.control = (convergence ?? profile.convergence).control
    if profile == .meta {
      do { _ = try MetaBinAnalysis.methods(s) } catch { throw UsageError(message: "--profile meta: \(error.description)") }
    }
    s.profileChanges = changes(s, measureGiven: measureGiven)
  }

  /// Each default the profile changed from orrmeta's, in words (`settings.profile_changes`).
  func changes(_ s: ComparisonSettings, measureGiven: Bool) -> [String] {
    var out: [String] = []
    if profile == .meta {
      if !measureGiven { out.append("measure \(profile.comparisonMeasure.rawValue) (orrmeta: \(AnalysisProfile.orrmeta.comparisonMeasure.rawValue))") }
      if s.method == .MH || s.method == .Peto, tau2Method == nil {
        out.append("random-effects model \(MetaBinAnalysis.defaultRandomMethod.rawValue) next to \(s.method.rawValue) (orrmeta: \(s.method.rawValue) only)")
      }
      out.append("per-trial outcomes and \(s.method == .MH ? "Mantel-Haenszel tables" : "fits") with metabin's increments (incr \(s.add), method.incr \(s.to.rawValue), allstudies \(s.drop00 == false ? "TRUE" : "FALSE")) (orrmeta: escalc's, MH on the uncorrected counts)")
      out.append("prediction interval t(k-1) (orrmeta: metafor predict)")
      out.append("I^2 and H from Q with test-based CIs (orrmeta: tau^2-based I^2)")
    }
    if convergence == nil, profile.convergence != .exact { out.append("convergence \(profile.convergence.rawValue) (orrmeta: exact)") }
    return out
  }
}
