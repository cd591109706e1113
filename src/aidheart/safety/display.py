"""The DSMB tables as text: counts with their denominators, summaries, listings.

All rounding goes through :mod:`aidheart.tables.formatting`; these functions
only choose which formatter shows which column and name the columns for the
reader (denominators in the headers: ``N = 20``).
"""

from __future__ import annotations

import pandas as pd

from aidheart.tables.formatting import MISSING, fmt_count, fmt_n_pct, fmt_number



def _indent(label: str, level: int) -> str:
    """Row label by level: 0 bold, 1 plain, 2 prefixed with a dash (pipe tables drop leading spaces)."""
    return f"**{label}**" if level == 0 else label if level == 1 else f"– {label}"


def n_pct(count, total) -> str:
    """``n (%)`` with ``0`` for none and a dash when the denominator is 0."""
    return fmt_n_pct(count, total) if total else ("0" if count == 0 else fmt_count(count))


def status_flow(flow: pd.DataFrame) -> pd.DataFrame:
    """Status flow: ``Status``, ``n (%)``, ``% of``."""
    return pd.DataFrame({"Status": [_indent(label, level) for label, level in zip(flow["label"], flow["level"])],
                         "n (%)": [fmt_count(n) if pd.isna(d) else n_pct(n, d)
                                   for n, d in zip(flow["n"], flow["denominator"])],
                         "% of": ["" if pd.isna(d) else f"{of} (N = {int(d)})"
                                  for of, d in zip(flow["of"], flow["denominator"])]})


def enrolment_by_month(by_month: pd.DataFrame) -> pd.DataFrame:
    """Enrolment per month: screened, enrolled, cumulative and expected."""
    return pd.DataFrame({"Month": by_month["month"], "Screened": by_month["screened"].map(fmt_count),
                         "Enrolled": by_month["enrolled"].map(fmt_count),
                         "Cumulative enrolled": by_month["cumulative_enrolled"].map(fmt_count),
                         "Cumulative expected": by_month["expected"].map(lambda v: fmt_number(v, 1))})


def enrolment_status(status: pd.DataFrame) -> pd.DataFrame:
    """Enrolment status: ``Quantity``, ``Value``."""
    shown = []
    for value, unit in zip(status["value"], status["unit"]):
        shown.append(value if unit == "text" else fmt_count(value) if unit == "count"
                     else fmt_number(value, 1) + ("%" if unit == "percent" and fmt_number(value, 1) != MISSING
                                                  else ""))
    return pd.DataFrame({"Quantity": status["quantity"], "Value": shown})


def screen_failures(reasons: pd.DataFrame) -> pd.DataFrame:
    """Screen-failure reasons: ``Reason``, ``n (% of screen failures)``."""
    total = int(reasons["denominator"].iloc[0]) if len(reasons) else 0
    return pd.DataFrame({"Reason": reasons["reason"],
                         f"n (% of screen failures, N = {total})": [n_pct(n, d) for n, d in
                                                                   zip(reasons["n"], reasons["denominator"])]})


def deviations(table: pd.DataFrame, n_enrolled: int) -> pd.DataFrame:
    """Deviations by category: events, major events, subjects n (%)."""
    return pd.DataFrame({"Category": table["category"], "Events": table["events"].map(fmt_count),
                         "Major": table["major_events"].map(fmt_count),
                         f"Subjects, n (%) of N = {n_enrolled}": [n_pct(n, d) for n, d in
                                                                zip(table["subjects"], table["denominator"])]})


def summary(table: pd.DataFrame, digits: int = 1) -> pd.DataFrame:
    """Demographics/exposure summary: continuous as mean (SD) and median [min, max] with n; categorical n (%)."""
    rows = []
    seen = set()
    if table.empty or not table["denominator"].fillna(0).astype(int).any():
        return pd.DataFrame(columns=["Characteristic", "", "Value"])  # no enrolled subjects: a "None" table
    for _, row in table.iterrows():
        if row["kind"] == "continuous":
            rows.append((row["variable"], "n", fmt_count(row["n"])))
            rows.append(("", "Mean (SD)", f"{fmt_number(row['mean'], digits)} ({fmt_number(row['sd'], digits)})"
                         if row["n"] else MISSING))
            rows.append(("", "Median [min, max]", f"{fmt_number(row['median'], digits)} "
                         f"[{fmt_number(row['min'], digits)}, {fmt_number(row['max'], digits)}]"
                         if row["n"] else MISSING))
        else:
            label = "" if row["variable"] in seen else row["variable"]
            seen.add(row["variable"])
            level = row["level"] or "n (%)"
            rows.append((label, level, n_pct(row["n"], row["denominator"]) if row["denominator"] else "0"))
    return pd.DataFrame(rows, columns=["Characteristic", "", "Value"])


def ae_overview(table: pd.DataFrame) -> pd.DataFrame:
    """AE overview: subjects n (%) and events."""
    total = int(table["denominator"].iloc[0]) if len(table) else 0
    return pd.DataFrame({"Category": table["category"],
                         f"Subjects, n (%) of N = {total}": [n_pct(n, d) for n, d in
                                                           zip(table["subjects"], table["denominator"])],
                         "Events": table["events"].map(fmt_count)})


def _term_label(row) -> str:
    if row["level"] == 0:
        return row["body_system"]
    return f"**{row['body_system']}**" if row["level"] == 1 else f"– {row['term']}"


def ae_by_grade(table: pd.DataFrame) -> pd.DataFrame:
    """AEs by body system/term: subjects n (%), events, subjects by worst grade 1-5."""
    total = int(table["denominator"].iloc[0]) if len(table) else 0
    frame = pd.DataFrame({"Body system / term": [_term_label(row) for _, row in table.iterrows()],
                          f"Subjects (N = {total})": [n_pct(n, d) for n, d in
                                                     zip(table["subjects"], table["denominator"])],
                          "Events": table["events"].map(fmt_count)})
    for grade in range(1, 6):
        frame[f"G{grade}"] = table[f"grade_{grade}"].map(fmt_count)
    return frame


def ae_by_relatedness(table: pd.DataFrame) -> pd.DataFrame:
    """AEs by body system/term: related and not related, subjects n (%) and events."""
    total = int(table["denominator"].iloc[0]) if len(table) else 0
    return pd.DataFrame({
        "Body system / term": [_term_label(row) for _, row in table.iterrows()],
        f"Related: subjects (N = {total})": [n_pct(n, d) for n, d in
                                            zip(table["related_subjects"], table["denominator"])],
        "Related: events": table["related_events"].map(fmt_count),
        "Not related: subjects": [n_pct(n, d) for n, d in zip(table["unrelated_subjects"], table["denominator"])],
        "Not related: events": table["unrelated_events"].map(fmt_count)})


def anc_by_visit(table: pd.DataFrame) -> pd.DataFrame:
    """ANC by visit: n, mean (SD), median [min, max], grade ≥ 2 n (% of n)."""
    return pd.DataFrame({
        "Visit": table["visit"], "n": table["n"].map(fmt_count),
        "Mean (SD)": [f"{fmt_number(m)} ({fmt_number(s)})" for m, s in zip(table["mean"], table["sd"])],
        "Median [min, max]": [f"{fmt_number(m)} [{fmt_number(lo)}, {fmt_number(hi)}]"
                              for m, lo, hi in zip(table["median"], table["min"], table["max"])],
        "Grade ≥ 2, n (% of n)": [n_pct(k, n) for k, n in zip(table["grade_2_plus"], table["n"])]})


def listing(frame: pd.DataFrame, digits: dict[str, int] | None = None) -> pd.DataFrame:
    """A listing as text: integers as integers, the named float columns with their decimals, missing as '–'."""
    shown = frame.copy().astype(object)
    for column in frame.columns:
        if digits and column in digits:
            shown[column] = frame[column].map(lambda v, d=digits[column]: fmt_number(v, d))
        else:
            shown[column] = frame[column].map(lambda v: MISSING if v is None or (not isinstance(v, str)
                                                                                  and pd.isna(v)) else str(v))
    return shown


def stopping_rules(table: pd.DataFrame) -> pd.DataFrame:
    """Stopping rules: rule, count, threshold, status (``MET`` in bold)."""
    return pd.DataFrame({"Stopping rule": table["label"].astype(str).str.replace(">=", "≥", regex=False), "Count": table["count"].map(fmt_count),
                         "Threshold (met when count ≥)": table["threshold"].map(fmt_count),
                         "Status": [f"**{s}**" if s == "MET" else s for s in table["status"]]})


def completeness(table: pd.DataFrame) -> pd.DataFrame:
    """Forms expected vs received per visit (visits nobody is expected at yet are left out)."""
    table = table[table["expected"] > 0]
    return pd.DataFrame({"Visit": table["visit"], "Form": table["form"],
                         "Expected": table["expected"].map(fmt_count), "Received": table["received"].map(fmt_count),
                         "Missing": table["missing"].map(fmt_count),
                         "Received, %": [fmt_number(100 * r / e, 0) if e else MISSING
                                         for r, e in zip(table["received"], table["expected"])]})


def details(lines: list[tuple[str, str]]) -> str:
    """Markdown of labelled lines (the report's front details): one bold label per paragraph."""
    return "\n\n".join(f"**{label}:** {text}" for label, text in lines) + "\n"
