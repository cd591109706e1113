"""The ingest and clean rules inside Snakemake: incremental re-runs, sharding, structural stops, lint."""

from __future__ import annotations

import re
import zlib
from pathlib import Path

import pytest

from aidheart.simulate import write_study
from conftest import SHIPPED_DATA, copy_study, run_workflow


def planned_jobs(done) -> dict[str, int]:
    """Rule -> job count from the 'Job stats' table of a dry run."""
    counts = {}
    text = done.stdout + done.stderr
    if "Nothing to be done" in text:
        return counts
    table = text.split("Job stats:", 1)[1]
    for line in table.splitlines()[3:]:
        match = re.match(r"^(\w+)\s+(\d+)$", line.strip())
        if not match:
            break
        counts[match[1]] = int(match[2])
    return counts


def planned_shards(done) -> set[str]:
    return set(re.findall(r"shard=([^\s,]+)", done.stdout + done.stderr))


def shard_of(stem: str, shards: int = 8) -> str:
    """The shard the workflow puts a monitor file in: crc32 of the stem modulo the shard count (8),
    computed here from the rule's definition."""
    return f"shard{zlib.crc32(stem.encode()) % shards:03d}"


def test_rerun_with_nothing_changed_does_nothing(shipped_run):
    done = run_workflow(shipped_run, SHIPPED_DATA, "-n")
    assert "Nothing to be done" in done.stdout + done.stderr


@pytest.fixture(scope="module")
def own_run(tmp_path_factory) -> tuple[Path, Path]:
    """The monitor and cleaning jobs run on a private copy of the shipped study (so that files can
    be changed); the tests' dry runs plan the later stages whether they were built or not, and
    count what a changed monitor file re-runs of these."""
    root = tmp_path_factory.mktemp("own_run")
    data = copy_study(SHIPPED_DATA, root / "data")
    (root / "work").mkdir()
    run_workflow(root / "work", data, "--cores", "2", "clean_tables")
    return root / "work", data


def test_the_shipped_study_has_eight_monitor_jobs(own_run):
    workdir, data = own_run
    files = sorted((data / "monitor").glob("*.csv"))
    assert len(files) == 71
    assert sorted(path.name for path in (workdir / "results/interim/monitor").glob("*.sessions.csv")) == [
        f"{shard}.sessions.csv" for shard in sorted({shard_of(path.stem) for path in files})]
    assert len({shard_of(path.stem) for path in files}) == 8


def test_changed_monitor_file_reruns_only_its_shard(own_run):
    workdir, data = own_run
    target = data / "monitor" / "1002_week_4_arm_1.csv"
    original = target.read_bytes()
    try:
        target.write_bytes(original.replace(b",4.", b",3.", 1))
        done = run_workflow(workdir, data, "-n")
        jobs = planned_jobs(done)
        assert jobs["monitor_session"] == 1
        assert planned_shards(done) == {shard_of("1002_week_4_arm_1")}
        assert jobs["clean_tables"] == 1
    finally:
        target.write_bytes(original)


def test_new_monitor_file_runs_only_its_shard(own_run):
    workdir, data = own_run
    new = data / "monitor" / "1002_week_12_arm_1.csv"
    new.write_bytes((data / "monitor" / "1002_week_4_arm_1.csv").read_bytes())
    try:
        done = run_workflow(workdir, data, "-n")
        assert planned_jobs(done)["monitor_session"] == 1
        assert planned_shards(done) == {shard_of("1002_week_12_arm_1")}
    finally:
        new.unlink()


def test_many_monitor_files_go_to_a_bounded_number_of_shards(tmp_path):
    study = write_study(tmp_path / "data", n_subjects=45, seed=3, mess=False)
    n_files = len(list((study / "monitor").glob("*.csv")))
    assert n_files > 128
    (tmp_path / "work").mkdir()
    done = run_workflow(tmp_path / "work", study, "-n")
    shards = planned_shards(done)
    assert planned_jobs(done)["monitor_session"] == len(shards) <= 128
    assert all(re.fullmatch(r"shard\d{3}", shard) for shard in shards)


def test_structural_fault_stops_the_run_with_one_line(tmp_path):
    study = write_study(tmp_path / "data", n_subjects=1, seed=2, mess=False)
    next((study / "redcap").glob("*DataDictionary*")).unlink()
    (tmp_path / "work").mkdir()
    done = run_workflow(tmp_path / "work", study, "--cores", "2", check=False)
    text = done.stdout + done.stderr
    assert done.returncode != 0
    lines = [line for line in text.splitlines() if line.startswith("AID-HEART: ")]
    assert lines == [r"AID-HEART: redcap: no data dictionary (AIDHEART_DataDictionary_(\d{4}-\d{2}-\d{2})\.csv) "
                     "found"]
    assert "Traceback" not in text
    assert not list((tmp_path / "work" / "results").glob("clean/*.csv"))
    assert not list((tmp_path / "work" / "results").glob("qc/*.csv"))
    log = (tmp_path / "work" / "logs" / "clean" / "clean_tables.log").read_text()
    assert "AID-HEART: redcap: no data dictionary" in log


def test_lint_is_clean_for_ingest_and_clean(tmp_path):
    """No lint on these rules or their files (other stages' findings are theirs to fix)."""
    done = run_workflow(tmp_path, SHIPPED_DATA, "--lint", check=False)
    text = done.stdout + done.stderr
    assert "Traceback" not in text
    assert not re.search(r"Lints for (rule (monitor_session|clean_tables)|snakefile \S*(ingest|clean|common)\.smk)", text)


def test_badly_named_monitor_file_stops_the_run_with_one_line(tmp_path):
    study = write_study(tmp_path / "data", n_subjects=1, seed=2, mess=False)
    source = next((study / "monitor").glob("*.csv"))
    (study / "monitor" / "session notes v2.csv").write_bytes(source.read_bytes())
    (tmp_path / "work").mkdir()
    done = run_workflow(tmp_path / "work", study, "--cores", "1", check=False)
    text = done.stdout + done.stderr
    assert done.returncode != 0
    assert [line for line in text.splitlines() if line.startswith("AID-HEART: ")] == [
        "AID-HEART: monitor/session notes v2.csv: monitor file name is not <record_id>_<event>.csv"]
    assert "Traceback" not in text
