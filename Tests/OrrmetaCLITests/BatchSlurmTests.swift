// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports
import Testing
import _TestSupport

/// `orrmeta batch --slurm`: the generated scripts, run here task by task as Slurm would run
/// them, give the bytes of one run; `--submit` calls sbatch as documented. (The same against a
/// real Slurm: `scripts/slurm-check`.)
@Suite struct BatchSlurmTests {
  /// Runs `bash -c SCRIPT` in `directory` with `environment` added; returns status and output.
  static func bash(_ script: String, in directory: String, environment: [String: String] = [:]) throws -> (status: Int32, stdout: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/bash")
    p.arguments = ["-c", script]
    p.currentDirectoryURL = URL(fileURLWithPath: directory)
    p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let out = Pipe()
    p.standardOutput = out
    p.standardError = FileHandle.nullDevice
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  @Test func generatedTasksAndMergeGiveTheBytesOfOneRun() throws {
    let dir = try TemporaryDirectory("slurm")
    defer { dir.remove() }
    _ = try writeCorpus(in: dir, directory: "corpus $1", count: 11)
    try dir.write("corpus $1/bad.csv", "study,events,n,arm\ns1,3,10,a\ns2,4\n")
    // The one-process run first: the Slurm run writes inside the input directory, whose
    // summaries no task may read.
    let one = try runOrrmeta(["batch", "corpus $1", "--test", "knha", "--out", "one", "--quiet"], directory: dir.path)
    #expect(one.status == 3)
    let out = "corpus $1/out 'x'"
    let gen = try runOrrmeta(["batch", "corpus $1", "--test", "knha", "--out", out, "--slurm", "--array-size", "3", "--jobs", "2"], directory: dir.path)
    #expect(gen.status == 0, "\(gen.stderr)")
    #expect(gen.stdout == #"submit with: bash 'corpus $1/out '\''x'\''.slurm/submit.sh'"# + "\n")
    let work = out + ".slurm"
    let array = try String(decoding: dir.read(work + "/array.sbatch"), as: UTF8.self)
    // The tasks get the batch's own arguments, not --out, --jobs or the Slurm options.
    let quotedOut = #"'corpus $1/out '\''x'\'''"#
    let quotedShards = #"'corpus $1/out '\''x'\''.slurm/shards/'"#
    #expect(
      array.contains(
        " batch 'corpus $1' --test knha --exclude-path \(quotedOut) --exclude-path 'corpus $1/out '\\''x'\\''.slurm' --out \(quotedShards)\"$I\" --shard \"$I/$N\" --jobs 2 --resume"
      ))
    for name in ["logs", "shards"] { #expect(FileManager.default.fileExists(atPath: dir.path + "/" + work + "/" + name)) }

    func task(_ i: Int) throws -> Int32 {
      try Self.bash("bash \(ShellQuoting.quote(work + "/array.sbatch"))", in: dir.path, environment: ["SLURM_ARRAY_TASK_ID": "\(i)"]).status
    }
    func merge() throws -> Int32 { try Self.bash("bash \(ShellQuoting.quote(work + "/merge.sbatch"))", in: dir.path).status }
    for i in 1...3 { #expect(try task(i) == 0, "task \(i)") }  // the shard with bad.csv exits 3, which the task maps to 0
    #expect(try merge() == 0)
    // A task run again after the merge (requeued) resumes and still sees the same inputs.
    #expect(try task(2) == 0)
    #expect(try merge() == 0)

    let files = filesUnder(dir.path + "/one")
    #expect(files == filesUnder(dir.path + "/" + out))
    for f in files { #expect(try dir.read("one/" + f) == dir.read(out + "/" + f), "\(f) differs") }
  }

  @Test func submitRunsSbatchTwiceAndPrintsTheJobIDs() throws {
    let dir = try TemporaryDirectory("slurm-submit")
    defer { dir.remove() }
    _ = try writeCorpus(in: dir, count: 4)
    try dir.write(
      "bin/sbatch",
      """
      #!/bin/bash
      n=$(($(cat calls 2>/dev/null || echo 0) + 1)); echo $n > calls
      printf '%s\\n' "$@" > call$n
      echo "$((700 + n));cluster"
      """)
    _ = try Self.bash("chmod +x bin/sbatch", in: dir.path)
    let r = try Self.bash(
      "\(ShellQuoting.quote(orrmetaExecutable)) batch corpus --out out --slurm --submit --partition short --time 00:30:00 --sbatch-arg --mem=2G",
      in: dir.path, environment: ["PATH": dir.path + "/bin:/usr/bin:/bin"])
    #expect(r.status == 0)
    #expect(r.stdout.hasPrefix("submitted array job 701 (4 tasks over 4 files × 1 analysis) and merge job 702\n"))
    #expect(r.stdout.contains("follow with: squeue -j 701,702; afterwards: sacct -j 701,702\n"))
    let merge = try String(decoding: dir.read("call2"), as: UTF8.self)
    #expect(merge.contains("--dependency=afterok:701\n"))
    #expect(merge.contains("--partition=short\n--time=00:30:00\n--mem=2G\nout.slurm/merge.sbatch\n"))
    let array = try String(decoding: dir.read("call1"), as: UTF8.self)
    #expect(array.contains("--array=1-4\n"))
  }

  @Test func sbatchFailureExits69AndSlurmOptionsNeedSlurm() throws {
    let dir = try TemporaryDirectory("slurm-usage")
    defer { dir.remove() }
    _ = try writeCorpus(in: dir, count: 2)
    try dir.write("bin/sbatch", "#!/bin/bash\necho 'sbatch: error: invalid partition specified: nope' >&2\nexit 1\n")
    _ = try Self.bash("chmod +x bin/sbatch", in: dir.path)
    let refused = try Self.bash(
      "\(ShellQuoting.quote(orrmetaExecutable)) batch corpus --out out --slurm --submit --partition nope 2>err; echo; cat err",
      in: dir.path, environment: ["PATH": dir.path + "/bin:/usr/bin:/bin"])
    #expect(refused.stdout.contains("orrmeta: error: sbatch refused the job (exit 1): sbatch: error: invalid partition specified: nope"))
    let status = try Self.bash(
      "\(ShellQuoting.quote(orrmetaExecutable)) batch corpus --out out2 --slurm --submit 2>/dev/null", in: dir.path,
      environment: ["PATH": dir.path + "/bin:/usr/bin:/bin"]
    ).status
    #expect(status == 69)

    for args in [["--submit"], ["--array-size", "3"], ["--slurm", "--shard", "1/2"], ["--slurm", "--array-size", "0"]] {
      let r = try runOrrmeta(["batch", "corpus", "--out", "o"] + args, directory: dir.path)
      #expect(r.status == 64, "\(args): \(r.stderr)")
    }
    #expect(!FileManager.default.fileExists(atPath: dir.path + "/o.slurm"))
  }
}
