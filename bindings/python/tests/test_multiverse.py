# SPDX-License-Identifier: GPL-3.0-or-later
"""orrmeta.multiverse (orrmeta multiverse) against the CLI's JSON, and its rows against pool."""

import pytest

import orrmeta
from orrmeta import OrrmetaError
from test_orrmeta import ALK, alk_rows, cli, cli_json, plain


def test_multiverse_equals_cli_json_and_rows_equal_pool():
    r = orrmeta.multiverse(ALK, measures=["PLO", "PFT"], methods=["DL", "REML"], cluster="trial", reference=0.585)
    status, out, _ = cli("multiverse", ALK, "--measures", "PLO", "PFT", "--methods", "DL", "REML", "--cluster", "trial",
                         "--reference", "0.585", "--format", "json")
    assert status == 0
    assert r.json == out
    # 2 x 2 x 2 two-level, 6 simple, GLMM, 2 x 1 x 2 three-level (REML only).
    assert len(r["specifications"]) == 19
    assert r.tables() == ["specifications", "flags"]
    assert "simple-pooling-ignores-heterogeneity" in [f["code"] for f in r.rows("flags")]
    coef = r.coef()
    assert list(coef)[0] == "two-level PLO DL z"
    assert list(coef.values()) == [s["proportion"] for s in r["specifications"]]
    assert r.rows()[0]["pool_arguments"] == "--measure | PLO | --method | DL | --test | z"
    text = str(r)
    assert "Multiverse: 19 specifications" in text and "[simple-pooling-ignores-heterogeneity]" in text
    row = r["specifications"][2]
    p = orrmeta.pool(alk_rows(), events="responders", n="n", measure=row["measure"], method=row["method"], test=row["test"])
    assert p["pooled"]["proportion"] == row["proportion"]
    assert p["pooled"]["ci_lower"] == row["ci_lower"] and p["heterogeneity"]["tau2"] == row["tau2"]


def test_multiverse_on_rows_equals_the_file():
    a = orrmeta.multiverse(alk_rows(), events="responders", n="n", models="simple")
    b = cli_json("multiverse", ALK, "--events-column", "responders", "--n-column", "n", "--models", "simple")
    assert plain(a) == plain(b)


def test_multiverse_errors_are_the_binarys():
    with pytest.raises(OrrmetaError) as e:
        orrmeta.multiverse(ALK, models="three-level")
    assert e.value.status == 64 and "--cluster" in str(e.value)
