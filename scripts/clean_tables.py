"""Rule clean_tables: REDCap export + dictionary + monitor shards -> clean tables, queries, reconciliation."""

from pathlib import Path

from aidheart.clean.monitor_parts import read_monitor_parts
from aidheart.clean.settings import CleanSettings
from aidheart.clean.study import TABLES, clean_study, find_redcap_files
from aidheart.ingest.errors import exit_on_structure_error
from aidheart.io import exit_on_write_error, write_tables
from aidheart.rulelog import configure_rule_logging

log = configure_rule_logging(snakemake.log[0], "clean_tables")
settings = CleanSettings.from_config(snakemake.params.settings)
with exit_on_structure_error(log):
    export, dictionary = find_redcap_files(snakemake.input.redcap, snakemake.params.data_dir)
    monitor = read_monitor_parts(snakemake.input.readings, snakemake.input.queries, snakemake.input.sessions)
    result = clean_study(export, dictionary, monitor, settings, snakemake.params.data_dir)
clean_dir = Path(snakemake.output.subjects).parent
frames = {str(clean_dir / f"{name}.csv"): result.tables[name] for name in TABLES}
frames[snakemake.output.queries] = result.queries
frames[snakemake.output.reconciliation] = result.reconciliation
with exit_on_write_error(log):
    write_tables(frames)
severity = result.queries["severity"].value_counts()
log.info("export %s: %d queries (%d error, %d warning)", export.name, len(result.queries),
         severity.get("error", 0), severity.get("warning", 0))
for name in TABLES:
    log.info("%s: %d rows", name, len(result.tables[name]))
