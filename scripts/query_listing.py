"""Rule query_listing: the cleaning's and the derivations' queries -> the study team's one listing."""

from aidheart.clean.listing import ACTIONABLE, build_listing, read_previous_listing
from aidheart.ingest.errors import exit_on_structure_error
from aidheart.io import exit_on_write_error, read_text_table, write_table
from aidheart.rulelog import configure_rule_logging

log = configure_rule_logging(snakemake.log[0], "query_listing")
with exit_on_structure_error(log):
    previous = (read_previous_listing(snakemake.input.previous[0], snakemake.params.previous_name)
                if snakemake.input.previous else None)
listing = build_listing([read_text_table(snakemake.input.clean), read_text_table(snakemake.input.derive)], previous)
with exit_on_write_error(log):
    write_table(listing, snakemake.output.queries)
counts = listing.groupby(["category", "status"]).size()
log.info("%d queries (%d actionable); by category and status: %s", len(listing),
         (listing["category"] == ACTIONABLE).sum(), "; ".join(f"{c} {s or '-'}: {n}" for (c, s), n in counts.items()))
