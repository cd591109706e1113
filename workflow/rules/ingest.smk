# Ingest: one light job per hash shard of monitor sessions (common.smk: monitor_shard);
# the job imports only the standard library, so a shard of sessions stays cheap.

# On a cluster they run on the submit host: each takes well under a second, and a job on
# a cluster node would first spend seconds starting Snakemake.
localrules:
    monitor_session,


rule monitor_session:
    input:
        files=monitor_shard_files,
    output:
        readings=f"{MONITOR_PARTS}/{{shard}}.readings.csv",
        queries=f"{MONITOR_PARTS}/{{shard}}.queries.csv",
        sessions=f"{MONITOR_PARTS}/{{shard}}.sessions.csv",
    log:
        f"{LOGS}/ingest/monitor/{{shard}}.log",
    params:
        python=PYTHON,
        data_dir=data_dir,
        sq_min=config["challenge"]["signal_quality_min"],
        ci_range=" ".join(str(x) for x in config["challenge"]["cardiac_index_range"]),
        hr_range=" ".join(str(x) for x in config["challenge"]["heart_rate_range"]),
    wildcard_constraints:
        shard="[^/.]+",
    conda:
        "../envs/python.yaml"
    shell:
        "{params.python:q} -m aidheart.ingest.monitor_job --data-dir {params.data_dir:q} --log {log:q}"
        " --readings {output.readings:q} --queries {output.queries:q} --sessions {output.sessions:q}"
        " --signal-quality-min {params.sq_min} --ci-range {params.ci_range} --hr-range {params.hr_range}"
        " {input.files:q}"
