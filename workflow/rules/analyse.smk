# Analysis: the statistical analysis plan on the ADaM datasets -> one ARD.
# One job fits every model: the heavy imports are paid once, not per endpoint.


rule analyse:
    input:
        adsl=f"{ADAM}/adsl.csv",
        adeff=f"{ADAM}/adeff.csv",
    output:
        ard=f"{STATS}/ard.csv",
    log:
        f"{LOGS}/analyse/ard.log",
    benchmark:
        f"{LOGS}/benchmarks/analyse.tsv"
    params:
        study=STUDY_CONFIG,
        analysis=config["analysis"],
        sizing=config["sizing"],
        accrual_start=config["study"]["accrual_start"],
        adherence_min_pct=config["populations"]["adherence_min_pct"],
    priority: CRITICAL_PATH_PRIORITY
    conda:
        "../envs/stats.yaml"
    script:
        "../../scripts/analyse.py"
