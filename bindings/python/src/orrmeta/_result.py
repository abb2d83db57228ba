# SPDX-License-Identifier: GPL-3.0-or-later
"""Results: the JSON the binary wrote, as a dict, with table views."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Sequence

# Per command, the JSON arrays that are tables (one row per cohort, step or coefficient), the
# first being the default of rows() and to_frame().
_TABLES = {
    "pool": ["studies"],
    "sensitivity": ["leave_one_out", "influence", "baujat", "cumulative", "studies"],
    "regress": ["coefficients"],
    "compare": ["trials", "leave_one_out", "cumulative"],
    "multiverse": ["specifications", "flags"],
    "pfs": ["blocks"],
    "batch": ["summary", "errors"],
}


def _flat(value: Any) -> Any:
    """A table cell: nested arrays of scalars joined with ' | ', objects kept."""
    if isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value):
        return " | ".join(str(v) for v in value)
    return value


class Result(dict):
    """The parsed JSON of one orrmeta command (``r["pooled"]["proportion"]``).

    ``command``, ``args`` (the command line that produced it), ``json`` (the text the binary
    wrote) and ``stderr_warnings`` are attributes, so that the keys are exactly the JSON's.
    """

    def __init__(self, data: Dict[str, Any], command: str, args: Sequence[str], text: str = "",
                 stderr_warnings: Sequence[str] = ()):
        super().__init__(data)
        self.command = command
        self.args = list(args)
        self.json = text
        self.stderr_warnings = list(stderr_warnings)

    @classmethod
    def parse(cls, text: str, command: str, args: Sequence[str], stderr_warnings: Sequence[str] = ()) -> "Result":
        return cls(json.loads(text), command, args, text, stderr_warnings)

    def tables(self) -> List[str]:
        """The tables of this result (for rows() and to_frame())."""
        return [t for t in _TABLES.get(self.command, []) if self._table(t) is not None]

    def _table(self, which: str) -> Optional[List[Dict[str, Any]]]:
        if self.command == "regress" and which == "coefficients":
            return (self.get("meta_regression") or {}).get("coefficients")
        if self.command == "pfs" and which == "blocks":
            blocks = [self["overall"]] + list(self.get("subgroups") or [])
            return [{k: (v["count"] if k == "left_out" else v) for k, v in b.items()
                     if k not in ("cohorts", "sign_test_probabilities", "warnings")} for b in blocks]
        value = self.get(which)
        if isinstance(value, list) and all(isinstance(r, dict) for r in value):
            return value
        return None

    def rows(self, which: Optional[str] = None) -> List[Dict[str, Any]]:
        """A table as a list of dicts (no pandas needed): the cohorts of pool, a sensitivity
        analysis' rows (leave_one_out, influence, baujat, cumulative), the coefficients of
        regress, the overall and subgroup blocks of pfs, the summary of batch."""
        available = self.tables()
        if which is None:
            if not available:
                raise KeyError(f"this {self.command} result has no table")
            which = available[0]
        table = self._table(which)
        if table is None:
            raise KeyError(f"no table '{which}' in this {self.command} result; available: {', '.join(available)}")
        first = [k for k in ("file", "analysis", "name", "label") if table and k in table[0]]
        return [{k: _flat(r[k]) for k in first + [k for k in r if k not in first]} for r in table]

    def to_frame(self, which: Optional[str] = None):
        """rows(which) as a pandas DataFrame (needs pandas)."""
        try:
            import pandas as pd
        except ImportError as e:  # pandas is optional
            raise ImportError("Result.to_frame() needs pandas; rows() gives the same table as a list of dicts") from e
        return pd.DataFrame(self.rows(which))

    def coef(self) -> Dict[str, float]:
        """The estimates: the model-scale estimate of pool, sensitivity and compare (log OR, log RR
        or RD; as metafor's coef,
        named 'intrcpt'), the coefficients of regress, the weighted medians of pfs."""
        if self.command in ("pool", "sensitivity", "compare"):
            return {"intrcpt": self["model"]["estimate"]}
        if self.command == "regress":
            return {r["name"]: r["estimate"] for r in self._table("coefficients") or []}
        if self.command == "pfs":
            return {b["name"]: b["weighted_median"] for b in self._table("blocks") or []}
        if self.command == "batch":
            return {f'{r["file"]}:{r["analysis"]}': r["proportion"] for r in self["summary"]}
        if self.command == "multiverse":
            return {_specification_name(r): r["proportion"] for r in self["specifications"] if r["subgroup"] is None}
        raise KeyError(self.command)

    def __str__(self) -> str:
        return summary_text(self)

    def __repr__(self) -> str:
        return f"<orrmeta {self.command} result: {', '.join(sorted(self.keys()))}>"


def _specification_name(r: Dict[str, Any]) -> str:
    """'two-level PLO REML z', 'simple clopper-pearson': the words of one multiverse row."""
    method = None if r["model"] == "simple" else r["method"]
    return " ".join(w for w in (r["model"], r["measure"], method, r["test"], r["ci_method"]) if w)


def _f(x: Any, digits: int = 4) -> str:
    return "NA" if x is None else f"{x:.{digits}f}"


def _ci(lo: Any, hi: Any, digits: int = 4) -> str:
    return f"[{_f(lo, digits)}; {_f(hi, digits)}]"


def _p(p: Any) -> str:
    return "NA" if p is None else "< 0.0001" if p < 1e-4 else f"{p:.4f}"


def summary_text(r: Result) -> str:
    """A short text summary, in the style of R meta's print."""
    lines: List[str] = []
    if r.command in ("pool", "sensitivity"):
        s, p, h = r["settings"], r["pooled"], r["heterogeneity"]
        model = {"EE": "Common effect model", "pooled": "Simple pooling (events / n)",
                 "GLMM": "Random effects model (GLMM)"}.get(s["method"], "Random effects model")
        lines.append(f"Number of studies: k = {r['k']}")
        if r.get("totals"):
            lines += [f"Number of observations: o = {r['totals']['n']}", f"Number of events: e = {r['totals']['events']}"]
        lines += ["", f"{model}: proportion {_f(p['proportion'])} {_ci(p['ci_lower'], p['ci_upper'])} ({_f(s['level'], 0)}%-CI)"]
        if p.get("pi_lower") is not None:
            lines.append(f"Prediction interval: {_ci(p['pi_lower'], p['pi_upper'])}")
        if h.get("q") is not None:
            lines.append(f"Heterogeneity: tau^2 = {_f(h.get('tau2'))}; I^2 = {_f(h.get('i2'), 1)}%; "
                         f"Q = {_f(h['q'], 2)}, d.f. = {h['q_df']}, p-value {_p(h.get('q_p_value'))}")
        for g in r.get("subgroups") or []:
            lines.append(f"  {r['input']['by_column']} = {g['name']}: k = {g['k']}, proportion "
                         f"{_f(g['pooled']['proportion'])} {_ci(g['pooled']['ci_lower'], g['pooled']['ci_upper'])}")
        lines.append(f"Method: {s['method_name']} ({s['method']}); measure {s['measure']}; test {s['test']}")
    elif r.command == "compare":
        s, p, h, m = r["settings"], r["pooled"], r["heterogeneity"], r["model"]
        lines.append(f"Number of trials: k = {r['k']}")
        lines.append("")
        for t in r["trials"]:
            lines.append(f"  {t['label']:<24} {t['events_treat']}/{t['n_treat']} vs {t['events_ctrl']}/{t['n_ctrl']}  "
                         f"{s['measure']} {_f(t.get('effect'))} {_ci(t.get('effect_ci_lower'), t.get('effect_ci_upper'))}")
        lines += ["", f"{s['method_name']} ({s['method']}): {p['scale']} {_f(p['estimate'])} "
                      f"{_ci(p['ci_lower'], p['ci_upper'])} ({_f(s['level'], 0)}%-CI); {'z' if s['test'] == 'z' else 't'} = {_f(m.get('statistic'), 2)}, "
                      f"p-value {_p(m.get('p_value'))}"]
        tau = "" if s["method"] in ("MH", "Peto", "EE") else f"tau^2 = {_f(h.get('tau2'))}; "
        lines.append(f"Heterogeneity: {tau}I^2 = {_f(h.get('i2'), 1)}%; "
                     f"Q = {_f(h.get('q'), 2)}, d.f. = {h['q_df']}, p-value {_p(h.get('q_p_value'))}")
        for g in r.get("subgroups") or []:
            lines.append(f"  {r['input']['by_column']} = {g['name']}: k = {g['k']}, {s['measure']} "
                         f"{_f(g['pooled']['estimate'])} {_ci(g['pooled']['ci_lower'], g['pooled']['ci_upper'])}")
    elif r.command == "multiverse":
        s = r["summary"]
        lines.append(f"Multiverse: {s['specifications']} specifications (k = {r['k']}; {s['fitted']} fitted, "
                     f"{s['failed']} failed, {s['not_converged']} not converged)")
        lines.append(f"Pooled proportion: median {_f(s['proportion_median'])}, range {_ci(s['proportion_min'], s['proportion_max'])}")
        if s.get("reference") is not None:
            lines.append(f"Reference {_f(s['reference'])}: inside {s['reference_in_ci']} CIs; "
                         f"{_f(s['reference_percentile'], 3)} of the estimates below it")
        for f in r["flags"]:
            lines.append(f"- [{f['code']}] {f['message']}")
    elif r.command == "regress":
        m = r["meta_regression"]
        lines.append(f"Mixed-effects meta-regression (k = {r['k']}; {r['settings']['method']})")
        for c in m["coefficients"]:
            lines.append(f"  {c['name']:<24} {_f(c['estimate'])}  SE {_f(c['se'])}  p {_p(c['p_value'])}")
        lines.append(f"QM = {_f(m.get('qm'), 2)}, p-value {_p(m.get('qm_p_value'))}; tau^2 = {_f(m.get('tau2'))}")
    elif r.command == "pfs":
        for b in r.rows("blocks"):
            lines.append(f"{b['name']}: k = {b['k']}, weighted median {_f(b['weighted_median'], 2)} "
                         f"sign-test CI {_ci(b['sign_test_ci_lower'], b['sign_test_ci_upper'], 2)}")
    elif r.command == "batch":
        lines.append(f"orrmeta batch: {len(r['summary'])} file x analysis pairs, {len(r['errors'])} failed")
        for row in r["summary"]:
            lines.append(f"  {row['file']} {row['analysis']}: {row['status']} {_f(row.get('proportion'))}")
    for w in r.get("warnings") or []:
        lines.append(f"Warning: {w}")
    return "\n".join(lines)
