"""Next-trial sizing (the ARD's next_trial_size and next_trial_size_ancova rows) as display tables."""

from __future__ import annotations

import pandas as pd

from aidheart.stats.ard import ci_label
from aidheart.study import Endpoint, Study
from aidheart.tables.ard_rows import display_label, one, select
from aidheart.tables.formatting import MISSING, fmt_count, fmt_estimate_ci, fmt_number, fmt_percent_ci

PRE_POST, ANCOVA = "next_trial_size", "next_trial_size_ancova"
#: The grid terms of each design -> their column: per-arm n on the SD and on its 80 % upper limit,
#: and for the ANCOVA also the subjects to enrol per arm for the pilot's dropout.
GRID_COLUMNS = {
    PRE_POST: {"n_per_arm_sd_change": "Change: n per arm (SD)", "n_per_arm_sd_ucl80": "Change: n per arm (80% UCL)"},
    ANCOVA: {"n_per_arm_sd_ancova": "ANCOVA: n per arm (SD)", "n_per_arm_sd_ancova_ucl80": "ANCOVA: n per arm (80% UCL)",
             "n_enrol_per_arm_sd_ancova_ucl80": "ANCOVA: enrol per arm (80% UCL, dropout)"},
}


def sd_table(ard: pd.DataFrame, study: Study) -> pd.DataFrame:
    """Per sized endpoint: the SDs each design is sized on, with Browne's 80 % and 95 % upper confidence limits.

    Returns
    -------
    DataFrame
        Columns ``Endpoint``, ``n``, ``SD basis``, ``SD``, ``80% UCL``, ``95% UCL``: two
        rows per endpoint, the SD of change (a trial comparing mean changes) and the
        ANCOVA SD, sd_visit·sqrt(1 − r²) (a trial adjusting the visit value for baseline).
    """
    table = []
    for (paramcd, population, visit), rows in ard[ard["method"] == PRE_POST].groupby(
            ["paramcd", "population", "visit"], sort=False):
        endpoint = study.endpoint(paramcd)
        ancova = select(ard, paramcd=paramcd, population=population, visit=visit, method=ANCOVA)
        for basis, source, prefix in (("Change from baseline", rows, "sd"), ("ANCOVA (baseline-adjusted)", ancova,
                                                                             "sd_ancova")):
            sd = one(source, term="sd_change" if prefix == "sd" else prefix)
            table.append({"Endpoint": display_label(endpoint.short_param), "n": fmt_count(sd["n"]), "SD basis": basis,
                          "SD": fmt_number(sd["estimate"], endpoint.digits),
                          "80% UCL": fmt_number(one(source, term=f"{prefix}_ucl80")["estimate"], endpoint.digits),
                          "95% UCL": fmt_number(one(source, term=f"{prefix}_ucl95")["estimate"], endpoint.digits)})
    return pd.DataFrame(table, columns=["Endpoint", "n", "SD basis", "SD", "80% UCL", "95% UCL"])


def ancova_inputs_table(ard: pd.DataFrame, study: Study) -> pd.DataFrame:
    """Per sized endpoint: the baseline–visit correlation with its CI and the pilot's dropout.

    Returns
    -------
    DataFrame
        Columns ``Endpoint``, ``Visit``, ``Correlation r (95% CI)``, ``Dropout``: ``Dropout``
        is the share of treated subjects with a baseline and no value at the visit.
    """
    table = []
    for (paramcd, visit), rows in ard[ard["method"] == ANCOVA].groupby(["paramcd", "visit"], sort=False):
        endpoint = study.endpoint(paramcd)
        r, dropout = one(rows, term="correlation"), one(rows, term="dropout")
        table.append({"Endpoint": display_label(endpoint.short_param), "Visit": visit,
                      f"Correlation r ({ci_label()})": fmt_estimate_ci(r["estimate"], r["ci_low"], r["ci_high"], 2),
                      "Dropout": fmt_percent_ci(dropout["estimate"], None, None)})
    return pd.DataFrame(table, columns=["Endpoint", "Visit", f"Correlation r ({ci_label()})", "Dropout"])


def sample_size_table(ard: pd.DataFrame, endpoint: Endpoint) -> pd.DataFrame:
    """Per-arm n of a two-arm trial over the grid of differences and powers, for each design and SD assumption.

    The ARD's ``statistic`` holds the n rounded up to whole subjects, ``threshold`` the
    difference and ``power`` the power of each grid row; a grid point whose power cannot
    be reached shows the missing mark. The row of the endpoint's MCID is labelled "(MCID)".

    Returns
    -------
    DataFrame
        Columns ``Difference to detect``, ``Power``, and the columns of :data:`GRID_COLUMNS`.
    """
    table = {}
    columns = []
    for method, terms in GRID_COLUMNS.items():
        columns += list(terms.values())
        grid = ard[(ard["method"] == method) & (ard["paramcd"] == endpoint.paramcd) & ard["term"].isin(list(terms))]
        for _, point in grid.iterrows():
            key = (float(point["threshold"]), float(point["power"]))
            label = f"{key[0]:g}" + (f" {display_label(endpoint.unit)}" if endpoint.unit else "")
            if endpoint.mcid is not None and key[0] == float(endpoint.mcid):
                label += " (MCID)"
            entry = table.setdefault(key, {"Difference to detect": label, "Power": f"{100 * key[1]:.0f}%"})
            entry[terms[point["term"]]] = fmt_count(point["statistic"]) if pd.notna(point["statistic"]) else MISSING
    if not table:
        return pd.DataFrame(columns=["Difference to detect", "Power"])
    return pd.DataFrame([table[key] for key in sorted(table)], columns=["Difference to detect", "Power", *columns])
