"""Rule figures_subjects: participant flow and per-subject dose-response panels, from ADaM."""

import pandas as pd

from aidheart.figures.dose_response import plot_dose_response
from aidheart.figures.flow import flow_counts, plot_flow
from aidheart.figures.style import save_figure
from aidheart.rulelog import configure_rule_logging

log = configure_rule_logging(snakemake.log[0], "figures_subjects")
adsl = pd.read_csv(snakemake.input.adsl)
adeff = pd.read_csv(snakemake.input.adeff)
adstep = pd.read_csv(snakemake.input.adstep)
stem = lambda output: output.removesuffix(".png")  # noqa: E731

save_figure(plot_flow(flow_counts(adsl, "EFF_INOSENS"), analysed_label="primary endpoint: baseline and a later value"),
            stem(snakemake.output.flow))
visit_order = [visit["avisit"] for visit in snakemake.params.visits]
challenge_visits = [visit for visit in visit_order if visit in set(adstep["AVISIT"])]
save_figure(plot_dose_response(adstep, adeff, visits=challenge_visits), stem(snakemake.output.dose_response),
            tight=False)
log.info("wrote %d figures", len(snakemake.output))
