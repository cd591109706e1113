"""Rule analyse: the analysis plan on ADSL and ADEFF, written as the analysis results dataset."""

import datetime as dt

from aidheart.analysis.build import build_ard
from aidheart.analysis.plan import AnalysisPlan
from aidheart.io import exit_on_write_error, read_table, write_ard
from aidheart.rulelog import configure_rule_logging
from aidheart.study import Study

log = configure_rule_logging(snakemake.log[0], "analyse")
plan = AnalysisPlan.from_config(snakemake.params.analysis)
ard = build_ard(read_table(snakemake.input.adsl), read_table(snakemake.input.adeff),
                study=Study.from_config(snakemake.params.study), plan=plan,
                sizing=snakemake.params.sizing, accrual=snakemake.params.accrual,
                cutoff=dt.date.fromisoformat(snakemake.params.cutoff_date),
                adherence_min_pct=snakemake.params.adherence_min_pct)
with exit_on_write_error(log):
    write_ard(ard, snakemake.output.ard)
empty = ard["note"].fillna("").str.len().gt(0) & ard["estimate"].isna()
log.info("%d ARD rows, %d without an estimate (see their note)", len(ard), int(empty.sum()))
first = plan.covariance[0]
fallbacks = ard[(ard["covariance"] != "") & (ard["covariance"] != first)]
for (paramcd, population, method), rows in fallbacks.groupby(["paramcd", "population", "method"], sort=False):
    log.info("%s %s %s: %s covariance (%s did not converge)", paramcd, population, method,
             rows["covariance"].iloc[0], first)
