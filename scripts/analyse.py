"""Rule analyse: the analysis plan on ADSL and ADEFF, written as the analysis results dataset."""

import pandas as pd

from aidheart.analysis.build import build_ard
from aidheart.rulelog import configure_rule_logging
from aidheart.stats.ard import write_ard

log = configure_rule_logging(snakemake.log[0], "analyse")
adsl = pd.read_csv(snakemake.input.adsl)
adeff = pd.read_csv(snakemake.input.adeff)
ard = build_ard(adsl, adeff, endpoints=snakemake.params.endpoints, visits=snakemake.params.visits,
                primary_visit=snakemake.params.primary_visit, analysis=snakemake.params.analysis,
                sizing=snakemake.params.sizing, accrual_start=snakemake.params.accrual_start,
                adherence_min_pct=snakemake.params.adherence_min_pct)
write_ard(ard, snakemake.output.ard)
empty = ard["note"].fillna("").str.len().gt(0) & ard["estimate"].isna()
log.info("%d ARD rows, %d without an estimate (see their note)", len(ard), int(empty.sum()))
