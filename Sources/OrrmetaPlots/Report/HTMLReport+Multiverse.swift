// SPDX-License-Identifier: GPL-3.0-or-later

import OrrmetaReports

extension HTMLReport {
  /// The multiverse section (`report --analyses multiverse`): the summary, the flags and the
  /// specification curve of `orrmeta multiverse` (the full table is that command's output).
  var multiverseSection: MarkupNode? {
    guard let m = multiverse else { return nil }
    let s = m.summary
    func pick(_ p: MultiverseReport.Pick?) -> String {
      guard let p else { return "NA" }
      return "#\(p.id): \(Fmt.pct(p.proportion, 2)) [\(Fmt.pct(p.ci_lower, 2)), \(Fmt.pct(p.ci_upper, 2))]"
    }
    let pairs: [(String, String)] = [
      ("Specifications", "\(s.fitted) of \(s.specifications) fitted (\(s.failed) failed, \(s.not_converged) not converged)"),
      ("Pooled proportion", "median \(Fmt.pct(s.proportion_median, 2)), range \(Fmt.pct(s.proportion_min, 2)) – \(Fmt.pct(s.proportion_max, 2))"),
      ("Widest CI", pick(s.widest_ci)),
      ("Narrowest CI", pick(s.narrowest_ci)),
    ]
    var kids: [MarkupNode] = [
      HTML.text("p", "Every specification of orrmeta multiverse (measures \(m.settings.measures.joined(separator: ", ")); estimators \(m.settings.methods.joined(separator: ", ")); tests \(m.settings.tests.joined(separator: ", ")); simple pooling with each binomial CI; GLMM), each equal to orrmeta pool with the same settings."),
      HTML.keyValue(pairs),
    ]
    if !m.flags.isEmpty {
      kids.append(HTML.el("ul", [("class", "flags")], m.flags.map { f in
        HTML.el("li", [], [HTML.text("code", f.code), .text(" " + f.message)])
      }))
    }
    kids.append(HTML.figure(SpecificationCurvePlot.render(m), caption: "Specification curve: the pooled proportion of every specification with its CI, sorted, with the choices underneath (Simonsohn et al. 2020)."))
    return HTML.section("multiverse", "Multiverse of specifications", kids)
  }
}
