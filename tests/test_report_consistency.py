"""One story across the reports: the counts the analysis report, the DSMB report and ADaM share are equal.

Read from the shipped run's rendered HTML (the text a reader sees, not the table functions)
and from its ADaM datasets, each side counted its own way: ADaM by its variables, the
reports by their table rows. Each planted inconsistency of the reports' past is one of these
assertions: a drug withdrawal counted but listed nowhere, a flow diagram whose "completed
treatment" was "treated minus those who left", "analysed" counting subjects with any later
value instead of the primary-visit pairs, a cut-off stated three ways, two enrolment rates.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest
import yaml
from study_model import CONFIG, STUDY

from aidheart.io import read_table
from document_checks import html_table, html_text

CONFIG_CUTOFF_STATEMENT = re.compile(r"\d{4}-\d{2}-\d{2}, the export date \(no cut-off configured\)")


@pytest.fixture(scope="module")
def run(shipped_run):
    reports = shipped_run / "results" / "reports"
    adam = shipped_run / "results" / "adam"
    return {
        "analysis": (reports / "analysis.html").read_text(encoding="utf-8"),
        "dsmb": (reports / "dsmb.html").read_text(encoding="utf-8"),
        "data_quality": (reports / "data_quality.html").read_text(encoding="utf-8"),
        **{name: read_table(adam / f"{name}.csv") for name in ("adsl", "adeff", "adae")},
    }


def rows_by_label(html: str, table_id: str, label_column: int, value_column: int) -> dict[str, str]:
    return {row[label_column]: row[value_column] for row in html_table(html, table_id)}


def leading_count(text: str) -> int:
    return int(re.match(r"\d+", text).group(0))


def adam_counts(adsl: pd.DataFrame, adeff: pd.DataFrame, adae: pd.DataFrame) -> dict:
    """The shared counts, from the ADaM variables alone."""
    treated = adsl[adsl["SAFFL"] == "Y"]
    visit = STUDY.schedule.primary.avisit
    pairs = {}
    for endpoint in STUDY.with_role("trajectory"):
        records = adeff[(adeff["PARAMCD"] == endpoint.paramcd) & (adeff["AVISIT"] == visit) & (adeff["ANL03FL"] == "Y")
                        & adeff["CHG"].notna() & adeff["USUBJID"].isin(adsl.loc[adsl["EFFFL"] == "Y", "USUBJID"])]
        pairs[endpoint.short_label] = records["USUBJID"].nunique()
    withdrawn = adae[(adae["SAFFL"] == "Y") & (adae["TRTEMFL"] == "Y") & (adae["AEACN"] == "Drug withdrawn")]
    return {"enrolled": int((adsl["ENRLFL"] == "Y").sum()), "treated": len(treated),
            "completed_treatment": int((treated["EOTSTT"] == "COMPLETED").sum()),
            "left_study": int((treated["EOSSTT"] == "DISCONTINUED").sum()),
            "analysed": pairs, "withdrawal_events": len(withdrawn)}


def test_enrolled_treated_completed_and_left_agree_across_reports_and_adam(run):
    adam = adam_counts(run["adsl"], run["adeff"], run["adae"])
    flow = rows_by_label(run["analysis"], "tbl-flow", 1, 2)
    status = rows_by_label(run["dsmb"], "tbl-status", 0, 1)
    treatment = rows_by_label(run["dsmb"], "tbl-treatment-status", 1, 2)
    populations = rows_by_label(run["analysis"], "tbl-populations", 0, 2)
    eot = f"Completed treatment ({STUDY.schedule.end_of_treatment.avisit} on drug)"
    assert int(flow["Enrolled"]) == leading_count(populations["Enrolled"]) == adam["enrolled"]
    assert (int(flow["Treated (at least one dose)"]) == leading_count(status["Treated (received at least one dose)"])
            == leading_count(populations["Safety"]) == adam["treated"])
    assert int(flow[eot]) == int(treatment[eot]) == adam["completed_treatment"]
    assert (int(flow["Left the study early"]) == int(treatment["Left the study early"])
            == leading_count(status["Discontinued study"]) == adam["left_study"])


def test_analysed_per_endpoint_is_the_primary_visit_pairs_everywhere(run):
    """The flow's "analysed" is each endpoint's complete pairs at the primary visit, the n of the primary
    table, not the subjects with any later value (20 in the shipped study against 16 pairs)."""
    adam = adam_counts(run["adsl"], run["adeff"], run["adae"])
    visit = STUDY.schedule.primary.avisit
    flow = rows_by_label(run["analysis"], "tbl-flow", 1, 2)
    for label, pairs in adam["analysed"].items():
        assert int(flow[f"Analysed at {visit}: {label} (baseline and {visit} value)"]) == pairs
    primary = STUDY.primary_endpoint.short_label
    assert adam["analysed"][primary] < adam["treated"]  # the shipped study has missing primary-visit values


def test_aes_leading_to_withdrawal_are_counted_and_listed_alike(run):
    adam = adam_counts(run["adsl"], run["adeff"], run["adae"])
    label = "TEAE leading to withdrawal of study drug"
    analysis = rows_by_label(run["analysis"], "tbl-safety", 0, 2)
    overview = rows_by_label(run["dsmb"], "tbl-ae-overview", 0, 2)
    listed = [row for row in html_table(run["dsmb"], "tbl-ae-action") if row[6] == "Drug withdrawn" and row[-1] == "Y"]
    assert int(analysis[label]) == int(overview[label]) == len(listed) == adam["withdrawal_events"]
    # the non-serious withdrawal (a neutrophil decrease) is listed although the SAE listing cannot show it
    sae_terms = {(row[0], row[2]) for row in html_table(run["dsmb"], "tbl-sae")}
    assert any((row[0], row[1]) not in sae_terms for row in listed)


def test_enrolment_rate_is_one_number_in_both_reports(run):
    analysis = rows_by_label(run["analysis"], "tbl-feasibility", 0, 2)["Enrolment rate (enrolled per month of accrual)"]
    dsmb = rows_by_label(run["dsmb"], "tbl-enrolment-status", 0, 1)[
        "Enrolment rate (enrolled per month of accrual), 95% CI"]
    assert dsmb.startswith(analysis + ":")
    # ADSL: the target-th enrolled subject consented in the month accrual closed (the shipped study reached
    # its target); count the months from the planned start by hand
    plan = yaml.safe_load(CONFIG.read_text())["study"]
    adsl = run["adsl"]
    months = sorted(adsl.loc[adsl["ENRLFL"] == "Y", "RFICMON"])
    assert len(months) >= plan["enrolment_target"]
    closed = pd.Period(months[plan["enrolment_target"] - 1], freq="M")
    length = (closed - pd.Period(plan["accrual_start"], freq="M")).n + 1
    assert analysis.startswith(f"{len(months) / length:.2f} ")


def test_the_cutoff_is_stated_once_and_alike_in_every_report(run):
    """The shipped configuration sets no cut-off: every report says the export date, in the same words, once in
    its opening text (the analysis report's appendix repeats it in its run table), and none says "none"."""
    texts = {name: html_text(run[name]) for name in ("analysis", "dsmb", "data_quality")}
    statements = {name: CONFIG_CUTOFF_STATEMENT.findall(text) for name, text in texts.items()}
    assert {name: len(found) for name, found in statements.items()} == {"analysis": 2, "dsmb": 1, "data_quality": 1}
    assert len({sentence for found in statements.values() for sentence in found}) == 1
    for text in texts.values():
        assert "no data cut-off was configured" not in text.lower() and "none — all data" not in text
    dt.date.fromisoformat(statements["dsmb"][0][:10])
