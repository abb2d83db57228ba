// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import MetaProportion
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports

extension Orrmeta {
  /// `orrmeta check FILE`: are a publication's rounded figures consistent with whole numbers?
  struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "check",
      abstract: "Check published figures: which whole numbers of responders give the printed percentages and CIs.",
      discussion: """
        FILE is an orrmeta-published/1 TOML file (Docs/cli.md). For each proportion with a reported N it lists the responder counts whose percentage rounds to the printed one (a GRIM-style test), and which binomial CI methods on x/N (Clopper-Pearson, Wilson, Wald, Agresti-Coull, Jeffreys, Wilson with continuity correction) give the printed CI. Two subgroups that split a proportion are solved together for their unknown sizes. The exit status is 0 whether or not every figure is reproduced; read the verdicts.

        Examples:
          orrmeta check Fixtures/alk-nsclc/published.toml
          orrmeta check Fixtures/reference-trials/published.toml --format json
        """)

    @Argument(help: "Published-figures TOML file.")
    var file: String

    @OptionGroup var outputOptions: SummaryOutputOptions

    func run() throws {
      try ErrorReporting.run {
        let figures = try PublishedFigures.read(path: file)
        let check: PublishedCheck
        do {
          check = try PublishedCheck.run(figures)
        } catch {
          throw FileContextError(file: file, underlying: error)
        }
        let report = check.report
        let text = outputOptions.format == .json ? try JSONOutput.encode(report) : TerminalText.safe(CheckTextReport.render(report))
        try outputOptions.emit(text, inputs: [file])
      }
    }
  }
}
