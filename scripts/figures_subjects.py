"""Rule figures_subjects: per-subject dose-response panels, from ADaM."""

from aidheart.figures.dose_response import plot_dose_response
from aidheart.figures.style import save_figure
from aidheart.io import exit_on_write_error, read_table
from aidheart.rulelog import configure_rule_logging
from aidheart.study import Study

log = configure_rule_logging(snakemake.log[0], "figures_subjects")
study = Study.from_config(snakemake.params.study)
adeff = read_table(snakemake.input.adeff)
adstep = read_table(snakemake.input.adstep)
slopes = [endpoint.paramcd for endpoint in study.endpoints if endpoint.source == {"challenge_slope": "CISS"}]
challenge_visits = [visit for visit in study.schedule.labels if visit in set(adstep["AVISIT"])]

with exit_on_write_error(log):
    save_figure(plot_dose_response(adstep, adeff, visits=challenge_visits, slope=slopes[0] if slopes else None),
                snakemake.output.dose_response.removesuffix(".png"), tight=False)
log.info("wrote %d figures", len(snakemake.output))
