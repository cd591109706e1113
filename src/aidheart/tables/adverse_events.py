"""Adverse events (ADAE): the summary of treatment-emergent AEs, by body system and term, listings, deaths.

Summaries count treatment-emergent AEs (``TRTEMFL == "Y"``) of the treated subjects
(``SAFFL == "Y"``); the denominator is the number treated. A subject counts once per
row, at the worst grade (``AETOXGR``) of that row's events; events count every
record. Related = possibly, probably or definitely related (``AREL == "RELATED"``).
Listings show every AE reported by the cut-off, with its treatment-emergent flag.
"""

from __future__ import annotations

import pandas as pd

from aidheart.derive.adae import AREL_RELATED
from aidheart.tables.formatting import fmt_count, fmt_listing, fmt_n_pct
from aidheart.tables.populations import treated

GRADES = (1, 2, 3, 4, 5)
LISTING_COLUMNS = ["Subject", "Body system", "Term", "Onset day", "End day", "Grade", "Serious", "Relatedness",
                   "Action", "Outcome", "TEAE"]
DEATH_COLUMNS = ["Subject", "Death day", "Last dose day", "Days after last dose", "Fatal AE", "Relatedness",
                 "TEAE"]


def _flag(series: pd.Series) -> pd.Series:
    return series.astype("string").eq("Y").fillna(False).astype(bool)


def _is(series: pd.Series, value: str) -> pd.Series:
    return series.astype("string").eq(value).fillna(False).astype(bool)


def _grade(adae: pd.DataFrame) -> pd.Series:
    return pd.to_numeric(adae["AETOXGR"], errors="coerce")


#: Categories of treatment-emergent AEs: label -> which TEAE records belong to it.
TEAE_CATEGORIES = {
    "Any treatment-emergent AE (TEAE)": lambda te: pd.Series(True, index=te.index),
    "Related TEAE (possibly, probably, definitely)": lambda te: _is(te["AREL"], AREL_RELATED),
    "TEAE of CTCAE grade 3 or higher": lambda te: (_grade(te) >= 3).fillna(False),
    "Serious TEAE": lambda te: _flag(te["AESER"]),
    "TEAE leading to withdrawal of study drug": lambda te: _is(te["AEACN"], "Drug withdrawn"),
    "TEAE with fatal outcome": lambda te: _is(te["AEOUT"], "Fatal"),
    "Injection-site reaction (TEAE)": lambda te: _flag(te["AEINJFL"]),
    "Infection (TEAE)": lambda te: _flag(te["AEINFFL"]),
}


def reported(adae: pd.DataFrame) -> pd.DataFrame:
    """AEs of treated subjects (any onset), sorted by subject and onset."""
    rows = adae[_flag(adae["SAFFL"])] if len(adae) else adae
    return rows.sort_values(["SUBJID", "ASTDY", "AESEQ"], kind="stable") if len(rows) else rows


def treatment_emergent(adae: pd.DataFrame) -> pd.DataFrame:
    """Treatment-emergent AEs of treated subjects."""
    rows = reported(adae)
    return rows[_flag(rows["TRTEMFL"])] if len(rows) else rows


def serious(adae: pd.DataFrame) -> pd.DataFrame:
    """Serious AEs of treated subjects (any onset)."""
    rows = reported(adae)
    return rows[_flag(rows["AESER"])] if len(rows) else rows


def flagged(adae: pd.DataFrame, flag: str) -> pd.DataFrame:
    """Treatment-emergent AEs with ``flag == "Y"`` (``AEINJFL`` injection site, ``AEINFFL`` infection)."""
    rows = treatment_emergent(adae)
    return rows[_flag(rows[flag])] if len(rows) else rows


def _subjects(rows: pd.DataFrame) -> int:
    return rows["SUBJID"].nunique() if len(rows) else 0


def teae_summary_table(adsl: pd.DataFrame, adae: pd.DataFrame, *, reported_row: bool = False,
                       deaths_row: bool = False) -> pd.DataFrame:
    """Subjects n (% of the treated) and events per category of :data:`TEAE_CATEGORIES`.

    ``reported_row`` puts first every AE reported (including before the first dose);
    ``deaths_row`` ends with the treated subjects who died (ADSL ``DTHFL``; events empty).

    Returns
    -------
    DataFrame
        Columns ``Category``, ``Subjects, n (%) of N = <treated>``, ``Events``.
    """
    n = len(treated(adsl))
    every, te = reported(adae), treatment_emergent(adae)
    parts = [("Any AE reported (including before the first dose)", every)] if reported_row else []
    parts += [(label, te[rule(te)] if len(te) else te) for label, rule in TEAE_CATEGORIES.items()]
    rows = [(label, fmt_n_pct(_subjects(part), n), fmt_count(len(part))) for label, part in parts]
    if deaths_row:
        rows.append(("Deaths (any cause)", fmt_n_pct(int(_flag(treated(adsl)["DTHFL"]).sum()), n), ""))
    return pd.DataFrame(rows, columns=["Category", f"Subjects, n (%) of N = {n}", "Events"])


def _ordered(groups: dict[str, pd.DataFrame]) -> list[str]:
    return sorted(groups, key=lambda key: (-groups[key]["SUBJID"].nunique(), key))


def _by_term(events: pd.DataFrame, total_label: str) -> list[tuple[str, pd.DataFrame]]:
    """(row label, its AE records): the total, then each body system (bold) and its terms (dashed)."""
    rows = [(total_label, events)]
    if len(events):
        data = events.assign(AEBODSYS=events["AEBODSYS"].astype("string").fillna("Not coded"),
                             AEDECOD=events["AEDECOD"].astype("string").fillna("Not recorded"))
        systems = dict(iter(data.groupby("AEBODSYS")))
        for system in _ordered(systems):
            rows.append((f"**{system}**", systems[system]))
            terms = dict(iter(systems[system].groupby("AEDECOD")))
            rows.extend((f"– {term}", terms[term]) for term in _ordered(terms))
    return rows


def by_term_grade_table(events: pd.DataFrame, n_treated: int, total_label: str = "Any TEAE") -> pd.DataFrame:
    """Per body system and term (``AEDECOD``): subjects n (%), events, and subjects by worst grade G1..G5.

    Body systems and terms by decreasing subjects, then name; the first row is ``total_label``
    (every record of ``events``).
    """
    rows = []
    for label, part in _by_term(events, total_label):
        worst = _grade(part).groupby(part["SUBJID"]).max() if len(part) else pd.Series(dtype=float)
        rows.append({"Body system / term": label, f"Subjects (N = {n_treated})": fmt_n_pct(_subjects(part), n_treated),
                     "Events": fmt_count(len(part)), **{f"G{g}": fmt_count(int((worst == g).sum())) for g in GRADES}})
    return pd.DataFrame(rows)


def by_term_relatedness_table(events: pd.DataFrame, n_treated: int) -> pd.DataFrame:
    """Per body system and term: related and not related subjects n (%) and events.

    A subject with both related and unrelated events counts in both columns.
    """
    rows = []
    for label, part in _by_term(events, "Any TEAE"):
        related = _is(part["AREL"], AREL_RELATED) if len(part) else pd.Series(dtype=bool)
        rows.append({"Body system / term": label,
                     f"Related: subjects (N = {n_treated})": fmt_n_pct(_subjects(part[related]), n_treated),
                     "Related: events": fmt_count(int(related.sum())),
                     "Not related: subjects": fmt_n_pct(_subjects(part[~related]), n_treated),
                     "Not related: events": fmt_count(int((~related).sum()))})
    return pd.DataFrame(rows)


def listing(events: pd.DataFrame) -> pd.DataFrame:
    """One line per AE as text: subject, body system, term, study days (or "Ongoing"), grade, ..., TEAE flag."""
    if events.empty:
        return pd.DataFrame(columns=LISTING_COLUMNS)
    frame = pd.DataFrame({
        "Subject": events["SUBJID"].astype(str), "Body system": events["AEBODSYS"], "Term": events["AETERM"],
        "Onset day": pd.to_numeric(events["ASTDY"], errors="coerce").astype("Int64"),
        "End day": pd.to_numeric(events["AENDY"], errors="coerce").astype("Int64"),
        "Grade": _grade(events).astype("Int64"), "Serious": events["AESER"], "Relatedness": events["AEREL"],
        "Action": events["AEACN"], "Outcome": events["AEOUT"], "TEAE": events["TRTEMFL"].fillna("N")})
    shown = fmt_listing(frame)
    shown["End day"] = shown["End day"].where(~_flag(events["AEONGO"]).to_numpy(), "Ongoing")
    return shown.reset_index(drop=True)


def deaths_table(adsl: pd.DataFrame, adae: pd.DataFrame) -> pd.DataFrame:
    """One line per death of a treated subject, with its fatal AE(s) and their relatedness."""
    died = treated(adsl)
    died = died[_flag(died["DTHFL"])] if len(died) else died
    fatal = reported(adae)
    fatal = fatal[_is(fatal["AEOUT"], "Fatal")] if len(fatal) else fatal
    rows = []
    for _, subject in died.sort_values("SUBJID").iterrows():
        own = fatal[fatal["SUBJID"].astype(str) == str(subject["SUBJID"])] if len(fatal) else fatal
        death, last = pd.to_numeric(subject["DTHDY"], errors="coerce"), pd.to_numeric(subject["TRTEDY"],
                                                                                   errors="coerce")
        rows.append({"Subject": str(subject["SUBJID"]), "Death day": death, "Last dose day": last,
                     "Days after last dose": death - last,
                     "Fatal AE": "; ".join(own["AETERM"].astype(str)) or "None recorded",
                     "Relatedness": "; ".join(own["AEREL"].astype(str)),
                     "TEAE": "; ".join(own["TRTEMFL"].fillna("N").astype(str))})
    return fmt_listing(pd.DataFrame(rows, columns=DEATH_COLUMNS))
