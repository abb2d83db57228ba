// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import Foundation
import OrrmetaIO
import OrrmetaPipelines
import OrrmetaReports

extension Orrmeta.Batch {
  /// `--slurm`: writes the array job, the merge job and their submission script; with
  /// `--submit`, submits them.
  func runSlurm() throws {
    let workDirectory = SlurmArrayJob.defaultWorkDirectory(output: out)
    // The same checks as a run, before anything is written: a bad spec or a missing INPUT is
    // found here, not in every task.
    let analyses = try analyses()
    let files = try BatchInputs.expand(inputs, excluding: [out, workDirectory] + excludePath)
    if files.isEmpty {
      throw InputError.unreadable(file: inputs.joined(separator: " "), reason: "no .csv files found")
    }
    let pairs = files.count * analyses.count
    let job = SlurmArrayJob(
      executable: Self.executablePath(), workingDirectory: FileManager.default.currentDirectoryPath,
      batchArguments: Self.batchArguments(from: CommandLine.arguments), output: out, workDirectory: workDirectory,
      tasks: slurm.arraySize ?? min(pairs, 100), jobsPerTask: jobs, partition: slurm.partition, timeLimit: slurm.time,
      cpusPerTask: slurm.cpusPerTask, extraArguments: slurm.sbatchArg)
    if job.tasks > pairs {
      ErrorReporting.printWarning("--array-size \(job.tasks) is more than the \(pairs) file × analysis pairs: \(job.tasks - pairs) tasks will have nothing to do")
    }
    try job.writeFiles()
    let summary = "\(job.tasks) task\(job.tasks == 1 ? "" : "s") over \(files.count) file\(files.count == 1 ? "" : "s") × \(analyses.count) analys\(analyses.count == 1 ? "is" : "es")"
    guard slurm.submit else {
      ErrorReporting.printNote("wrote \(job.arrayScriptPath) (\(summary)) and \(job.mergeScriptPath)")
      print("submit with: bash \(ShellQuoting.quote(job.submitScriptPath))")
      return
    }
    let array = try SlurmSubmission.submit(job.arraySubmission)
    let merge = try SlurmSubmission.submit(job.mergeSubmission(afterArrayJob: array))
    print("submitted array job \(array) (\(summary)) and merge job \(merge)")
    print("shards: \(job.shardsDirectory)/1 … \(job.tasks); logs: \(job.logsDirectory); merged output: \(out)")
    print("follow with: squeue -j \(array),\(merge); afterwards: sacct -j \(array),\(merge)")
  }

  /// The command line of the tasks' `orrmeta batch`: this command's arguments without the
  /// options that configure the jobs rather than the batch (`--out`, `--jobs`, `--resume` and
  /// the Slurm options; the script gives each task its own).
  static func batchArguments(from commandLine: [String]) -> [String] {
    CommandLineArguments.after(
      "batch", in: commandLine, dropping: SlurmOptions.names + [("--out", true), ("--output", true), ("-o", true), ("--jobs", true), ("--resume", false)])
  }

  /// This executable's absolute path: what the tasks run.
  static func executablePath() -> String {
    if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
    let argument0 = CommandLine.arguments.first ?? "orrmeta"
    if argument0.hasPrefix("/") || !argument0.contains("/") { return argument0 }
    return FileManager.default.currentDirectoryPath + "/" + argument0
  }
}

/// Submission of a job with `sbatch --parsable`.
enum SlurmSubmission {
  /// sbatch could not be run, refused the job, or printed no job id.
  struct Failure: Error, CustomStringConvertible {
    let description: String
  }

  /// Runs `sbatch ARGUMENTS` (found on PATH) and returns the job id it prints.
  static func submit(_ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["sbatch"] + arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    do { try process.run() } catch { throw Failure(description: "cannot run sbatch: \(error.localizedDescription)") }
    let group = DispatchGroup()
    nonisolated(unsafe) var errData = Data()
    group.enter()
    DispatchQueue.global().async {
      errData = err.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    let stdout = String(decoding: outData, as: UTF8.self)
    let stderr = String(decoding: errData, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    if process.terminationStatus == 127 { throw Failure(description: "sbatch not found on PATH: is this a Slurm login node?") }
    guard process.terminationStatus == 0 else {
      throw Failure(description: "sbatch refused the job (exit \(process.terminationStatus))\(stderr.isEmpty ? "" : ": " + stderr)")
    }
    guard let id = SlurmArrayJob.parseJobID(stdout) else {
      throw Failure(description: "sbatch printed no job id: \(stdout.trimmingCharacters(in: .whitespacesAndNewlines))")
    }
    return id
  }
}
