"""Stopping rules on tiny inline data: each rule below, at and above its threshold.

A rule is met when its count reaches the threshold (count >= threshold).
"""

from __future__ import annotations

import pandas as pd
import pytest

from study_model import CONFIG

from aidheart.tables import stopping

ADAE_COLUMNS = ["SUBJID", "AESEQ", "AETERM", "AEDECOD", "AEBODSYS", "ASTDY", "AENDY", "AEONGO", "AESER", "AEREL",
                "AREL", "AEINJFL", "AEINFFL", "AEACN", "AEOUT", "SAFFL", "AETOXGR", "TRTEMFL"]


def adae(*events: dict) -> pd.DataFrame:
    """ADAE rows: defaults are a non-serious, unrelated, grade 1 TEAE of a treated subject."""
    base = dict(AESEQ=1, AETERM="Headache", AEDECOD="Headache", AEBODSYS="Nervous system disorders", ASTDY=10,
                AENDY=12, AEONGO="N", AESER="N", AEREL="Not related", AREL="NOT RELATED", AEINJFL="N", AEINFFL="N",
                AEACN="", AEOUT="Recovered", SAFFL="Y", AETOXGR=1, TRTEMFL="Y")
    return pd.DataFrame([{**base, **event} for event in events], columns=ADAE_COLUMNS)


def adlb(grades: dict[str, list[int]]) -> pd.DataFrame:
    """ADLB ANC and ANCGR records: subject -> grades at baseline then weeks 2, 4, ..."""
    rows = []
    anc_for_grade = {0: 3.0, 1: 1.8, 2: 1.2, 3: 0.8, 4: 0.3}
    for subject, series in grades.items():
        for number, grade in enumerate(series):
            visit = "Baseline" if number == 0 else f"Week {2 * number}"
            common = dict(USUBJID=f"AIDHEART-{subject}", SUBJID=subject, AVISIT=visit, AVISITN=2 * number, ADY=1 + 14 * number,
                          ABLFL="Y" if number == 0 else "")
            rows.append({**common, "PARAMCD": "ANC", "AVAL": anc_for_grade[grade]})
            rows.append({**common, "PARAMCD": "ANCGR", "AVAL": grade})
    return pd.DataFrame(rows, columns=["USUBJID", "SUBJID", "PARAMCD", "AVISIT", "AVISITN", "ADY", "AVAL", "ABLFL"])


def rule(rule_id: str, threshold: int) -> list[dict]:
    return [{"id": rule_id, "label": rule_id, "threshold": threshold}]


EMPTY_ADLB = adlb({})
EMPTY_ADAE = adae().iloc[0:0]


@pytest.mark.parametrize(("threshold", "status"), [(3, "not met"), (2, "MET"), (1, "MET")])
def test_neutropenia_g3_below_at_above(threshold, status):
    # two subjects reach grade >= 3 after baseline (one grade 3, one grade 4); one has grade 3 only at
    # baseline (not counted); one stays at grade 2
    data = adlb({"1": [0, 3, 1], "2": [1, 2, 4], "3": [3, 0, 0], "4": [0, 2, 2]})
    result = stopping.evaluate_stopping_rules(rule("neutropenia_g3", threshold), data, EMPTY_ADAE)
    assert result.loc[0, "count"] == 2
    assert result.loc[0, "status"] == status


@pytest.mark.parametrize(("threshold", "status"), [(3, "not met"), (2, "MET"), (1, "MET")])
def test_serious_infection_below_at_above(threshold, status):
    data = adae(
        {"SUBJID": "1", "AEINFFL": "Y", "AESER": "Y", "AETERM": "Pneumonia"},
        {"SUBJID": "1", "AESEQ": 2, "AEINFFL": "Y", "AESER": "Y", "AETERM": "Sepsis"},  # same subject: counts once
        {"SUBJID": "2", "AEINFFL": "Y", "AESER": "Y", "AETERM": "Cellulitis"},
        {"SUBJID": "3", "AEINFFL": "Y", "AESER": "N", "AETERM": "Urinary tract infection"},  # not serious
        {"SUBJID": "4", "AEINFFL": "N", "AESER": "Y", "AETERM": "Worsening heart failure"},  # not an infection
        {"SUBJID": "5", "AEINFFL": "Y", "AESER": "Y", "TRTEMFL": None},  # not treatment-emergent
    )
    result = stopping.evaluate_stopping_rules(rule("serious_infection", threshold), EMPTY_ADLB, data)
    assert result.loc[0, "count"] == 2
    assert result.loc[0, "status"] == status


@pytest.mark.parametrize(("threshold", "status"), [(2, "not met"), (1, "MET")])
def test_related_death_at_and_above(threshold, status):
    data = adae(
        {"SUBJID": "1", "AEOUT": "Fatal", "AEREL": "Possibly related", "AREL": "RELATED", "AETOXGR": 5},
        {"SUBJID": "2", "AEOUT": "Fatal", "AEREL": "Not related", "AREL": "NOT RELATED", "AETOXGR": 5},  # unrelated death
        {"SUBJID": "3", "AEOUT": "Recovered", "AEREL": "Definitely related", "AREL": "RELATED"},  # related, not fatal
    )
    result = stopping.evaluate_stopping_rules(rule("related_death", threshold), EMPTY_ADLB, data)
    assert result.loc[0, "count"] == 1
    assert result.loc[0, "status"] == status


def test_related_death_below_threshold_with_no_related_death():
    data = adae({"SUBJID": "2", "AEOUT": "Fatal", "AEREL": "Unlikely related", "AREL": "NOT RELATED", "AETOXGR": 5})
    result = stopping.evaluate_stopping_rules(rule("related_death", 1), EMPTY_ADLB, data)
    assert (result.loc[0, "count"], result.loc[0, "status"]) == (0, "not met")


def test_every_rule_on_empty_data_is_not_met():
    rules = [{"id": "neutropenia_g3", "label": "a", "threshold": 3},
             {"id": "serious_infection", "label": "b", "threshold": 2},
             {"id": "related_death", "label": "c", "threshold": 1}]
    result = stopping.evaluate_stopping_rules(rules, EMPTY_ADLB, EMPTY_ADAE)
    assert result["count"].tolist() == [0, 0, 0]
    assert result["status"].tolist() == ["not met"] * 3


def test_unknown_rule_id_is_an_error_naming_it():
    with pytest.raises(ValueError, match="'platelets_g4'"):
        stopping.evaluate_stopping_rules(rule("platelets_g4", 1), EMPTY_ADLB, EMPTY_ADAE)


def test_shipped_config_rules_all_have_a_count():
    import yaml

    config = yaml.safe_load(CONFIG.read_text())
    result = stopping.evaluate_stopping_rules(config["stopping_rules"], EMPTY_ADLB, EMPTY_ADAE)
    assert result["id"].tolist() == [r["id"] for r in config["stopping_rules"]]
