"""Next-trial sizing (the ARD's next_trial_size rows) as display tables."""

from __future__ import annotations

import re

import pandas as pd

from aidheart.tables.ard_rows import digits_for, one
from aidheart.tables.formatting import MISSING, fmt_count, fmt_number

GRID_TERM = re.compile(r"n_per_arm\[delta=(?P<delta>[^,]+),power=(?P<power>[^,]+),sd=(?P<sd>[^\]]+)\]")


def sd_table(ard: pd.DataFrame, labels: dict) -> pd.DataFrame:
    """Per sized endpoint: visit, pairs, SD of change and its Browne 80 % and 95 % upper confidence limits.

    Returns
    -------
    DataFrame
        Columns ``Endpoint``, ``Visit``, ``n``, ``SD of change``, ``80% UCL``, ``95% UCL``.
    """
    sized = ard[ard["method"] == "next_trial_size"]
    table = []
    for (paramcd, population, visit), _ in sized.groupby(["paramcd", "population", "visit"], sort=False):
        digits = digits_for(paramcd)
        get = lambda term: one(sized, paramcd=paramcd, population=population, visit=visit, term=term)  # noqa: E731
        sd = get("sd_change")
        table.append({"Endpoint": labels.get(paramcd, paramcd), "Visit": visit, "n": fmt_count(sd["n"]),
                      "SD of change": fmt_number(sd["estimate"], digits),
                      "80% UCL": fmt_number(get("sd_ucl80")["estimate"], digits),
                      "95% UCL": fmt_number(get("sd_ucl95")["estimate"], digits)})
    return pd.DataFrame(table, columns=["Endpoint", "Visit", "n", "SD of change", "80% UCL", "95% UCL"])


def sample_size_table(ard: pd.DataFrame, paramcd: str, *, mcid: float | None = None,
                      unit: str = "") -> pd.DataFrame:
    """Per-arm n of a two-arm trial over the grid of effect sizes and powers, for each SD assumption.

    The ARD's ``statistic`` holds the n rounded up to whole subjects; a grid point whose
    power cannot be reached shows the missing mark. The row of the effect size ``mcid``
    is labelled "(MCID)".

    Returns
    -------
    DataFrame
        Columns ``Difference to detect``, ``Power``, and one ``n per arm (SD …)`` column per SD assumption.
    """
    rows = ard[(ard["method"] == "next_trial_size") & (ard["paramcd"] == paramcd)]
    grid = rows["term"].str.extract(GRID_TERM).dropna()
    if grid.empty:
        return pd.DataFrame(columns=["Difference to detect", "Power"])
    grid = grid.assign(n=rows.loc[grid.index, "statistic"])
    sd_labels = {"sd_change": "n per arm (observed SD)", "sd_ucl80": "n per arm (80% UCL of SD)",
                 "sd_ucl95": "n per arm (95% UCL of SD)"}
    table = {}
    for _, point in grid.iterrows():
        key = (float(point["delta"]), float(point["power"]))
        label = point["delta"] + (f" {unit}" if unit else "")
        if mcid is not None and float(point["delta"]) == float(mcid):
            label += " (MCID)"
        entry = table.setdefault(key, {"Difference to detect": label, "Power": f"{100 * key[1]:.0f}%"})
        entry[sd_labels.get(point["sd"], point["sd"])] = fmt_count(point["n"]) if pd.notna(point["n"]) else MISSING
    return pd.DataFrame([table[key] for key in sorted(table)])
