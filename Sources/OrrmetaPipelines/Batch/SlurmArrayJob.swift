// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import OrrmetaIO

/// A batch as two Slurm jobs: an array whose task *I* computes shard *I*/*N*, and a merge job
/// that runs when every task has succeeded (`Docs/cluster.md`).
///
/// Pure: it only renders text and argument lists, so every script is tested without Slurm. The
/// work directory holds
///
/// ```
/// WORK/array.sbatch     the task script: orrmeta batch … --shard $SLURM_ARRAY_TASK_ID/N --resume
///                       (--exclude-path OUT --exclude-path WORK: no task reads the summaries of another)
/// WORK/merge.sbatch     orrmeta merge WORK/shards/1 … WORK/shards/N --out OUT
/// WORK/submit.sh        sbatch of both, the merge with --dependency=afterok:<array job>
/// WORK/shards/I/        the output directory of shard I
/// WORK/logs/            Slurm's output files: batch-<job>_<task>.log, merge-<job>.log
/// ```
///
/// Every path and argument is quoted for the shell (``ShellQuoting``), and resource options go
/// on sbatch's command line rather than in `#SBATCH` lines (which sbatch reads without shell
/// quoting). The text depends only on the fields, so it is the same on every run.
package struct SlurmArrayJob: Sendable, Equatable {
  /// The orrmeta executable the tasks run (an absolute path: compute nodes see the same file).
  package var executable: String
  /// The directory every task and the merge run in (rule 1 of `Docs/cluster.md`).
  package var workingDirectory: String
  /// The arguments of `orrmeta batch` that define the batch: INPUTs, `--spec` or the model and
  /// column flags. Not `--out`, `--shard`, `--jobs`, `--resume` or the Slurm options.
  package var batchArguments: [String]
  /// The merged output directory.
  package var output: String
  /// The directory of the scripts, shard outputs and logs.
  package var workDirectory: String
  /// The number of array tasks, which is the number of shards (1-based, as `--shard I/N`).
  package var tasks: Int
  /// `--jobs` of each task; nil: `$SLURM_CPUS_PER_TASK` (1 when unset).
  package var jobsPerTask: Int?
  /// `sbatch --partition` of both jobs.
  package var partition: String?
  /// `sbatch --time` of both jobs.
  package var timeLimit: String?
  /// `sbatch --cpus-per-task` of the array tasks.
  package var cpusPerTask: Int?
  /// More sbatch arguments for both jobs, after orrmeta's own (so they can override them).
  package var extraArguments: [String]

  package init(
    executable: String, workingDirectory: String, batchArguments: [String], output: String, workDirectory: String,
    tasks: Int, jobsPerTask: Int? = nil, partition: String? = nil, timeLimit: String? = nil, cpusPerTask: Int? = nil,
    extraArguments: [String] = []
  ) {
    self.executable = executable; self.workingDirectory = workingDirectory; self.batchArguments = batchArguments
    self.output = output; self.workDirectory = workDirectory; self.tasks = tasks; self.jobsPerTask = jobsPerTask
    self.partition = partition; self.timeLimit = timeLimit; self.cpusPerTask = cpusPerTask
    self.extraArguments = extraArguments
  }

  /// The work directory of an output directory when none is given: `OUT.slurm`, beside it.
  package static func defaultWorkDirectory(output: String) -> String {
    var out = output
    while out.count > 1, out.hasSuffix("/") { out.removeLast() }
    return out + ".slurm"
  }

  // MARK: Paths

  package var arrayScriptPath: String { workDirectory + "/array.sbatch" }
  package var mergeScriptPath: String { workDirectory + "/merge.sbatch" }
  package var submitScriptPath: String { workDirectory + "/submit.sh" }
  package var shardsDirectory: String { workDirectory + "/shards" }
  package var logsDirectory: String { workDirectory + "/logs" }
  /// The output directory of shard `index` (1-based).
  package func shardDirectory(_ index: Int) -> String { shardsDirectory + "/\(index)" }

  /// `--array=1-N`: shard numbers are 1-based (``BatchShard``), so task ids are too.
  package var arrayRange: String { "1-\(tasks)" }

  // MARK: sbatch arguments

  /// sbatch's arguments for the array job (with `--parsable`, which prints `id[;cluster]`).
  package var arraySubmission: [String] {
    var a = ["--parsable", "--job-name=orrmeta-batch", "--array=\(arrayRange)", "--requeue"]
    a.append("--chdir=" + workingDirectory)
    a.append("--output=" + Self.filenamePattern(logsDirectory) + "/batch-%A_%a.log")
    if let cpusPerTask { a.append("--cpus-per-task=\(cpusPerTask)") }
    a += commonOptions
    a.append(arrayScriptPath)
    return a
  }

  /// sbatch's arguments for the merge job, after the array job `arrayJobID`: it starts when
  /// every task has succeeded, and is cancelled if one cannot (`--kill-on-invalid-dep`).
  package func mergeSubmission(afterArrayJob arrayJobID: String) -> [String] {
    var a = ["--parsable", "--job-name=orrmeta-merge", "--dependency=afterok:" + arrayJobID, "--kill-on-invalid-dep=yes"]
    a.append("--chdir=" + workingDirectory)
    a.append("--output=" + Self.filenamePattern(logsDirectory) + "/merge-%j.log")
    a += commonOptions
    a.append(mergeScriptPath)
    return a
  }

  private var commonOptions: [String] {
    var a: [String] = []
    if let partition { a.append("--partition=" + partition) }
    if let timeLimit { a.append("--time=" + timeLimit) }
    return a + extraArguments
  }

  /// A directory inside sbatch's `--output` pattern: `%` is written `%%`, the pattern's own `%`.
  static func filenamePattern(_ path: String) -> String { path.replacingOccurrences(of: "%", with: "%%") }

  /// The job id in `sbatch --parsable` output (`id` or `id;cluster`, then a newline); nil when
  /// there is none.
  package static func parseJobID(_ parsable: String) -> String? {
    let line = parsable.split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
    let id = line.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
    let trimmed = id.trimmingCharacters(in: .whitespaces)
    guard !trimmed.isEmpty, trimmed.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
    return trimmed
  }

  // MARK: Scripts

  private var header: String {
    """
    #!/bin/bash
    # Generated by orrmeta \(OrrmetaVersion.current) (orrmeta batch --slurm); see Docs/cluster.md.
    # Submit with: bash \(Self.comment(ShellQuoting.quote(submitScriptPath)))
    """
  }

  /// Text for a `#` comment: a newline (which a quoted path may hold) would end the comment and
  /// make the rest of the path a command, so it is shown as `\n`.
  static func comment(_ text: String) -> String {
    text.replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r")
  }

  /// The task script: shard `$SLURM_ARRAY_TASK_ID` of N, resumable.
  package var arrayScript: String {
    let jobs = jobsPerTask.map(String.init) ?? "\"${SLURM_CPUS_PER_TASK:-1}\""
    let command =
      [ShellQuoting.quote(executable), "batch"] + batchArguments.map(ShellQuoting.quote)
      + ["--exclude-path", ShellQuoting.quote(output), "--exclude-path", ShellQuoting.quote(workDirectory)]
      + ["--out", ShellQuoting.quote(shardsDirectory + "/") + "\"$I\"", "--shard", "\"$I/$N\"", "--jobs", jobs, "--resume"]
    return header + """

      # Task I of the array computes shard I/N of the batch into \(Self.comment(ShellQuoting.quote(shardsDirectory)))/I.
      # --resume: a requeued or resubmitted task keeps the pairs it has finished and does the rest.
      set -euo pipefail
      cd \(ShellQuoting.quote(workingDirectory))
      N=\(tasks)
      I=${SLURM_ARRAY_TASK_ID:?not a task of a Slurm job array}
      status=0
      \(command.joined(separator: " ")) || status=$?
      # 3: the shard finished and some pairs failed (see its errors.csv). The shard is complete, so
      # the task succeeds and the merge (afterok) runs; it reports the failures.
      if [ "$status" -eq 3 ]; then status=0; fi
      exit "$status"

      """
  }

  /// The merge script: every shard directory into the output directory.
  package var mergeScript: String {
    header + """

      # Runs after every task of the array has succeeded (sbatch --dependency=afterok).
      set -euo pipefail
      cd \(ShellQuoting.quote(workingDirectory))
      N=\(tasks)
      shards=()
      for ((i = 1; i <= N; i++)); do shards+=(\(ShellQuoting.quote(shardsDirectory + "/"))"$i"); done
      status=0
      \(ShellQuoting.quote(executable)) merge "${shards[@]}" --out \(ShellQuoting.quote(output)) || status=$?
      # 3: merged, some pairs failed (see \(Self.comment(ShellQuoting.quote(output)))/errors.csv): the batch's normal outcome.
      if [ "$status" -eq 3 ]; then status=0; fi
      exit "$status"

      """
  }

  /// The submission script: the same sbatch calls as `orrmeta batch --slurm --submit`.
  package var submitScript: String {
    let dependencyPlaceholder = "\u{0}ARRAY\u{0}"
    let merge = mergeSubmission(afterArrayJob: dependencyPlaceholder).map { word in
      word.contains(dependencyPlaceholder)
        ? "\"" + word.replacingOccurrences(of: dependencyPlaceholder, with: "$array") + "\"" : ShellQuoting.quote(word)
    }
    return """
      #!/bin/bash
      # Generated by orrmeta \(OrrmetaVersion.current) (orrmeta batch --slurm); see Docs/cluster.md.
      # Submits the array job (\(tasks) task\(tasks == 1 ? "" : "s")), then the merge job, which starts when every task has succeeded.
      set -euo pipefail
      cd \(ShellQuoting.quote(workingDirectory))
      mkdir -p \(ShellQuoting.quote(logsDirectory)) \(ShellQuoting.quote(shardsDirectory))
      array=$(sbatch \(ShellQuoting.commandLine(arraySubmission)))
      array=${array%%;*}
      merge=$(sbatch \(merge.joined(separator: " ")))
      merge=${merge%%;*}
      echo "submitted array job $array (\(tasks) task\(tasks == 1 ? "" : "s")) and merge job $merge"
      echo "follow with: squeue -j $array,$merge; afterwards: sacct -j $array,$merge"

      """
  }
}
