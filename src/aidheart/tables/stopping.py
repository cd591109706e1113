"""The DSMB stopping rules of the configuration (``stopping_rules``) evaluated with the data.

Each rule has an ``id``, a ``label`` and a ``threshold``; it is **met** when its
count reaches the threshold (count >= threshold). What each id counts:

- ``neutropenia_g3``: subjects with a post-baseline ANC of CTCAE grade >= 3
  (ADLB ``ANCGR`` after the first dose);
- ``serious_infection``: subjects with a serious treatment-emergent infection
  (ADAE ``AEINFFL == AESER == TRTEMFL == "Y"``);
- ``related_death``: subjects who died with an AE of outcome fatal that is
  possibly, probably or definitely related (ADAE ``AEOUT == "Fatal"``,
  ``AREL == "RELATED"``; any onset).
"""

from __future__ import annotations

import pandas as pd

from aidheart.derive.adae import AREL_RELATED
from aidheart.tables.adverse_events import flagged, reported
from aidheart.tables.formatting import fmt_count
from aidheart.tables.neutrophils import worst_post_baseline_grade

MET, NOT_MET = "MET", "not met"
RESULT_COLUMNS = ["id", "label", "count", "threshold", "status"]


def count_neutropenia_g3(adlb: pd.DataFrame) -> int:
    """Subjects with a post-baseline ANC grade >= 3."""
    return int((worst_post_baseline_grade(adlb) >= 3).sum())


def count_serious_infection(adae: pd.DataFrame) -> int:
    """Subjects with a serious treatment-emergent infection."""
    infections = flagged(adae, "AEINFFL")
    if infections.empty:
        return 0
    return int(infections.loc[infections["AESER"].astype("string").eq("Y").fillna(False).astype(bool),
                              "SUBJID"].nunique())


def count_related_death(adae: pd.DataFrame) -> int:
    """Subjects with a fatal AE that is possibly, probably or definitely related."""
    every = reported(adae)
    if every.empty:
        return 0
    fatal = every["AEOUT"].astype("string").eq("Fatal").fillna(False).astype(bool)
    related = every["AREL"].astype("string").eq(AREL_RELATED).fillna(False).astype(bool)
    return int(every.loc[fatal & related, "SUBJID"].nunique())


COUNTERS = {
    "neutropenia_g3": lambda adlb, adae: count_neutropenia_g3(adlb),
    "serious_infection": lambda adlb, adae: count_serious_infection(adae),
    "related_death": lambda adlb, adae: count_related_death(adae),
}


def evaluate(rules: list[dict], counts: dict[str, int]) -> pd.DataFrame:
    """Each rule with its count, threshold and status (``MET`` when count >= threshold, else ``not met``).

    ``counts`` maps rule id -> count; a rule without a count is an error naming it.
    """
    rows = []
    for rule in rules:
        if rule["id"] not in counts:
            raise ValueError(f"stopping rule {rule['id']!r}: no count for it (known: {', '.join(sorted(counts))})")
        count, threshold = int(counts[rule["id"]]), rule["threshold"]
        rows.append((rule["id"], rule.get("label", rule["id"]), count, threshold,
                     MET if count >= threshold else NOT_MET))
    return pd.DataFrame(rows, columns=RESULT_COLUMNS)


def evaluate_stopping_rules(rules: list[dict], adlb: pd.DataFrame, adae: pd.DataFrame) -> pd.DataFrame:
    """Count every configured rule on the data and evaluate it (see :func:`evaluate`)."""
    unknown = [rule["id"] for rule in rules if rule["id"] not in COUNTERS]
    if unknown:
        raise ValueError(f"stopping rule(s) {', '.join(map(repr, unknown))} have no counting rule; "
                         f"known ids: {', '.join(sorted(COUNTERS))}")
    counts = {rule["id"]: COUNTERS[rule["id"]](adlb, adae) for rule in rules}
    return evaluate(rules, counts)


def stopping_table(results: pd.DataFrame) -> pd.DataFrame:
    """:func:`evaluate_stopping_rules` as text: rule, count, threshold, status (``MET`` in bold)."""
    return pd.DataFrame({"Stopping rule": results["label"].astype(str).str.replace(">=", "≥", regex=False),
                         "Count": results["count"].map(fmt_count),
                         "Threshold (met when count ≥)": results["threshold"].map(fmt_count),
                         "Status": [f"**{status}**" if status == MET else status for status in results["status"]]})
