# The DSMB open-session safety report: ADaM datasets (and the clean tables of the
# forms it counts as received) at the data cut-off -> reports/dsmb.qmd -> PDF and
# HTML. The cut-off (without one, the export's date), the stopping rules and the
# study metadata it shows are params, so changing them re-renders only this report.
from aidheart.dsmb import report_metadata, report_parameters, source_files

DSMB_OUTPUTS = [f"{RESULTS}/reports/dsmb.pdf", f"{RESULTS}/reports/dsmb.html"]


rule render_dsmb:
    input:
        source_files(workflow.basedir),
        qmd=str(Path(workflow.basedir) / "reports" / "dsmb.qmd"),
        visits=f"{CLEAN}/visits.csv",
        labs=f"{CLEAN}/labs.csv",
        clinical=f"{CLEAN}/clinical.csv",
        walks=f"{CLEAN}/walks.csv",
        challenge_sessions=f"{CLEAN}/challenge_sessions.csv",
        deviations=f"{CLEAN}/deviations.csv",
        adsl=f"{ADAM}/adsl.csv",
        adae=f"{ADAM}/adae.csv",
        adlb=f"{ADAM}/adlb.csv",
    output:
        pdf=report(DSMB_OUTPUTS[0], caption=caption("dsmb"), category="Reports"),
        html=report(DSMB_OUTPUTS[1], caption=caption("dsmb"), category="Reports"),
    log:
        f"{LOGS}/reports/dsmb.log",
    benchmark:
        f"{LOGS}/benchmarks/render_dsmb.tsv"
    params:
        parameters=report_parameters(config, redcap_files()),
        renderer=config["renderer"],
        metadata=report_metadata(config, redcap_files()),
    conda:
        "../envs/report.yaml"
    script:
        "../../scripts/render_report.py"
