"""Rule entry point: render one Quarto report to HTML and/or PDF.

Expected rule shape (names matter):

    input:  qmd="reports/dsmb.qmd", <name>=<file>, ...   # each named input becomes the
                                                          # parameter <name> (a path, or a
                                                          # list of paths)
    output: html="results/reports/dsmb.html", pdf="results/reports/dsmb.pdf"
    params: parameters={"cutoff_date": "2025-03-01"},    # other parameters (optional)
            renderer="auto",                             # auto | quarto | builtin (optional)
            metadata={"page-footer": "..."}              # front-matter overrides (optional)
    log:    "logs/reports/dsmb.log"

Unnamed inputs (e.g. reports/_setup.qmd) are dependencies only.  Cells run in the
workflow's working directory, so the paths arrive exactly as Snakemake names them
(the defaults in a report's parameters cell are relative to reports/ instead, for
`quarto render reports/<name>.qmd` by hand after a pipeline run).
"""

import os

from aidheart.render import render_document
from aidheart.rulelog import configure_rule_logging, exit_on_error

log = configure_rule_logging(snakemake.log[0], "render_report")


def plain(value):
    """Snakemake's path objects as plain strings (lists stay lists)."""
    return [str(item) for item in value] if isinstance(value, list) else str(value)


files = {name: plain(value) for name, value in snakemake.input.items() if name != "qmd"}
parameters = {**files, **dict(getattr(snakemake.params, "parameters", None) or {})}
outputs = {fmt: str(path) for fmt, path in snakemake.output.items()}
renderer = getattr(snakemake.params, "renderer", None) or "auto"
metadata = dict(getattr(snakemake.params, "metadata", None) or {})

log.info("parameters: %s", parameters)
# The renderer writes every output to a temporary file and renames it when all are complete; a
# file system error (a full disk) ends the job with one line.
with exit_on_error(OSError, log):
    used = render_document(snakemake.input.qmd, parameters=parameters, outputs=outputs, renderer=renderer,
                           workdir=os.getcwd(), metadata=metadata or None)
log.info("%s rendered by %s to %s", snakemake.input.qmd, used, ", ".join(outputs.values()))
