"""Adverse events: overview, by body system and term with grade and relatedness, listings.

Summaries count treatment-emergent AEs (ADAE ``TRTEMFL == "Y"``) of the enrolled
subjects (``SAFFL == "Y"``); the denominator is the number enrolled.  A subject
counts once per row, at the worst grade of that row's events; events count
every record.  Related = possibly, probably or definitely related (ADAE
``ARELFL``).  Listings show every AE reported by the cut-off, with its
treatment-emergent flag.
"""

from __future__ import annotations

import pandas as pd

GRADES = (1, 2, 3, 4, 5)
TERM_COLUMNS = ["level", "body_system", "term", "subjects", "events", "denominator",
                *[f"grade_{g}" for g in GRADES], "grade_missing"]
RELATED_COLUMNS = ["level", "body_system", "term", "subjects", "events", "related_subjects", "related_events",
                   "unrelated_subjects", "unrelated_events", "denominator"]
LISTING_COLUMNS = ["Subject", "Body system", "Term", "Onset day", "End day", "Grade", "Serious", "Relatedness",
                   "Action", "Outcome", "TEAE"]
DEATH_COLUMNS = ["Subject", "Death day", "Last dose day", "Days after last dose", "Fatal AE", "Relatedness",
                 "TEAE"]


def _flag(series: pd.Series) -> pd.Series:
    return series.astype("string").eq("Y").fillna(False).astype(bool)


def reported(adae: pd.DataFrame) -> pd.DataFrame:
    """AEs of enrolled subjects (any onset), sorted by subject and onset."""
    if adae.empty:
        return adae
    rows = adae[_flag(adae["SAFFL"])]
    return rows.sort_values(["SUBJID", "ASTDY", "AESEQ"], kind="stable")


def treatment_emergent(adae: pd.DataFrame) -> pd.DataFrame:
    """Treatment-emergent AEs of enrolled subjects."""
    rows = reported(adae)
    return rows[_flag(rows["TRTEMFL"])] if len(rows) else rows


def _grade(adae: pd.DataFrame) -> pd.Series:
    return pd.to_numeric(adae["ATOXGR"], errors="coerce")


def overview(adae: pd.DataFrame, n_enrolled: int) -> pd.DataFrame:
    """Subjects and events per AE category: ``category``, ``subjects``, ``events``, ``denominator``."""
    every = reported(adae)
    te = treatment_emergent(adae)
    grade = _grade(te) if len(te) else pd.Series(dtype=float)
    parts = [("Any AE reported (including before the first dose)", every),
             ("Any treatment-emergent AE (TEAE)", te)]
    if len(te):
        parts += [("Related TEAE (possibly, probably, definitely)", te[_flag(te["ARELFL"])]),
                  ("TEAE of grade 3 or higher", te[(grade >= 3).to_numpy()]),
                  ("Serious TEAE", te[_flag(te["AESER"])]),
                  ("TEAE leading to withdrawal of study drug",
                   te[te["AEACN"].astype("string").eq("Drug withdrawn").fillna(False).astype(bool)]),
                  ("TEAE with fatal outcome", te[te["AEOUT"].astype("string").eq("Fatal").fillna(False).astype(bool)]),
                  ("Injection-site reaction (TEAE)", te[_flag(te["AEINJFL"])]),
                  ("Infection (TEAE)", te[_flag(te["AEINFFL"])])]
    else:
        parts += [(label, te) for label in (
            "Related TEAE (possibly, probably, definitely)", "TEAE of grade 3 or higher", "Serious TEAE",
            "TEAE leading to withdrawal of study drug", "TEAE with fatal outcome",
            "Injection-site reaction (TEAE)", "Infection (TEAE)")]
    rows = [(label, part["SUBJID"].nunique() if len(part) else 0, len(part), n_enrolled) for label, part in parts]
    return pd.DataFrame(rows, columns=["category", "subjects", "events", "denominator"])


def _ordered(groups: dict[str, pd.DataFrame]) -> list[str]:
    return sorted(groups, key=lambda key: (-groups[key]["SUBJID"].nunique(), key))


def _grade_row(level: int, system: str, term: str, rows: pd.DataFrame, n: int) -> dict:
    worst = _grade(rows).groupby(rows["SUBJID"]).max() if len(rows) else pd.Series(dtype=float)
    row = {"level": level, "body_system": system, "term": term, "subjects": rows["SUBJID"].nunique(),
           "events": len(rows), "denominator": n, "grade_missing": int(worst.isna().sum())}
    row.update({f"grade_{g}": int((worst == g).sum()) for g in GRADES})
    return row


def _related_row(level: int, system: str, term: str, rows: pd.DataFrame, n: int) -> dict:
    related = _flag(rows["ARELFL"]) if len(rows) else pd.Series(dtype=bool)
    return {"level": level, "body_system": system, "term": term, "subjects": rows["SUBJID"].nunique(),
            "events": len(rows), "related_subjects": rows.loc[related, "SUBJID"].nunique(),
            "related_events": int(related.sum()), "unrelated_subjects": rows.loc[~related, "SUBJID"].nunique(),
            "unrelated_events": int((~related).sum()), "denominator": n}


def _by_term(events: pd.DataFrame, n: int, make_row, columns, total: str = "Any TEAE") -> pd.DataFrame:
    rows = [make_row(0, total, "", events, n)]
    if len(events):
        data = events.assign(AEBODSYS=events["AEBODSYS"].astype("string").fillna("Not coded"),
                             AETERM=events["AETERM"].astype("string").fillna("Not recorded"))
        systems = dict(iter(data.groupby("AEBODSYS")))
        for system in _ordered(systems):
            rows.append(make_row(1, system, "", systems[system], n))
            terms = dict(iter(systems[system].groupby("AETERM")))
            rows.extend(make_row(2, system, term, terms[term], n) for term in _ordered(terms))
    return pd.DataFrame(rows, columns=columns)


def by_term_grade(events: pd.DataFrame, n_enrolled: int, total: str = "Any TEAE") -> pd.DataFrame:
    """Subjects by worst CTCAE grade and events, per body system and term (``events``: ADAE rows to count).

    Returns
    -------
    DataFrame with ``level`` (0 any, 1 body system, 2 term), ``body_system``,
    ``term``, ``subjects``, ``events``, ``denominator``, ``grade_1`` ...
    ``grade_5`` (subjects whose worst grade in the row is that grade) and
    ``grade_missing``.  Body systems and terms by decreasing subjects, then name;
    ``total`` labels the first row (all the events).
    """
    return _by_term(events, n_enrolled, _grade_row, TERM_COLUMNS, total)


def by_term_relatedness(events: pd.DataFrame, n_enrolled: int) -> pd.DataFrame:
    """Subjects and events per body system and term, split into related and not related.

    A subject with both related and unrelated events counts in both columns.
    """
    return _by_term(events, n_enrolled, _related_row, RELATED_COLUMNS)


def listing(events: pd.DataFrame) -> pd.DataFrame:
    """One line per AE with the listing columns (study days; grade as a number)."""
    if events.empty:
        return pd.DataFrame(columns=LISTING_COLUMNS)
    frame = pd.DataFrame({
        "Subject": events["SUBJID"].astype(str), "Body system": events["AEBODSYS"], "Term": events["AETERM"],
        "Onset day": pd.to_numeric(events["ASTDY"], errors="coerce").astype("Int64"),
        "End day": pd.to_numeric(events["AENDY"], errors="coerce").astype("Int64"),
        "Grade": _grade(events).astype("Int64"), "Serious": events["AESER"], "Relatedness": events["AEREL"],
        "Action": events["AEACN"], "Outcome": events["AEOUT"], "TEAE": events["TRTEMFL"].fillna("N")})
    ongoing = _flag(events["AEONGO"]).to_numpy()
    frame["End day"] = frame["End day"].astype("string").where(~ongoing, "Ongoing")
    return frame.reset_index(drop=True)


def serious(adae: pd.DataFrame) -> pd.DataFrame:
    """Serious AEs of enrolled subjects (any onset)."""
    every = reported(adae)
    return every[_flag(every["AESER"])] if len(every) else every


def flagged(adae: pd.DataFrame, flag: str) -> pd.DataFrame:
    """Treatment-emergent AEs with ``flag == "Y"`` (``AEINJFL`` injection site, ``AEINFFL`` infection)."""
    te = treatment_emergent(adae)
    return te[_flag(te[flag])] if len(te) else te


def deaths(adsl: pd.DataFrame, adae: pd.DataFrame) -> pd.DataFrame:
    """One line per death of an enrolled subject, with its fatal AE(s) and their relatedness."""
    if adsl.empty:
        return pd.DataFrame(columns=DEATH_COLUMNS)
    died = adsl[_flag(adsl["SAFFL"]) & _flag(adsl["DTHFL"])]
    fatal = reported(adae)
    fatal = fatal[fatal["AEOUT"].astype("string").eq("Fatal").fillna(False).astype(bool)] if len(fatal) else fatal
    rows = []
    for _, subject in died.sort_values("SUBJID").iterrows():
        own = fatal[fatal["SUBJID"].astype(str) == str(subject["SUBJID"])] if len(fatal) else fatal
        death, last = pd.to_numeric(subject["DTHDY"], errors="coerce"), pd.to_numeric(subject["TRTEDT"],
                                                                                   errors="coerce")
        rows.append({"Subject": str(subject["SUBJID"]),
                     "Death day": pd.NA if pd.isna(death) else int(death),
                     "Last dose day": pd.NA if pd.isna(last) else int(last),
                     "Days after last dose": pd.NA if pd.isna(death) or pd.isna(last) else int(death - last),
                     "Fatal AE": "; ".join(own["AETERM"].astype(str)) or "None recorded",
                     "Relatedness": "; ".join(own["AEREL"].astype(str)) or "",
                     "TEAE": "; ".join(own["TRTEMFL"].fillna("N").astype(str)) or ""})
    return pd.DataFrame(rows, columns=DEATH_COLUMNS)
