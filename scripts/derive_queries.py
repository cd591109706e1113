"""Rule derive_queries: challenge steps and sessions the derivation could not use, for the query listing."""

from aidheart.derive.queries import derive_queries
from aidheart.derive.tables import read_table, write_table
from aidheart.rulelog import configure_rule_logging

log = configure_rule_logging(snakemake.log[0], "derive_queries")
queries = derive_queries(read_table(snakemake.input.adstep), read_table(snakemake.input.adeff))
write_table(queries, snakemake.output.queries)
log.info("%d derivation queries", len(queries))
