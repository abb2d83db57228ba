// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import OrrmetaIO
import OrrmetaPipelines
import Testing

/// The generated Slurm scripts and sbatch arguments, without Slurm.
@Suite struct SlurmArrayJobTests {
  static let awkward = "/data/ORR 2026/it's \"$HOME\" `x` \\ 100%\nnext"

  static func job(tasks: Int = 4, work: String = "out.slurm", extra: [String] = []) -> SlurmArrayJob {
    SlurmArrayJob(
      executable: "/opt/orrmeta/bin/orrmeta", workingDirectory: "/home/a b", batchArguments: ["data dir", "--spec", "a's.toml"],
      output: "out", workDirectory: work, tasks: tasks, partition: "short", timeLimit: "01:00:00", cpusPerTask: 8,
      extraArguments: extra)
  }

  /// Runs `bash -c SCRIPT` and returns its standard output.
  static func bash(_ script: String, environment: [String: String] = [:]) throws -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/bash")
    p.arguments = ["-c", script]
    p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let out = Pipe()
    p.standardOutput = out
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
  }

  @Test func quotedWordsExpandToThemselvesInBash() throws {
    let words = [Self.awkward, "", "plain-word_1.csv", "a b", "'", "''", "$(touch /nonexistent)", "~", "*", "-n", "=x", "é ü"]
    let output = try Self.bash("printf '%s\\0' " + ShellQuoting.commandLine(words))
    #expect(output.split(separator: "\0", omittingEmptySubsequences: false).dropLast().map(String.init) == words)
    #expect(ShellQuoting.quote("data/a.csv") == "data/a.csv")
    #expect(ShellQuoting.quote("it's") == #"'it'\''s'"#)
    #expect(ShellQuoting.quote("$x") == "'$x'")
    #expect(ShellQuoting.quote("") == "''")
  }

  @Test func arrayIsOneBasedAndCoversEveryShard() {
    for n in [1, 3, 16] {
      let j = Self.job(tasks: n)
      #expect(j.arrayRange == "1-\(n)")
      #expect(j.arraySubmission.contains("--array=1-\(n)"))
      #expect(j.arrayScript.contains("\nN=\(n)\n"))
      #expect(j.mergeScript.contains("\nN=\(n)\n"))
      // Task ids are the 1-based shard numbers of --shard I/N.
      for i in 1...n { #expect(BatchShard("\(i)/\(n)") != nil) }
      #expect(BatchShard("0/\(n)") == nil && BatchShard("\(n + 1)/\(n)") == nil)
    }
  }

  @Test func arrayScriptRunsShardIOfNResumably() throws {
    let j = Self.job()
    let script = j.arrayScript
    #expect(script.hasPrefix("#!/bin/bash\n"))
    #expect(script.contains("cd '/home/a b'\n"))
    #expect(
      script.contains(
        #"/opt/orrmeta/bin/orrmeta batch 'data dir' --spec 'a'\''s.toml' --exclude-path out --exclude-path out.slurm --out out.slurm/shards/"$I" --shard "$I/$N" --jobs "${SLURM_CPUS_PER_TASK:-1}" --resume || status=$?"#
      ))
    #expect(script.contains("if [ \"$status\" -eq 3 ]; then status=0; fi\nexit \"$status\"\n"))
    var fixed = j
    fixed.jobsPerTask = 2
    #expect(fixed.arrayScript.contains("--jobs 2 --resume"))
    // The task's command line, as bash sees it for task 3.
    let echoed = try Self.bash(
      script.replacingOccurrences(of: "cd '/home/a b'\n", with: "")
        .replacingOccurrences(of: "/opt/orrmeta/bin/orrmeta batch", with: "printf '%s\\n' batch"),
      environment: ["SLURM_ARRAY_TASK_ID": "3", "SLURM_CPUS_PER_TASK": "8"])
    #expect(echoed == ["batch", "data dir", "--spec", "a's.toml", "--exclude-path", "out", "--exclude-path", "out.slurm", "--out", "out.slurm/shards/3", "--shard", "3/4", "--jobs", "8", "--resume", ""].joined(separator: "\n"))
    // A work directory with a newline, quotes, `$`, a backquote and a backslash.
    let awkward = Self.job(work: Self.awkward).arrayScript
    #expect(awkward.contains("# Submit with: bash '/data/ORR 2026/it'\\''s \"$HOME\" `x` \\ 100%\\nnext/submit.sh'\n"))
    let words = try Self.bash(
      awkward.replacingOccurrences(of: "cd '/home/a b'\n", with: "")
        .replacingOccurrences(of: "/opt/orrmeta/bin/orrmeta batch", with: "printf '%s\\0' batch"),
      environment: ["SLURM_ARRAY_TASK_ID": "2"]
    ).split(separator: "\0").map(String.init)
    #expect(words == ["batch", "data dir", "--spec", "a's.toml", "--exclude-path", "out", "--exclude-path", Self.awkward, "--out", Self.awkward + "/shards/2", "--shard", "2/4", "--jobs", "1", "--resume"])
  }

  @Test func mergeScriptListsEveryShardOnce() throws {
    let j = Self.job(tasks: 3, work: Self.awkward)
    let echoed = try Self.bash(
      j.mergeScript.replacingOccurrences(of: "cd '/home/a b'\n", with: "")
        .replacingOccurrences(of: "/opt/orrmeta/bin/orrmeta merge", with: "printf '%s\\0' merge"))
    let words = echoed.split(separator: "\0").map(String.init)
    #expect(words == ["merge", Self.awkward + "/shards/1", Self.awkward + "/shards/2", Self.awkward + "/shards/3", "--out", "out"])
  }

  @Test func mergeDependsOnTheArrayWithAfterok() {
    let args = Self.job(extra: ["--mem=4G"]).mergeSubmission(afterArrayJob: "4711")
    #expect(
      args == [
        "--parsable", "--job-name=orrmeta-merge", "--dependency=afterok:4711", "--kill-on-invalid-dep=yes", "--chdir=/home/a b",
        "--output=out.slurm/logs/merge-%j.log", "--partition=short", "--time=01:00:00", "--mem=4G", "out.slurm/merge.sbatch",
      ])
    #expect(
      Self.job(extra: ["--mem=4G"]).arraySubmission == [
        "--parsable", "--job-name=orrmeta-batch", "--array=1-4", "--requeue", "--chdir=/home/a b",
        "--output=out.slurm/logs/batch-%A_%a.log", "--cpus-per-task=8", "--partition=short", "--time=01:00:00", "--mem=4G",
        "out.slurm/array.sbatch",
      ])
  }

  @Test func percentInTheWorkDirectoryIsEscapedInSlurmsFilenamePattern() {
    let j = Self.job(work: "100%/w")
    #expect(j.arraySubmission.contains("--output=100%%/w/logs/batch-%A_%a.log"))
    #expect(j.arraySubmission.last == "100%/w/array.sbatch")
  }

  @Test func submitScriptPassesTheArrayIdToTheMergesDependency() throws {
    let j = Self.job(work: Self.awkward)
    let script = j.submitScript
    #expect(script.contains(#""--dependency=afterok:$array""#))
    // Run it with a fake sbatch that records its arguments and answers like --parsable.
    let dir = FileManager.default.temporaryDirectory.path + "/orrmeta-sbatch-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try Data(
      """
      #!/bin/bash
      n=$(($(cat "\(dir)/count" 2>/dev/null || echo 0) + 1)); echo $n > "\(dir)/count"
      printf '%s\\0' "$@" > "\(dir)/call$n"
      echo "$((100 + n));cluster"
      """.utf8
    ).write(to: URL(fileURLWithPath: dir + "/sbatch"))
    _ = try Self.bash("chmod +x '\(dir)/sbatch'")
    let output = try Self.bash(
      script.replacingOccurrences(of: "cd '/home/a b'\n", with: "cd '\(dir)'\n"), environment: ["PATH": dir + ":/usr/bin:/bin"])
    #expect(output.contains("submitted array job 101 (4 tasks) and merge job 102"))
    func call(_ n: Int) throws -> [String] {
      try String(decoding: Data(contentsOf: URL(fileURLWithPath: dir + "/call\(n)")), as: UTF8.self).split(separator: "\0").map(String.init)
    }
    #expect(try call(1) == j.arraySubmission)
    #expect(try call(2) == j.mergeSubmission(afterArrayJob: "101"))
  }

  @Test func parsableOutputGivesTheJobID() {
    #expect(SlurmArrayJob.parseJobID("4711\n") == "4711")
    #expect(SlurmArrayJob.parseJobID("4711;cluster-a\n") == "4711")
    #expect(SlurmArrayJob.parseJobID("sbatch: warning: x\n42\n") == "42")
    #expect(SlurmArrayJob.parseJobID("") == nil)
    #expect(SlurmArrayJob.parseJobID("Submitted batch job 12\n") == nil)
  }

  @Test func scriptsAreDeterministic() {
    #expect(Self.job().arrayScript == Self.job().arrayScript)
    #expect(Self.job().submitScript == Self.job().submitScript)
    #expect(SlurmArrayJob.defaultWorkDirectory(output: "runs/out//") == "runs/out.slurm")
  }
}
