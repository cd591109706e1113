"""Rule figures_results: spaghetti plots, waterfalls and the forest plot, from ADaM and the ARD."""

from aidheart.figures.forest import plot_forest
from aidheart.figures.longitudinal import plot_spaghetti, plot_waterfall
from aidheart.figures.names import figure_stem
from aidheart.figures.style import save_figure
from aidheart.io import exit_on_write_error, read_ard, read_table
from aidheart.rulelog import configure_rule_logging
from aidheart.study import Study

log = configure_rule_logging(snakemake.log[0], "figures_results")
study = Study.from_config(snakemake.params.study)
adsl = read_table(snakemake.input.adsl)
adeff = read_table(snakemake.input.adeff)
ard = read_ard(snakemake.input.ard)
schedule = study.schedule


def stem(kind, paramcd=None):
    """The output path of a figure without its suffix (save_figure writes the PNG and the SVG)."""
    return snakemake.output[figure_stem(kind, paramcd)].removesuffix(".png")


with exit_on_write_error(log):
    for endpoint in study.with_role("trajectory"):
        save_figure(plot_spaghetti(adsl, adeff, ard, endpoint, "EFF", schedule=schedule),
                    stem("spaghetti", endpoint.paramcd))
        save_figure(plot_waterfall(adsl, adeff, endpoint, "EFF", schedule=schedule), stem("waterfall", endpoint.paramcd))
    save_figure(plot_forest(ard, list(study.with_role("forest")), visit=schedule.primary.avisit, population="EFF"),
                stem("forest"))
log.info("wrote %d figures", len(snakemake.output))
