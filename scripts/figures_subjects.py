"""Rule figures_subjects: participant flow and per-subject dose-response panels, from ADaM."""

from aidheart.analysis.analysis_sets import set_records
from aidheart.figures.dose_response import plot_dose_response
from aidheart.figures.flow import flow_counts, plot_flow
from aidheart.figures.style import save_figure
from aidheart.io import exit_on_write_error, read_table
from aidheart.rulelog import configure_rule_logging
from aidheart.study import Study

log = configure_rule_logging(snakemake.log[0], "figures_subjects")
study = Study.from_config(snakemake.params.study)
adsl = read_table(snakemake.input.adsl)
adeff = read_table(snakemake.input.adeff)
adstep = read_table(snakemake.input.adstep)
primary = study.primary_endpoint
analysed = set(set_records(adsl, adeff, primary.paramcd, "EFF")["USUBJID"])
eot = study.schedule.end_of_treatment
slopes = [endpoint.paramcd for endpoint in study.endpoints if endpoint.source == {"challenge_slope": "CISS"}]
challenge_visits = [visit for visit in study.schedule.labels if visit in set(adstep["AVISIT"])]

with exit_on_write_error(log):
    save_figure(plot_flow(flow_counts(adsl, analysed), analysed_label="primary endpoint: baseline and a later value",
                          completed_label=f"Completed {eot.avisitn:g} weeks on drug"),
                snakemake.output.flow.removesuffix(".png"))
    save_figure(plot_dose_response(adstep, adeff, visits=challenge_visits, slope=slopes[0] if slopes else None),
                snakemake.output.dose_response.removesuffix(".png"), tight=False)
log.info("wrote %d figures", len(snakemake.output))
