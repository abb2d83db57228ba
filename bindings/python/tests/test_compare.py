# SPDX-License-Identifier: GPL-3.0-or-later
"""orrmeta.compare (orrmeta compare) against the CLI's JSON, on a wide and a long table."""

import csv
import json

import pytest

import orrmeta
from orrmeta import OrrmetaError
from orrmeta._run import flags
from test_orrmeta import ALK, alk_rows, cli, cli_json, plain

# dat.bcg (Colditz et al. 1994, metadat): BCG vaccine trials, tuberculosis cases among
# vaccinated (treatment) and unvaccinated (control), in the wide layout.
BCG = [
    ("Aronson 1948", "early", 4, 123, 11, 139), ("Ferguson & Simes 1949", "early", 6, 306, 29, 303),
    ("Rosenthal 1960", "late", 3, 231, 11, 220), ("Hart & Sutherland 1977", "late", 62, 13598, 248, 12867),
    ("Frimodt-Moller 1973", "late", 33, 5069, 47, 5808), ("Stein & Aronson 1953", "early", 180, 1541, 372, 1451),
    ("Vandiviere 1973", "late", 8, 2545, 10, 629), ("TPT Madras 1980", "late", 505, 88391, 499, 88391),
    ("Coetzee & Berjak 1968", "late", 29, 7499, 45, 7277), ("Rosenthal 1961", "late", 17, 1716, 65, 1665),
    ("Comstock 1974", "late", 186, 50634, 141, 27338), ("Comstock & Webster 1969", "late", 5, 2498, 3, 2341),
    ("Comstock 1976", "late", 27, 16913, 29, 17854),
]
COLUMNS = ["study", "era", "events_treat", "n_treat", "events_ctrl", "n_ctrl"]
TREAT = ["alectinib", "brigatinib", "lorlatinib"]
ARMS = ["--arm", "drug", "--trial", "trial", "--treat", "alectinib", "--treat", "brigatinib",
        "--treat", "lorlatinib", "--control", "crizotinib"]


def bcg_rows():
    return [dict(zip(COLUMNS, row)) for row in BCG]


@pytest.fixture
def bcg_csv(tmp_path):
    path = tmp_path / "bcg.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COLUMNS)
        w.writerows(BCG)
    return str(path)


def test_compare_wide_rows_equal_cli_json(bcg_csv):
    r = orrmeta.compare(bcg_rows(), measure="RR", method="MH")
    ref = cli_json("compare", bcg_csv, "--measure", "RR", "--method", "MH")
    assert plain(r) == plain(ref)
    assert r["input"]["layout"] == "wide" and r["k"] == 13
    assert r.coef() == {"intrcpt": ref["model"]["estimate"]}
    assert r.tables() == ["trials"]
    assert [t["label"] for t in r.rows()] == [row[0] for row in BCG]
    assert [t["effect"] for t in r.rows()] == [t["effect"] for t in ref["trials"]]

    g = orrmeta.compare(bcg_rows(), sm="OR", method="REML", test="knha", subgroup="era", level=90)
    ref = cli_json("compare", bcg_csv, "--measure", "OR", "--method", "REML", "--test", "knha", "--by", "era", "--level", "90")
    assert plain(g) == plain(ref)
    text = str(g)
    assert f"{ref['pooled']['estimate']:.4f}" in text and "era = early" in text


def test_compare_wide_pandas_frame_equals_cli_json(bcg_csv):
    pd = pytest.importorskip("pandas")
    r = orrmeta.compare(pd.DataFrame(BCG, columns=COLUMNS), measure="RD", method="DL", leave_one_out=True)
    ref = cli_json("compare", bcg_csv, "--measure", "RD", "--method", "DL", "--leave-one-out")
    assert plain(r) == plain(ref)
    assert list(r.to_frame()["label"]) == [row[0] for row in BCG]
    assert len(r.to_frame("leave_one_out")) == 13


def test_compare_long_alk_table_is_byte_identical():
    r = orrmeta.compare(ALK, arm="drug", trial="trial", treat=TREAT, control="crizotinib", measure="RR")
    status, text, _ = cli("compare", ALK, *ARMS, "--measure", "RR", "--format", "json")
    assert status == 0
    assert r.json == text and dict(r) == json.loads(text)
    assert r["input"]["layout"] == "long"
    assert r.args.count("--treat") == 3

    f = orrmeta.compare(alk_rows(), arm="drug", trial="trial", treat=TREAT, control=["crizotinib"],
                        events="responders", n="n", method="DL")
    ref = cli_json("compare", ALK, *ARMS, "--events-column", "responders", "--n-column", "n", "--method", "DL")
    assert plain(f) == plain(ref)
    assert len(f.rows()) == len(ref["trials"]) == f["k"]


def test_compare_errors_carry_the_binary_message_and_status(bcg_csv):
    status, _, err = cli("compare", bcg_csv, "--method", "Peto", "--measure", "RR", "--format", "json")
    with pytest.raises(OrrmetaError) as e:
        orrmeta.compare(bcg_csv, method="Peto", measure="RR")
    assert str(e.value) == err.rstrip()
    assert e.value.status == status == 64

    rows = bcg_rows()
    rows[2]["events_treat"] = 400
    with pytest.raises(OrrmetaError) as e:
        orrmeta.compare(rows)
    assert e.value.status == 65 and ":4: events_treat = 400 is larger than n_treat = 231" in str(e.value)


def test_treat_and_control_repeat_their_flag():
    assert flags({"treat": ["a", "b"], "control": "c", "mods": ["x", "y"]}) == \
        ["--treat", "a", "--treat", "b", "--control", "c", "--mods", "x", "y"]
