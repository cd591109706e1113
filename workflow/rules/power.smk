# Power of the next trial: the pilot's generating model of each endpoint, one job per
# scenario (endpoint x subjects per arm x effect; on a cluster the slurm profile groups
# them into a few larger jobs), one job gathering the power table and curves.
rule power_models:
    input:
        adsl=f"{ADAM}/adsl.csv",
        adeff=f"{ADAM}/adeff.csv",
    output:
        models=f"{POWER}/generating_models.json",
    log:
        f"{LOGS}/power/generating_models.log",
    params:
        study=STUDY_CONFIG,
        next_trial=config["next_trial"],
    priority: CRITICAL_PATH_PRIORITY
    conda:
        "../envs/stats.yaml"
    script:
        "../../scripts/power_models.py"


rule power_scenario:
    input:
        models=f"{POWER}/generating_models.json",
    output:
        replicates=f"{POWER}/{{scenario}}.csv",
    wildcard_constraints:
        scenario=r"[A-Z][A-Z0-9]*_n[0-9]+_[a-z0-9_.]+",
    log:
        f"{LOGS}/power/{{scenario}}.log",
    benchmark:
        f"{LOGS}/benchmarks/power/{{scenario}}.tsv"
    params:
        python=PYTHON,
        scenario=power_scenario_setting,
    priority: CRITICAL_PATH_PRIORITY
    conda:
        "../envs/stats.yaml"
    # A command rather than a script: the dozens of sub-second scenario jobs would each
    # spend a third of a second importing Snakemake (aidheart/analysis/power_job.py).
    shell:
        "{params.python:q} -m aidheart.analysis.power_job --models {input.models:q} --output {output.replicates:q}"
        " --log {log:q} --name {params.scenario[name]} --paramcd {params.scenario[paramcd]}"
        " --n-per-arm {params.scenario[n_per_arm]} --effect {params.scenario[effect]:q}"
        " --replicates {params.scenario[replicates]} --seed {params.scenario[seed]}"


rule power_gather:
    input:
        models=f"{POWER}/generating_models.json",
        scenarios=power_scenario_files(),
    output:
        **power_figure_outputs(),
        table=f"{POWER}/power.csv",
    log:
        f"{LOGS}/power/power.log",
    params:
        study=STUDY_CONFIG,
        alpha=config["next_trial"]["alpha"],
    priority: CRITICAL_PATH_PRIORITY
    conda:
        "../envs/report.yaml"
    script:
        "../../scripts/power_gather.py"
