# SPDX-License-Identifier: GPL-3.0-or-later
"""Python front end to orrmeta, the engine for meta-analysis of proportions.

Each function runs one command of the ``orrmeta`` binary (``binary=``, the ``ORRMETA_BINARY``
environment variable, or PATH) on a list of dicts, a pandas DataFrame or a CSV path, and returns
its JSON as a :class:`Result` (a dict: ``r["pooled"]["proportion"]``). Keyword arguments are the
command's flags: ``method="DL"`` is ``--method DL``, ``leave_one_out=True`` is
``--leave-one-out``; metafor's and meta's names are accepted where they mean the same
(``subgroup`` for ``--by``, ``studlab`` for ``--label-column``, ``sm="PLOGIT"``).
A new command of the binary is one function that calls :func:`_command`.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from typing import Any, Dict, Mapping, Optional, Sequence

from ._result import Result
from ._run import OrrmetaError, check_version, find_binary, flags, run, write_csv
from ._version import __version__

__all__ = ["pool", "sensitivity", "regress", "compare", "multiverse", "pfs", "batch", "plot", "report", "version", "Result", "OrrmetaError", "__version__"]

_SENSITIVITY_ANALYSES = {"leave_one_out", "influence", "cumulative", "bias", "trimfill", "gosh", "bootstrap", "all"}


def _is_path(data: Any) -> bool:
    return isinstance(data, (str, os.PathLike))


def _input(data: Any, tmp: str) -> str:
    """The input file: a path as it is, other data written to a CSV in the directory ``tmp``."""
    if _is_path(data):
        return os.path.expanduser(os.fspath(data))
    path = os.path.join(tmp, "data.csv")
    write_csv(data, path)
    return path


def _command(command: str, data: Any, options: Mapping[str, Any], binary: Optional[str]) -> Result:
    with tempfile.TemporaryDirectory(prefix="orrmeta-") as tmp:
        args = [command, _input(data, tmp), *flags(options), "--format", "json"]
        _, out, warnings = run(args, binary)
    return Result.parse(out, command, args, warnings)


def _given(**options: Any) -> Dict[str, Any]:
    return {k: v for k, v in options.items() if v is not None}


def pool(data, events: Optional[str] = None, n: Optional[str] = None, binary: Optional[str] = None, **options) -> Result:
    """``orrmeta pool``: pool the cohorts. ``events``/``n`` name the columns (default: found by
    name as the CLI does: events, responders, x, ... / n, total, patients, ...). Options:
    measure, method, test, level, subgroup (or by), label, ci_method, add, to, nagq, orr."""
    return _command("pool", data, {**_given(events=events, n=n), **options}, binary)


def sensitivity(data, events: Optional[str] = None, n: Optional[str] = None, binary: Optional[str] = None, **options) -> Result:
    """``orrmeta sensitivity``: leave_one_out=True, influence=True, cumulative=True (order_by),
    bias=True, trimfill=True (estimator, side), gosh=True (subsets), bootstrap=B, or all=True
    (the default when no analysis is given); seed, jobs; the model options of pool."""
    if not _SENSITIVITY_ANALYSES & set(options):
        options = {**options, "all": True}
    return _command("sensitivity", data, {**_given(events=events, n=n), **options}, binary)


def regress(data, mods: Sequence[str], events: Optional[str] = None, n: Optional[str] = None,
            binary: Optional[str] = None, **options) -> Result:
    """``orrmeta regress``: meta-regression on the moderator columns ``mods`` (a list, or one
    name); categorical=[...], permutations, seed; the model options of pool."""
    mods = [mods] if isinstance(mods, str) else list(mods)
    return _command("regress", data, {"mods": mods, **_given(events=events, n=n), **options}, binary)


def compare(data, measure: Optional[str] = None, method: Optional[str] = None, arm: Optional[str] = None,
            trial: Optional[str] = None, treat=None, control=None, binary: Optional[str] = None, **options) -> Result:
    """``orrmeta compare``: two-arm comparisons (metafor's rma.mh, rma.peto, rma): ``measure``
    OR (default), RR or RD (meta's ``sm``); ``method`` MH (default), Peto, or an inverse-variance
    tau^2 estimator (EE, DL, REML, ...). Wide layout: columns events_treat, n_treat,
    events_ctrl, n_ctrl (or ai, n1i, ci, n2i). Long layout (one row per arm): ``arm`` and
    ``trial`` columns, ``treat`` and ``control`` arm names (a string or a list). Options: test,
    level, subgroup (or by), events, n, add, to, drop00, no_cmh_correction, leave_one_out,
    cumulative, bias."""
    return _command("compare", data, {**_given(measure=measure, method=method, arm=arm, trial=trial,
                                                treat=treat, control=control), **options}, binary)


def multiverse(data, events: Optional[str] = None, n: Optional[str] = None, binary: Optional[str] = None, **options) -> Result:
    """``orrmeta multiverse``: every specification at once (Docs/multiverse.md): measure x tau^2
    estimator x test (two-level), simple pooling with each binomial CI, the GLMM, and the
    three-level model with ``cluster``. Options (lists or one string): measures, methods, tests,
    models, ci_methods; cluster, reference (0.585 or 58.5), level, nagq, jobs, subgroup (or by).
    Each row of ``r["specifications"]`` equals :func:`pool` with its ``pool_arguments``."""
    return _command("multiverse", data, {**_given(events=events, n=n), **options}, binary)


def pfs(data, value: Optional[str] = None, weights: Optional[str] = None, binary: Optional[str] = None, **options) -> Result:
    """``orrmeta pfs``: the weighted median of cohort medians (``value``: default
    median_pfs_months; ``weights``: default the cohort-size column); subgroup (or by), level,
    median_method, bootstrap_replicates, seed."""
    return _command("pfs", data, {**_given(value=value, weights=weights), **options}, binary)


def _read_jsonl(path: str):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def batch(inputs, spec: Optional[str] = None, out: Optional[str] = None, binary: Optional[str] = None, **options) -> Result:
    """``orrmeta batch``: the same analyses over many data sets.

    ``inputs``: CSV paths, directories or glob patterns (a list or one string), or a dict of
    name -> data (list of dicts or DataFrame; each written as ``<name>.csv``, the ``file`` of its
    summary row). ``spec``: a TOML spec of named analyses (Docs/batch.md), else one analysis,
    ``default``, from the model and column options. ``out``: a directory to keep (default: a
    temporary one). Returns a Result with ``status`` (0, or 3 when some pairs failed),
    ``summary`` and ``errors`` (lists of dicts), ``batch`` (batch.json) and ``results``
    (file -> analysis -> Result).
    """
    with tempfile.TemporaryDirectory(prefix="orrmeta-batch-") as tmp:
        cwd = None
        if isinstance(inputs, Mapping):
            if not inputs:
                raise OrrmetaError("orrmeta: inputs is empty")
            cwd = os.path.join(tmp, "inputs")
            os.mkdir(cwd)
            paths = []
            for name, data in inputs.items():
                if not name or "/" in name or name.startswith("."):
                    raise OrrmetaError(f"orrmeta: data set name '{name}' may not be empty, contain '/' or start with '.'")
                write_csv(data, os.path.join(cwd, name + ".csv"))
                paths.append(name + ".csv")
        else:
            paths = [os.fspath(p) for p in ([inputs] if _is_path(inputs) else inputs)]
            if not paths:
                raise OrrmetaError("orrmeta: give at least one input")
        directory = os.path.abspath(os.path.expanduser(out)) if out is not None else os.path.join(tmp, "out")
        extra = {"spec": os.path.abspath(os.path.expanduser(spec))} if spec is not None else {}
        args = ["batch", *paths, *flags({**extra, **options}), "--out", directory, "--quiet"]
        status, _, warnings = run(args, binary, ok=(0, 3), cwd=cwd)
        result = _read_batch(directory, args)
    result["status"] = status
    if out is not None:
        result["out"] = directory
    result.stderr_warnings = warnings
    return result


def _read_batch(directory: str, args) -> Result:
    with open(os.path.join(directory, "errors.csv"), encoding="utf-8", newline="") as f:
        errors = list(csv.DictReader(f))
    with open(os.path.join(directory, "batch.json"), encoding="utf-8") as f:
        info = json.load(f)
    results: Dict[str, Dict[str, Result]] = {}
    for record in _read_jsonl(os.path.join(directory, "manifest.jsonl")):
        if record.get("failure") is not None or not record.get("result"):
            continue
        with open(os.path.join(directory, record["result"]), encoding="utf-8") as f:
            text = f.read()
        data = json.loads(text)
        command = "sensitivity" if "sensitivity_settings" in data else "pool"
        results.setdefault(record["file"], {})[record["analysis"]] = Result(data, command, args, text)
    summary = _read_jsonl(os.path.join(directory, "summary.jsonl"))
    return Result({"summary": summary, "errors": errors, "batch": info, "results": results}, "batch", args)


def _file_command(command, data: Any, file: Optional[str], suffix: str, options: Mapping[str, Any],
                  binary: Optional[str]) -> str:
    """Runs a command that writes a file (plot, report) and returns the file's path."""
    made = file is None
    if made:
        fd, file = tempfile.mkstemp(prefix=f"orrmeta-{command[-1]}-", suffix=suffix)
        os.close(fd)
    file = os.path.abspath(os.path.expanduser(os.fspath(file)))
    try:
        with tempfile.TemporaryDirectory(prefix="orrmeta-") as tmp:
            run([*command, _input(data, tmp), *flags(options), "--out", file], binary)
    except BaseException:
        if made:
            os.remove(file)
        raise
    return file


def plot(data, kind: str = "forest", file: Optional[str] = None, binary: Optional[str] = None, **options) -> str:
    """``orrmeta plot KIND``: forest, funnel, gosh, baujat or cumulative, as an SVG file
    (``file``, default a temporary file); returns its path. Options: the model and column
    options of pool, title, contours, trim_and_fill, order_by, subsets, seed."""
    return _file_command(["plot", kind], data, file, ".svg", options, binary)


def report(data, file: Optional[str] = None, binary: Optional[str] = None, **options) -> str:
    """``orrmeta report``: a self-contained HTML report (``file``, default a temporary file);
    returns its path. Options: analyses=["forest", "funnel", ...], title, the model options."""
    return _file_command(["report"], data, file, ".html", options, binary)


def version(binary: Optional[str] = None) -> Dict[str, str]:
    """The package version and the binary's (they must be equal)."""
    path = find_binary(binary)
    return {"package": __version__, "binary": check_version(path), "path": path}
