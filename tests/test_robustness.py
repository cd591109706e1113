"""Interrupted runs resume to the same bytes; the raw data folder is never written to.

Each test runs the whole workflow on a copy of the shipped study in a temporary
working directory (tests/conftest.py), and compares with the session's
uninterrupted run (``shipped_run``).
"""

from __future__ import annotations

import hashlib
import os
import signal
import stat
import subprocess
import time
from pathlib import Path

import pytest

from conftest import REPO, SHIPPED_DATA, SNAKEMAKE, copy_study, run_workflow


def tree_digest(folder: Path) -> dict[str, str]:
    """SHA-256 of every file below ``folder``, by relative path."""
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def _start(workdir: Path, data_dir: Path) -> subprocess.Popen:
    command = [str(SNAKEMAKE), "-s", str(REPO / "Snakefile"), "--directory", str(workdir), "--cores", "2",
               "--config", f"data_dir={data_dir}"]
    # SIGINT as in a terminal: a test run in the background (a CI job, `make test &`) inherits SIGINT
    # ignored, and Python then never installs its Ctrl-C handler in the child.
    return subprocess.Popen(command, cwd=workdir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def _wait_for(path: Path, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert process.poll() is None, "the run ended before it could be interrupted"
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.05)


def _job_pids(parent: int) -> list[int]:
    """Processes started by the snakemake process (its jobs)."""
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(parent)], capture_output=True, text=True).stdout
    return [int(pid) for pid in out.split()]


def test_sigint_then_rerun_gives_the_uninterrupted_bytes(shipped_run, tmp_path):
    workdir = tmp_path / "work"
    workdir.mkdir()
    process = _start(workdir, SHIPPED_DATA)
    _wait_for(workdir / "results" / "clean" / "subjects.csv", process)
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=120) != 0
    assert not (workdir / "results" / "stats" / "ard.csv").exists()
    run_workflow(workdir, SHIPPED_DATA, "--cores", "2")
    assert tree_digest(workdir / "results") == tree_digest(shipped_run / "results")


def test_a_killed_job_then_rerun_gives_the_uninterrupted_bytes(shipped_run, tmp_path):
    workdir = tmp_path / "work"
    workdir.mkdir()
    process = _start(workdir, SHIPPED_DATA)
    _wait_for(workdir / "results" / "adam", process)
    victims = _job_pids(process.pid)
    for pid in victims:
        os.kill(pid, signal.SIGKILL)
    process.wait(timeout=300)
    run_workflow(workdir, SHIPPED_DATA, "--cores", "2", "--rerun-incomplete")
    assert tree_digest(workdir / "results") == tree_digest(shipped_run / "results")


def jobs_reading(plan: str, folder: Path) -> dict[str, list[str]]:
    """Rule -> the outputs of a dry run's planned jobs with an input under ``folder``."""
    readers, rule, reads = {}, None, False
    for line in plan.splitlines():
        if line.startswith(("rule ", "localrule ")):
            rule, reads = line.split()[1].rstrip(":"), False
        elif line.startswith("    input:"):
            reads = str(folder) in line
        elif line.startswith("    output:") and reads:
            readers.setdefault(rule, []).extend(line.removeprefix("    output:").strip().split(", "))
    return readers


def test_read_only_data_folder_works_and_is_never_written(tmp_path):
    """Every job that reads the data folder (an input under it, in the plan of a forced dry run) runs
    on a read-only copy, which is left as it was; the other jobs read only results/."""
    data = copy_study(SHIPPED_DATA, tmp_path / "raw")
    before = tree_digest(data)
    for path in [data, *data.rglob("*")]:
        mode = path.stat().st_mode
        path.chmod(mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    workdir = tmp_path / "work"
    workdir.mkdir()
    try:
        plan = run_workflow(workdir, data, "-n", "--forceall")
        readers = jobs_reading(plan.stdout + plan.stderr, data.resolve())
        assert {"monitor_session", "clean_tables", "input_manifest"} <= set(readers)
        run_workflow(workdir, data, "--cores", "2", *(path for outputs in readers.values() for path in outputs))
        assert (workdir / "results/clean/subjects.csv").exists()
        assert (workdir / "results/provenance/input_files.csv").exists()
        assert tree_digest(data) == before
        assert sorted(p.name for p in data.iterdir()) == ["monitor", "redcap"]
    finally:
        for path in [data, *data.rglob("*")]:
            path.chmod(path.stat().st_mode | stat.S_IWUSR)


def test_a_second_invocation_on_a_locked_directory_stops_with_a_clear_message(tmp_path):
    workdir = tmp_path / "work"
    workdir.mkdir()
    process = _start(workdir, SHIPPED_DATA)
    try:
        _wait_for(workdir / ".snakemake" / "locks", process)
        second = run_workflow(workdir, SHIPPED_DATA, "--cores", "1", check=False)
        assert second.returncode != 0
        assert "lock" in (second.stdout + second.stderr).lower()
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=120)
