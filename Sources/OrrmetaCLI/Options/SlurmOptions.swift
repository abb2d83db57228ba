// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser

/// `batch --slurm …`: the batch as a Slurm array job and a merge job (`Docs/cluster.md`).
struct SlurmOptions: ParsableArguments {
  @Flag(help: "Do not run the batch here: write a Slurm array job (task I computes --shard I/N, resumably) and a merge job into DIR.slurm (see Docs/cluster.md).")
  var slurm = false

  @Option(help: ArgumentHelp("With --slurm: the number of array tasks, which is the number of shards (default: the number of file × analysis pairs, at most 100).", valueName: "n"))
  var arraySize: Int?

  @Option(help: "With --slurm: the partition of both jobs (sbatch --partition).")
  var partition: String?

  @Option(help: "With --slurm: the time limit of each task and of the merge job (sbatch --time, e.g. 01:00:00).")
  var time: String?

  @Option(help: ArgumentHelp("With --slurm: the CPUs of each task (sbatch --cpus-per-task); the task runs that many files at once.", valueName: "c"))
  var cpusPerTask: Int?

  @Option(parsing: .unconditionalSingleValue, help: ArgumentHelp("With --slurm: one more sbatch argument for both jobs (repeatable), e.g. --sbatch-arg=--mem=4G.", valueName: "arg"))
  var sbatchArg: [String] = []

  @Flag(help: "With --slurm: submit both jobs with sbatch and print their ids (exit 69 when sbatch cannot be run or refuses a job).")
  var submit = false

  /// The options of this group, with whether each takes a value: they configure the jobs, so
  /// they are not passed on to the tasks' `orrmeta batch`.
  static let names: [(name: String, takesValue: Bool)] = [
    ("--slurm", false), ("--array-size", true), ("--partition", true), ("--time", true),
    ("--cpus-per-task", true), ("--sbatch-arg", true), ("--submit", false),
  ]

  func validate() throws {
    if !slurm {
      let given: [(String, Bool)] = [
        ("--array-size", arraySize != nil), ("--partition", partition != nil), ("--time", time != nil),
        ("--cpus-per-task", cpusPerTask != nil), ("--sbatch-arg", !sbatchArg.isEmpty), ("--submit", submit),
      ]
      if let flag = given.first(where: { $0.1 })?.0 { throw ValidationError("\(flag) needs --slurm") }
      return
    }
    if let arraySize, arraySize < 1 { throw ValidationError("--array-size \(arraySize) is invalid; expected a whole number >= 1") }
    if let cpusPerTask, cpusPerTask < 1 { throw ValidationError("--cpus-per-task \(cpusPerTask) is invalid; expected a whole number >= 1") }
    for (flag, value) in [("--partition", partition), ("--time", time)] {
      if let value, value.isEmpty || value.contains(where: \.isNewline) {
        throw ValidationError("\(flag) '\(value)' is invalid; expected a non-empty value on one line")
      }
    }
  }
}
