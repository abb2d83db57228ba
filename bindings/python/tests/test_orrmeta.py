# SPDX-License-Identifier: GPL-3.0-or-later
"""The Python front end against the real binary (ORRMETA_BINARY or PATH) on the repository's
fixtures (ORRMETA_REPO, default: the repository this file is in)."""

import copy
import csv
import json
import os
import re
import shutil
import stat
import subprocess

import pytest

import orrmeta
from orrmeta import OrrmetaError
from orrmeta._run import flags

REPO = os.environ.get("ORRMETA_REPO") or os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
ALK = os.path.join(REPO, "Fixtures", "alk-nsclc", "cohorts.csv")


def binary():
    return orrmeta.version()["path"]


def cli(*args):
    done = subprocess.run([binary(), *args], capture_output=True)
    return done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8")


def cli_json(*args):
    status, out, err = cli(*args, "--format", "json")
    assert status == 0, err
    return json.loads(out)


def plain(r, file="<data>"):
    """The result as a plain dict, with input.file replaced (a data set is read from a temporary file)."""
    d = copy.deepcopy(dict(r))
    if isinstance(d.get("input"), dict) and "file" in d["input"]:
        d["input"]["file"] = file
    return d


def alk_rows():
    """The fixture as a user reads it: a list of dicts, counts converted to int."""
    with open(ALK, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        r["n"] = int(r["n"])
        r["responders"] = int(r["responders"])
        r["median_pfs_months"] = float(r["median_pfs_months"]) if r["median_pfs_months"] else None
    return rows


def test_pool_list_of_dicts_equals_cli_json_to_the_last_digit():
    r = orrmeta.pool(alk_rows(), events="responders", n="n")
    ref = cli_json("pool", ALK, "--events-column", "responders", "--n-column", "n")
    assert plain(r) == plain(ref)
    assert r["k"] == 61
    # the float is the one the JSON prints
    status, text, _ = cli("pool", ALK, "--format", "json")
    # the first "proportion" after "pooled" (the `common` block has one too)
    token = re.search(r'"pooled" : \{[^}]*?"proportion" : ([-0-9.e+E]+)', text).group(1)
    assert r["pooled"]["proportion"] == float(token)
    assert repr(r["pooled"]["proportion"]) == token


def test_pool_path_is_byte_identical_and_options_map_to_flags():
    r = orrmeta.pool(ALK, method="DL", test="knha", subgroup="line", level=0.9)
    status, text, _ = cli("pool", ALK, "--method", "DL", "--test", "knha", "--by", "line", "--level", "0.9", "--format", "json")
    assert r.json == text
    assert dict(r) == json.loads(text)
    assert [g["name"] for g in r["subgroups"]] == ["pretreated", "naive"]
    assert r.coef() == {"intrcpt": r["model"]["estimate"]}


def test_sensitivity_regress_pfs_equal_cli_json():
    rows = alk_rows()
    s = orrmeta.sensitivity(rows, leave_one_out=True, cumulative=True, order_by="n", bias=True)
    assert plain(s) == plain(cli_json("sensitivity", ALK, "--leave-one-out", "--cumulative", "--order-by", "n", "--bias"))
    assert len(s.rows()) == 61 and s.tables()[0] == "leave_one_out"
    assert [x["estimate"] for x in s.rows("cumulative")] == [x["estimate"] for x in s["cumulative"]]
    assert plain(orrmeta.sensitivity(ALK), None) == plain(cli_json("sensitivity", ALK, "--all"), None)

    g = orrmeta.regress(rows, mods=["line", "phase"], categorical=["phase"], test="knha")
    ref = cli_json("regress", ALK, "--mods", "line", "phase", "--categorical", "phase", "--test", "knha")
    assert plain(g) == plain(ref)
    assert g.coef() == {c["name"]: c["estimate"] for c in ref["meta_regression"]["coefficients"]}

    p = orrmeta.pfs(rows, subgroup="line", bootstrap_replicates=200, seed=3)
    assert plain(p) == plain(cli_json("pfs", ALK, "--by", "line", "--bootstrap-replicates", "200", "--seed", "3"))
    assert list(p.coef()) == ["all", "pretreated", "naive"]


def test_batch_of_data_sets_and_failures():
    rows = alk_rows()
    b = orrmeta.batch({"alk": rows, "naive": [r for r in rows if r["line"] == "naive"]}, test="knha")
    assert b["status"] == 0
    assert [x["file"] for x in b["summary"]] == ["alk.csv", "naive.csv"]
    ref = cli_json("pool", ALK, "--test", "knha")
    assert plain(b["results"]["alk.csv"]["default"]) == plain(ref)
    assert b["summary"][0]["proportion"] == ref["pooled"]["proportion"]

    bad = copy.deepcopy(rows)
    bad[2]["responders"] = bad[2]["n"] + 1
    b2 = orrmeta.batch({"bad": bad, "good": rows})
    assert b2["status"] == 3
    assert [x["status"] for x in b2["summary"]] == ["error", "ok"]
    assert b2["errors"][0]["line"] == "4"
    assert "bad.csv" not in b2["results"]


def test_errors_carry_the_binary_message_and_status(tmp_path):
    missing = str(tmp_path / "no such file.csv")
    status, _, err = cli("pool", missing, "--format", "json")
    with pytest.raises(OrrmetaError) as e:
        orrmeta.pool(missing)
    assert str(e.value) == err.rstrip()
    assert e.value.status == status == 66
    assert str(e.value).startswith("orrmeta: error: ")

    rows = alk_rows()
    rows[4]["n"] = -1
    with pytest.raises(OrrmetaError) as e:
        orrmeta.pool(rows)
    assert e.value.status == 65 and ":6: column 'n'" in str(e.value)
    with pytest.raises(OrrmetaError) as e:
        orrmeta.pool(ALK, level=5)
    assert e.value.status == 64


def test_flag_mapping():
    assert flags({"events": "x", "n": "m", "subgroup": "line", "level": 0.95, "leave_one_out": True, "bias": False,
                  "mods": ["a", "b"], "sm": "PLOGIT", "method_tau": "DL", "studlab": "id", "add": 1 / 3, "nagq": 9}) == [
        "--events-column", "x", "--n-column", "m", "--by", "line", "--level", "0.95", "--leave-one-out",
        "--mods", "a", "b", "--measure", "PLO", "--method", "DL", "--label-column", "id", "--add", "0.3333333333333333",
        "--nagq", "9"]
    assert flags({"cluster": "trial", "order_by": "n", "bootstrap": 2000}) == [
        "--cluster", "trial", "--order-by", "n", "--bootstrap", "2000"]
    with pytest.raises(OrrmetaError, match="same flag --by"):
        flags({"subgroup": "a", "by": "b"})
    with pytest.raises(OrrmetaError, match="set by the Python front end"):
        flags({"output": "x.json"})


def test_odd_paths_reach_the_binary_unchanged(tmp_path):
    odd = tmp_path / "a b'c\"$(echo x);`d`.csv"
    shutil.copy(ALK, odd)
    r = orrmeta.pool(odd, label="study_id")
    assert r["input"]["file"] == str(odd)
    assert plain(r) == plain(cli_json("pool", ALK, "--label-column", "study_id"))


def test_text_and_tables():
    r = orrmeta.pool(ALK, by="line")
    text = str(r)
    assert "Number of studies: k = 61" in text
    assert f"{r['pooled']['proportion']:.4f}" in text and "line = naive" in text
    assert len(r.rows()) == 61 and r.rows()[0]["label"] == "PROFILE1001_crizotinib"
    s = orrmeta.sensitivity(ALK, bias=True)
    assert "Number of studies: k = 61" in str(s) and "Number of events" not in str(s)
    assert "linepretreated" in str(orrmeta.regress(ALK, mods="line"))
    assert "naive: k = 17" in str(orrmeta.pfs(ALK, by="line", bootstrap_replicates=0))
    try:
        import pandas  # noqa: F401
    except ImportError:
        with pytest.raises(ImportError, match="rows"):
            r.to_frame()
    else:
        frame = r.to_frame()
        assert list(frame["yi"]) == [s["yi"] for s in r["studies"]]
        assert plain(orrmeta.pool(pandas.read_csv(ALK))) == plain(cli_json("pool", ALK))


def test_version_must_match(tmp_path):
    assert orrmeta.version()["package"] == orrmeta.__version__
    fake = tmp_path / "orrmeta"
    fake.write_text("#!/bin/sh\necho 9.9.9\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    with pytest.raises(OrrmetaError, match="version 9.9.9 but the Python package orrmeta is version"):
        orrmeta.pool(ALK, binary=str(fake))


def test_plot_and_report_write_the_cli_files(tmp_path):
    svg = orrmeta.plot(alk_rows(), "forest", subgroup="line", title="ALK")
    try:
        ref = tmp_path / "ref.svg"
        assert cli("plot", "forest", ALK, "--by", "line", "--title", "ALK", "--out", str(ref))[0] == 0
        assert open(svg, "rb").read() == ref.read_bytes()
    finally:
        os.remove(svg)
    own = tmp_path / "funnel plot.svg"
    assert orrmeta.plot(ALK, "funnel", file=str(own), contours=True) == str(own)
    assert "<svg" in own.read_text(encoding="utf-8")
    html = orrmeta.report(ALK, file=str(tmp_path / "r.html"), analyses=["forest", "funnel"])
    assert "<html" in open(html, encoding="utf-8").read()
    with pytest.raises(OrrmetaError) as e:
        orrmeta.plot(ALK, "gosh", method="pooled")
    assert e.value.status == 64
