# Reports: the analysis and data-quality reports, rendered from reports/*.qmd by quarto when
# it is on PATH (or config renderer: quarto), else by the built-in renderer (aidheart.render).
# Every file a report reads is an input (the figures it shows from the folder it is given), so
# Snakemake re-renders when one changes.

# The report sources live with the workflow (not in the working directory, which may be elsewhere).
REPORT_SOURCES = Path(workflow.basedir) / "reports"
# The rendered reports, marked for `snakemake --report`.
REPORT_OUTPUTS = {
    "analysis_html": report(f"{REPORTS}/analysis.html", caption=caption("analysis"), category="Reports"),
    "analysis_pdf": report(f"{REPORTS}/analysis.pdf", caption=caption("analysis"), category="Reports"),
    "data_quality_html": report(f"{REPORTS}/data_quality.html", caption=caption("data_quality"),
                                category="Reports"),
    "data_quality_pdf": report(f"{REPORTS}/data_quality.pdf", caption=caption("data_quality"),
                               category="Reports"),
}


rule render_analysis:
    input:
        f"{REPORT_SOURCES}/_setup.qmd",
        f"{REPORT_SOURCES}/_quarto.yml",
        figure_outputs().values(),
        power_figure_outputs().values(),
        qmd=f"{REPORT_SOURCES}/analysis.qmd",
        ard=f"{STATS}/ard.csv",
        adsl=f"{ADAM}/adsl.csv",
        adeff=f"{ADAM}/adeff.csv",
        adae=f"{ADAM}/adae.csv",
        adlb=f"{ADAM}/adlb.csv",
        input_files=f"{RESULTS}/provenance/input_files.csv",
        run_info=f"{RESULTS}/provenance/run_info.json",
        power=f"{POWER}/power.csv",
        power_models=f"{POWER}/generating_models.json",
    output:
        html=REPORT_OUTPUTS["analysis_html"],
        pdf=REPORT_OUTPUTS["analysis_pdf"],
    log:
        f"{LOGS}/reports/analysis.log",
    benchmark:
        f"{LOGS}/benchmarks/render_analysis.tsv"
    params:
        parameters={**CUTOFF, "figures": FIGURES, "config": analysis_report_config(),
                    "next_trial_arms": config["next_trial"]["arms"]},
        renderer=config["renderer"],
    priority: CRITICAL_PATH_PRIORITY
    conda:
        "../envs/report.yaml"
    script:
        "../../scripts/render_report.py"


rule render_data_quality:
    input:
        f"{REPORT_SOURCES}/_setup.qmd",
        f"{REPORT_SOURCES}/_quarto.yml",
        qmd=f"{REPORT_SOURCES}/data_quality.qmd",
        queries=f"{QC}/queries.csv",
        reconciliation=f"{QC}/reconciliation.csv",
    output:
        html=REPORT_OUTPUTS["data_quality_html"],
        pdf=REPORT_OUTPUTS["data_quality_pdf"],
    log:
        f"{LOGS}/reports/data_quality.log",
    benchmark:
        f"{LOGS}/benchmarks/render_data_quality.tsv"
    params:
        parameters=CUTOFF,
        renderer=config["renderer"],
    conda:
        "../envs/report.yaml"
    script:
        "../../scripts/render_report.py"
