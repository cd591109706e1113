"""Adding a visit or an endpoint is a change to the configuration alone.

One workflow run (to the ARD) on a copy of the shipped study whose export holds one more
visit, with a configuration that adds that visit and one more endpoint; no code changes.

- The visit "Week 20" (``week_20_arm_1``, day 141): every week-16 record of the export is
  copied to it, dates moved 28 days on (monitor files too). Its paired results must then
  equal those at week 16 exactly: the same values, at another visit.
- The endpoint ``WBC`` (white blood cells, a parameter of the clean ``labs`` table): its
  paired t at the primary visit must equal the mean change computed here from the clean
  labs table itself: treated subjects, baseline the last value on or before day 1 (the day of
  the lab, else of its visit), change to the primary-visit value.
"""

from __future__ import annotations

import copy
import datetime as dt
import re

import pandas as pd
import pytest
import yaml
from study_model import CONFIG, STUDY

from aidheart.io import read_ard, read_table
from conftest import SHIPPED_DATA, copy_study, run_workflow

SOURCE_EVENT, NEW_EVENT, SHIFT = "week_16_arm_1", "week_20_arm_1", dt.timedelta(days=28)
NEW_VISIT = {"event": NEW_EVENT, "avisit": "Week 20", "avisitn": 20, "day": 141, "window": 7,
             "forms": ["visit_info", "labs", "clinical", "six_minute_walk", "inotrope_challenge"]}
NEW_ENDPOINT = {"paramcd": "WBC", "label": "White blood cell count", "unit": "10^9/L", "digits": 2,
                "source": {"labs": "wbc"}, "sets": ["EFF"], "roles": ["secondary"]}
#: Paired methods: their rows at the new visit are those of the visit it copies.
PAIRED = ("summary", "paired_t", "wilcoxon_signed_rank", "wilcoxon_pratt_exact", "hodges_lehmann",
          "hodges_lehmann_exact", "cohen_dz", "hedges_gz", "bootstrap_mean_change", "sign_flip_permutation", "gmr")
DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})")


def _shifted(value: str) -> str:
    match = DATE.match(value)
    if not match:
        return value
    return (dt.date.fromisoformat(match.group(1)) + SHIFT).isoformat() + value[match.end():]


def add_week_20(study_dir) -> None:
    """Copy every week-16 row of the export (and its monitor files) to week 20, 28 days later."""
    export = next((study_dir / "redcap").glob("*_DATA_*.csv"))
    raw = export.read_bytes()
    data = pd.read_csv(export, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    copies = data[data["redcap_event_name"] == SOURCE_EVENT].map(_shifted)
    copies = copies.assign(redcap_event_name=NEW_EVENT,
                           ch_monitor_file=copies["ch_monitor_file"].str.replace(SOURCE_EVENT, NEW_EVENT))
    bom = "\ufeff" if raw.startswith(b"\xef\xbb\xbf") else ""
    newline = "\r\n" if b"\r\n" in raw[:4000] else "\n"
    text = pd.concat([data, copies], ignore_index=True).to_csv(index=False, lineterminator=newline)
    export.write_text(bom + text, encoding="utf-8", newline="")
    # the export that holds visits 28 days later was made 28 days later: its file name dates the cut-off
    stamp = re.search(r"_DATA_(\d{4}-\d{2}-\d{2})_", export.name)
    export.rename(export.with_name(export.name.replace(stamp.group(1), _shifted(stamp.group(1)))))
    for monitor in sorted((study_dir / "monitor").glob(f"*_{SOURCE_EVENT}.csv")):
        lines = monitor.read_text(encoding="utf-8").splitlines(keepends=True)
        shifted = [("Session start," + _shifted(line.split(",", 1)[1])) if line.startswith("Session start,") else line
                   for line in lines]
        monitor.with_name(monitor.name.replace(SOURCE_EVENT, NEW_EVENT)).write_text("".join(shifted), encoding="utf-8")


@pytest.fixture(scope="module")
def extended_run(tmp_path_factory):
    """(working directory, configuration) of a run with the added visit and endpoint."""
    root = tmp_path_factory.mktemp("study_model")
    study_dir = copy_study(SHIPPED_DATA, root / "study")
    add_week_20(study_dir)
    config = copy.deepcopy(yaml.safe_load(CONFIG.read_text()))
    config["visits"].append(NEW_VISIT)
    config["endpoints"].append(NEW_ENDPOINT)
    config_file = root / "config.yaml"
    config_file.write_text(yaml.safe_dump(config))
    workdir = root / "work"
    workdir.mkdir()
    run_workflow(workdir, study_dir, "--configfile", str(config_file), "--cores", "2", "results/stats/ard.csv")
    return workdir, config


def test_the_new_visit_is_analysed_with_the_results_of_the_visit_it_copies(extended_run):
    workdir, _ = extended_run
    ard = read_ard(workdir / "results/stats/ard.csv")
    paired = ard[ard["method"].isin(PAIRED)]
    keys = ["paramcd", "population", "method", "term"]
    week16 = paired[paired["visit"] == "Week 16"].set_index(keys)
    week20 = paired[paired["visit"] == "Week 20"].set_index(keys)
    copied = week16.index.get_level_values("paramcd") != "VISMAINT"  # an interval summary, not a copy
    assert len(week20) > 0 and set(week16.index[copied]) <= set(week20.index)
    columns = ["estimate", "std_error", "ci_low", "ci_high", "statistic", "df", "p_value", "n"]
    pd.testing.assert_frame_equal(week20.loc[week16.index[copied], columns], week16.loc[copied, columns])
    models = ard[(ard["method"] == "mmrm") & (ard["paramcd"] == STUDY.primary_endpoint.paramcd)]
    assert "Week 20" in set(models["visit"])  # the models take the visit too


def test_the_new_endpoint_is_derived_and_analysed(extended_run):
    workdir, config = extended_run
    ard = read_ard(workdir / "results/stats/ard.csv")
    primary = config["primary_visit"]
    row = ard[(ard["paramcd"] == "WBC") & (ard["visit"] == primary) & (ard["population"] == "EFF")
              & (ard["method"] == "paired_t")].iloc[0]
    labs = read_table(workdir / "results/clean/labs.csv")
    subjects = read_table(workdir / "results/clean/subjects.csv")
    treated = set(subjects.loc[subjects["day_origin"] == "first_dose", "record_id"])
    visits = read_table(workdir / "results/clean/visits.csv")[["record_id", "event", "visit_day"]]
    wbc = labs[(labs["param"] == "wbc") & labs["value"].notna() & labs["record_id"].isin(treated)]
    wbc = wbc.merge(visits, on=["record_id", "event"], how="left")
    wbc = wbc.assign(day=wbc["lab_day"].fillna(wbc["visit_day"]))
    base = wbc[wbc["day"] <= 1].sort_values("day").groupby("record_id")["value"].last()
    primary_event = next(visit["event"] for visit in config["visits"] if visit["avisit"] == primary)
    at_visit = wbc[wbc["event"] == primary_event].set_index("record_id")["value"]
    changes = (at_visit - base).dropna()
    assert row["n"] == len(changes) > 0
    assert row["estimate"] == pytest.approx(changes.mean(), rel=1e-12)
    adeff = read_table(workdir / "results/adam/adeff.csv")
    assert adeff.loc[adeff["PARAMCD"] == "WBC", "PARAM"].unique().tolist() == ["White blood cell count (10^9/L)"]
    assert adeff.loc[adeff["PARAMCD"] == "WBC", "PARAMN"].unique().tolist() == [len(config["endpoints"])]
