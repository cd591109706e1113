# Figures of the analysis report: one job draws them all from ADaM and the ARD.


rule figures:
    input:
        adsl=f"{ADAM}/adsl.csv",
        adeff=f"{ADAM}/adeff.csv",
        adstep=f"{ADAM}/adstep.csv",
        ard=f"{STATS}/ard.csv",
    output:
        **figure_outputs(),
    log:
        f"{LOGS}/figures/figures.log",
    benchmark:
        f"{LOGS}/benchmarks/figures.tsv"
    params:
        visits=config["visits"],
        primary_visit=config["primary_visit"],
        responder_threshold=config["analysis"]["responder_threshold_6mwd"],
        trajectory_params=TRAJECTORY_PARAMS,
        forest_params=FOREST_PARAMS,
    conda:
        "../envs/report.yaml"
    script:
        "../../scripts/figures.py"
