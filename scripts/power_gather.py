"""Rule power_gather: every endpoint's replicates -> the power table (one row per scenario) and the power curves."""

import json

import pandas as pd

from aidheart.analysis.power import power_table
from aidheart.figures.names import figure_stem
from aidheart.figures.power import plot_power_curves
from aidheart.figures.style import save_figure
from aidheart.io import exit_on_write_error, read_table, write_table
from aidheart.rulelog import configure_rule_logging
from aidheart.study import Study

log = configure_rule_logging(snakemake.log[0], "power_gather")
alpha = snakemake.params.alpha
study = Study.from_config(snakemake.params.study)
with open(snakemake.input.models, encoding="utf-8") as handle:
    models = json.load(handle)
replicates = pd.concat([read_table(path) for path in snakemake.input.replicates], ignore_index=True)
table = power_table(replicates, models, alpha=alpha)
with exit_on_write_error(log):
    write_table(table, snakemake.output.table, float_format="%.17g")
    save_figure(plot_power_curves(table, [study.endpoint(paramcd) for paramcd in models], alpha=alpha),
                snakemake.output[figure_stem("power")].removesuffix(".png"))
log.info("%d scenarios, %d replicates not converged", len(table), int(table["not_converged"].sum()))
