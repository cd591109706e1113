# Clean: validate the REDCap export against its dictionary, de-identify, convert
# dates to study days, apply the cut-off, join the monitor sessions, and write
# the clean tables, the query listing and the row reconciliation.


rule clean_tables:
    input:
        redcap=redcap_files(),
        readings=monitor_part_files("readings"),
        queries=monitor_part_files("queries"),
        sessions=monitor_part_files("sessions"),
    output:
        **clean_outputs(),
        queries=report(f"{QC}/queries.csv", caption=caption("queries"), category="Data quality"),
        reconciliation=f"{QC}/reconciliation.csv",
    log:
        f"{LOGS}/clean/clean_tables.log",
    benchmark:
        f"{LOGS}/benchmarks/clean_tables.tsv"
    params:
        data_dir=data_dir,
        settings=cleaning_settings(),
    priority: CRITICAL_PATH_PRIORITY
    conda:
        "../envs/python.yaml"
    script:
        "../../scripts/clean_tables.py"
