"""Rule derive_queries: challenge steps and sessions the derivation could not use, for the query listing."""

from aidheart.derive.queries import derive_queries
from aidheart.io import exit_on_write_error, read_table, write_table
from aidheart.rulelog import configure_rule_logging
from aidheart.study import Study

log = configure_rule_logging(snakemake.log[0], "derive_queries")
study = Study.from_config(snakemake.params.study)
queries = derive_queries(read_table(snakemake.input.adstep), read_table(snakemake.input.adeff), study.schedule,
                         study.primary_endpoint.paramcd)
with exit_on_write_error(log):
    write_table(queries, snakemake.output.queries)
log.info("%d derivation queries", len(queries))
