"""Rule power_gather: every scenario's replicates -> the power table and the power curves."""

import json

import pandas as pd

from aidheart.analysis.power import power_table
from aidheart.figures.power import plot_power_curves
from aidheart.figures.style import save_figure
from aidheart.rulelog import configure_rule_logging

log = configure_rule_logging(snakemake.log[0], "power_gather")
alpha = snakemake.params.alpha
with open(snakemake.input.models, encoding="utf-8") as handle:
    models = json.load(handle)
replicates = pd.concat([pd.read_csv(path, keep_default_na=False, na_values=[""])
                        for path in snakemake.input.scenarios], ignore_index=True)
table = power_table(replicates, models, alpha=alpha)
table.to_csv(snakemake.output.table, index=False, float_format="%.17g", lineterminator="\n")
labels = {paramcd: model["param"] for paramcd, model in models.items()}
save_figure(plot_power_curves(table, labels, alpha=alpha), snakemake.output.figure.removesuffix(".png"))
log.info("%d scenarios, %d replicates not converged", len(table), int(table["not_converged"].sum()))
