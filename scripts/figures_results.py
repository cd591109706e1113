"""Rule figures_results: spaghetti plots, waterfalls and the forest plot, from ADaM and the ARD."""

import pandas as pd

from aidheart.figures.forest import plot_forest
from aidheart.figures.longitudinal import plot_spaghetti, plot_waterfall
from aidheart.figures.style import save_figure
from aidheart.rulelog import configure_rule_logging

log = configure_rule_logging(snakemake.log[0], "figures_results")
params = snakemake.params
adsl = pd.read_csv(snakemake.input.adsl)
adeff = pd.read_csv(snakemake.input.adeff)
ard = pd.read_csv(snakemake.input.ard, keep_default_na=False, na_values=[""])
param_labels = adeff.drop_duplicates("PARAMCD").set_index("PARAMCD")["PARAM"].to_dict()
visit_weeks = {visit["avisit"]: visit["avisitn"] for visit in params.visits}
stem = lambda output: output.removesuffix(".png")  # noqa: E731

for paramcd in params.trajectory_params:
    label = param_labels[paramcd]
    save_figure(plot_spaghetti(adsl, adeff, ard, paramcd, "EFF", visit_weeks=visit_weeks, ylabel=label),
                stem(snakemake.output[f"spaghetti_{paramcd}"]))
    threshold = params.responder_threshold if paramcd == "SIXMWD" else None
    save_figure(plot_waterfall(adsl, adeff, paramcd, "EFF", visit=params.primary_visit,
                               ylabel=f"Change from baseline: {label}", threshold=threshold),
                stem(snakemake.output[f"waterfall_{paramcd}"]))
forest_labels = {code: param_labels[code] for code in params.forest_params if code in param_labels}
save_figure(plot_forest(ard, visit=params.primary_visit, population="EFF", labels=forest_labels),
            stem(snakemake.output.forest))
log.info("wrote %d figures", len(snakemake.output))
