# Figures of the analysis report, in two jobs: those drawn from ADaM alone run
# while the analysis job fits its models; those showing results wait for the ARD.
# Both are on the analysis report's critical path.


rule figures_subjects:
    input:
        adeff=f"{ADAM}/adeff.csv",
        adstep=f"{ADAM}/adstep.csv",
    output:
        **subject_figure_outputs(),
    log:
        f"{LOGS}/figures/figures_subjects.log",
    benchmark:
        f"{LOGS}/benchmarks/figures_subjects.tsv"
    params:
        study=STUDY_CONFIG,
    priority: CRITICAL_PATH_PRIORITY
    conda:
        "../envs/report.yaml"
    script:
        "../../scripts/figures_subjects.py"


rule figures_results:
    input:
        adsl=f"{ADAM}/adsl.csv",
        adeff=f"{ADAM}/adeff.csv",
        ard=f"{STATS}/ard.csv",
    output:
        **result_figure_outputs(),
    log:
        f"{LOGS}/figures/figures_results.log",
    benchmark:
        f"{LOGS}/benchmarks/figures_results.tsv"
    params:
        study=STUDY_CONFIG,
    priority: CRITICAL_PATH_PRIORITY
    conda:
        "../envs/report.yaml"
    script:
        "../../scripts/figures_results.py"
