# Power of the next trial: the pilot's generating model of each endpoint, one job per
# endpoint simulating its scenarios (subjects per arm x effect) one after another, one job
# gathering the power table and curves.
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


rule power_endpoint:
    input:
        models=f"{POWER}/generating_models.json",
    output:
        replicates=f"{POWER}/replicates/{{paramcd}}.csv",
    wildcard_constraints:
        paramcd=r"[A-Z][A-Z0-9]*",
    log:
        f"{LOGS}/power/{{paramcd}}.log",
    benchmark:
        f"{LOGS}/benchmarks/power/{{paramcd}}.tsv"
    params:
        python=PYTHON,
        scenarios=power_endpoint_scenarios,
        replicates=config["next_trial"]["replicates"],
        seed=config["next_trial"]["seed"],
    priority: CRITICAL_PATH_PRIORITY
    conda:
        "../envs/stats.yaml"
    # A command rather than a script: a script job would first spend a third of a second
    # importing Snakemake (aidheart/analysis/power_job.py).
    shell:
        "{params.python:q} -m aidheart.analysis.power_job --models {input.models:q} --output {output.replicates:q}"
        " --log {log:q} --paramcd {wildcards.paramcd} {params.scenarios:q}"
        " --replicates {params.replicates} --seed {params.seed}"


rule power_gather:
    input:
        models=f"{POWER}/generating_models.json",
        replicates=power_replicate_files(),
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
