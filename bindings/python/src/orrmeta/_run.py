# SPDX-License-Identifier: GPL-3.0-or-later
"""Finding and running the orrmeta binary; the one mapping from keyword arguments to flags."""

from __future__ import annotations

import csv
import math
import os
import shutil
import subprocess
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from ._version import __version__


class OrrmetaError(RuntimeError):
    """The binary failed: the message is what it printed on standard error.

    Attributes: ``status`` (its exit status: 64 usage, 65 data, 66 missing input, 70 analysis,
    73 output; see Docs/cli.md), ``stderr``, ``args``.
    """

    def __init__(self, message: str, status: int = -1, stderr: str = "", args: Sequence[str] = ()):
        super().__init__(message)
        self.status = status
        self.stderr = stderr
        self.command_args = list(args)


# Python names that differ from the flag they mean: metafor's and meta's names where they mean
# what orrmeta's flag means. Every other name ``a_b`` becomes ``--a-b``.
FLAG_ALIASES = {
    "events": "events-column", "event": "events-column", "xi": "events-column",
    "n": "n-column", "ni": "n-column",
    "label": "label-column", "studlab": "label-column", "slab": "label-column",
    "orr": "orr-column",
    "subgroup": "by", "by": "by",
    "method_tau": "method", "sm": "measure",
    "method_ci": "ci-method", "ci_method": "ci-method",
    "value": "value-column",
}

# meta's summary measures (sm) for proportions, as orrmeta's measure codes.
META_SM = {"PRAW": "PR", "PLN": "PLN", "PLOGIT": "PLO", "PAS": "PAS", "PFT": "PFT"}

# Flags that take one value each and are repeated for several (treat=["a", "b"] gives
# --treat a --treat b); every other list gives its values after one flag (--mods a b).
REPEATED = {"treat", "control"}

# Flags the front end sets itself: the result is returned, not written.
RESERVED = {"format", "output", "o", "out"}

_version_cache: Dict[Tuple[str, float], str] = {}


def find_binary(binary: Optional[str] = None) -> str:
    """The binary: ``binary``, else ``ORRMETA_BINARY``, else ``orrmeta`` on PATH; its version
    (``orrmeta --version``) must equal the package's."""
    candidate = binary or os.environ.get("ORRMETA_BINARY") or shutil.which("orrmeta")
    if not candidate:
        raise OrrmetaError(
            "orrmeta: the orrmeta binary was not found: put it on PATH, pass binary=, "
            "or set the ORRMETA_BINARY environment variable")
    path = os.path.abspath(os.path.expanduser(os.fspath(candidate)))
    if not os.path.isfile(path):
        raise OrrmetaError(f"orrmeta: the orrmeta binary '{path}' does not exist")
    check_version(path)
    return path


def check_version(path: str) -> str:
    key = (path, os.stat(path).st_mtime)
    if key in _version_cache:
        return _version_cache[key]
    done = subprocess.run([path, "--version"], capture_output=True)
    version = done.stdout.decode("utf-8", "replace").strip()
    if done.returncode != 0 or not version:
        raise OrrmetaError(
            f"orrmeta: '{path} --version' failed (exit status {done.returncode}): "
            + done.stderr.decode("utf-8", "replace").strip(), done.returncode)
    if version != __version__:
        raise OrrmetaError(
            f"orrmeta: the binary '{path}' is version {version} but the Python package orrmeta "
            f"is version {__version__}; install the binary and the package of the same release")
    _version_cache[key] = version
    return version


def number(x: float) -> str:
    """A number the binary reads back as the same double (repr: shortest round-trip)."""
    if isinstance(x, bool):
        return "TRUE" if x else "FALSE"
    if isinstance(x, int):
        return str(x)
    if float(x).is_integer() and abs(x) < 1e15:
        return str(int(x))
    return repr(float(x))


def _value_strings(name: str, value: Any) -> List[str]:
    values = list(value) if isinstance(value, (list, tuple)) else [value]
    if not values:
        raise OrrmetaError(f"orrmeta: option '{name}' has no value")
    out = []
    for v in values:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            raise OrrmetaError(f"orrmeta: option '{name}' has no value (None or NaN)")
        out.append(number(v) if isinstance(v, (int, float)) else os.fspath(v) if isinstance(v, os.PathLike) else str(v))
    return out


def flags(options: Mapping[str, Any]) -> List[str]:
    """Keyword arguments as flags: None and False are left out, True is a bare flag, a list gives
    its values after one flag (for options that take several, e.g. --mods), or repeats the flag
    for each value where the CLI wants that (REPEATED: --treat, --control)."""
    args: List[str] = []
    seen: Dict[str, str] = {}
    for name, value in options.items():
        flag = FLAG_ALIASES.get(name, name.replace("_", "-"))
        if flag in seen:
            raise OrrmetaError(f"orrmeta: options '{seen[flag]}' and '{name}' mean the same flag --{flag}; give one")
        seen[flag] = name
        if flag in RESERVED:
            raise OrrmetaError(f"orrmeta: option '{name}' is set by the Python front end (the result is returned)")
        if value is None or value is False:
            continue
        if value is True:
            args.append("--" + flag)
            continue
        if name == "sm":
            value = META_SM.get(str(value).upper(), value)
        values = _value_strings(name, value)
        if flag in REPEATED:
            for v in values:
                args += ["--" + flag, v]
        else:
            args.append("--" + flag)
            args.extend(values)
    return args


def _cell(v: Any) -> str:
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        v = v.item()  # a numpy scalar from a DataFrame
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, (bool, int, float)):
        return number(v)
    return str(v)


def write_csv(data: Any, path: str) -> None:
    """Writes a list of dicts (columns in order of first appearance) or a pandas DataFrame as the
    cohort CSV the binary reads: UTF-8, LF, minimal quoting, missing values as empty cells."""
    if hasattr(data, "to_csv") and hasattr(data, "columns"):
        columns = [str(c) for c in data.columns]
        if len(set(columns)) != len(columns):
            raise OrrmetaError("orrmeta: the DataFrame has duplicate column names")
        clean = data.astype(object).where(data.notna(), None)
        records = [dict(zip(columns, row)) for row in clean.itertuples(index=False, name=None)]
    elif isinstance(data, (list, tuple)) and all(isinstance(r, Mapping) for r in data):
        columns = []
        for r in data:
            for k in r:
                if k not in columns:
                    columns.append(k)
        records = list(data)
    else:
        raise OrrmetaError("orrmeta: data must be a list of dicts, a pandas DataFrame or the path of a CSV file")
    if not columns:
        raise OrrmetaError("orrmeta: data has no columns")
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(columns)
        for r in records:
            w.writerow([_cell(r.get(c)) for c in columns])


def run(args: Sequence[str], binary: Optional[str] = None, ok: Sequence[int] = (0,), cwd: Optional[str] = None):
    """Runs ``orrmeta ARGS``; an exit status not in ``ok`` raises OrrmetaError with the binary's
    message. Returns (status, stdout text, warning lines)."""
    path = find_binary(binary)
    done = subprocess.run([path, *args], capture_output=True, cwd=cwd)
    stderr = done.stderr.decode("utf-8", "replace")
    lines = stderr.splitlines()
    prefix = "orrmeta: warning: "
    warnings = [l[len(prefix):] for l in lines if l.startswith(prefix)]
    if done.returncode not in ok:
        message = "\n".join(l for l in lines if not l.startswith(prefix)).rstrip()
        raise OrrmetaError(message or f"orrmeta exited with status {done.returncode}", done.returncode, stderr, args)
    return done.returncode, done.stdout.decode("utf-8"), warnings
