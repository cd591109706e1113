"""The pipeline on a real SLURM scheduler, through ``workflow/profiles/slurm`` unchanged.

A one-node cluster on this machine (``workflow/cluster/local-slurm.sh``) is started here
when it does not run, and stopped again afterwards (only the daemons the script started).
Each entry of ``CLUSTER_TARGETS`` goes through the cluster, in order, into one throw-away
working directory; every file a local run of the same targets writes under ``results/``
must come out of the cluster byte for byte. Without root or the slurm-wlm/munge packages
the cluster tests are skipped, with the reason in pytest's summary; a run that cannot reach
the scheduler is checked to stop in one line either way.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

from conftest import CLIENT_PATH, REPO, SHIPPED_DATA, run_workflow

CLUSTER_SCRIPT = REPO / "workflow" / "cluster" / "local-slurm.sh"
PROFILE = REPO / "workflow" / "profiles" / "slurm"
DAEMONS = ("munged", "slurmctld", "slurmd")

# What goes through the cluster, in this order, each compared with a local run of the same
# targets (snakemake targets; none: the default target, the whole pipeline).
CLUSTER_TARGETS = [
    pytest.param((), id="whole-pipeline"),
]

# The cluster jobs of one run of the whole pipeline: the profile's groups (prepare, analysis with
# the power simulation, reports); every other rule is a localrule. One job per rule would be 20
# submissions.
PIPELINE_CLUSTER_JOBS = 3


def cannot_run_slurmd() -> str | None:
    """Why this machine cannot run the local cluster, or None."""
    if os.geteuid() != 0:
        return "the local SLURM cluster needs root (slurmd, /etc/slurm); run the tests as root"
    missing = [tool for tool in (*DAEMONS, "sbatch", "squeue", "sinfo") if shutil.which(tool) is None]
    if missing:
        return f"{', '.join(missing)} not installed (packages slurm-wlm and munge; `make test` installs them as root)"
    return None


# Marks the tests that need the cluster: skipped at collection, before the local reference run.
CANNOT_RUN_SLURMD = cannot_run_slurmd()
needs_local_cluster = pytest.mark.skipif(CANNOT_RUN_SLURMD is not None, reason=str(CANNOT_RUN_SLURMD))


@pytest.fixture(autouse=True)
def slurm_clients(monkeypatch):
    """The real SLURM clients on PATH (conftest puts a failing scontrol first for local runs)."""
    monkeypatch.setenv("PATH", CLIENT_PATH)


def cluster_script(action: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(CLUSTER_SCRIPT), action], capture_output=True, text=True, timeout=180,
                          env=dict(os.environ, PATH=CLIENT_PATH))


@pytest.fixture(scope="module")
def slurm_cluster():
    """A running local cluster for the module; stopped afterwards only if started here."""
    started_here = cluster_script("status").returncode != 0
    if started_here:
        start = cluster_script("start")
        assert start.returncode == 0, start.stdout + start.stderr
    yield
    if started_here:
        stop = cluster_script("stop")
        assert stop.returncode == 0, stop.stdout + stop.stderr


@pytest.fixture(scope="module")
def cluster_workdir(tmp_path_factory) -> Path:
    """The working directory every cluster run of this module writes into."""
    return tmp_path_factory.mktemp("slurm_run")


@pytest.fixture(scope="module")
def local_reference(shipped_run, tmp_path_factory):
    """``targets`` -> working directory of a local run of them (the default target: ``shipped_run``)."""
    runs = {(): shipped_run}

    def reference(targets: tuple[str, ...]) -> Path:
        if targets not in runs:
            workdir = tmp_path_factory.mktemp("local_reference")
            run_workflow(workdir, SHIPPED_DATA, "--cores", "2", *targets)
            runs[targets] = workdir
        return runs[targets]

    return reference


def run_on_cluster(workdir: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return run_workflow(workdir, SHIPPED_DATA, "--profile", str(PROFILE), *args, check=check)


def result_files(workdir: Path) -> dict[str, bytes]:
    results = workdir / "results"
    return {str(path.relative_to(results)): path.read_bytes() for path in sorted(results.rglob("*")) if path.is_file()}


def submitted_jobs(output: str) -> list[str]:
    """The SLURM job ids the executor reports having submitted."""
    return re.findall(r"has been submitted with SLURM jobid (\d+)", output)


@needs_local_cluster
@pytest.mark.parametrize("targets", CLUSTER_TARGETS)
def test_cluster_run_writes_what_a_local_run_writes(slurm_cluster, cluster_workdir, local_reference, targets):
    done = run_on_cluster(cluster_workdir, *targets)
    expected = result_files(local_reference(targets))
    got = result_files(cluster_workdir)
    assert expected, "the local run wrote nothing under results/"
    assert sorted(set(expected) - set(got)) == []
    assert [name for name in expected if got[name] != expected[name]] == []
    if not targets:
        assert len(submitted_jobs(done.stdout + done.stderr)) == PIPELINE_CLUSTER_JOBS, done.stderr[-3000:]


@needs_local_cluster
def test_status_command_without_accounting_stops_in_one_line(slurm_cluster, tmp_path):
    # The local cluster has no accounting database: sacct fails, and the executor would wait for ever.
    done = run_on_cluster(tmp_path, "--slurm-status-command", "sacct", check=False)
    output = done.stdout + done.stderr
    assert done.returncode == 1
    assert [line for line in output.splitlines() if line.startswith("AID-HEART:")] == [
        "AID-HEART: sacct, the job-status command of this run, fails: Slurm accounting storage is disabled; "
        "set slurm-status-command: squeue in the profile"
    ]
    assert submitted_jobs(output) == [] and "Traceback" not in output


def test_unreachable_scheduler_stops_in_one_line(tmp_path, monkeypatch):
    if shutil.which("sinfo") is None:
        pytest.skip("sinfo not installed (package slurm-client, part of slurm-wlm)")
    with socket.socket() as probe:  # a port nothing listens on once the probe closes
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    conf = tmp_path / "slurm.conf"
    conf.write_text(f"ClusterName=unreachable\nSlurmctldHost=localhost(127.0.0.1)\nSlurmctldPort={port}\n"
                    "NodeName=localhost CPUs=1\nPartitionName=none Nodes=localhost Default=YES\n"
                    # the clients give up at once, not after their 10 s default, each time they are asked
                    "MessageTimeout=1\n")
    monkeypatch.setenv("SLURM_CONF", str(conf))
    workdir = tmp_path / "work"
    workdir.mkdir()
    done = run_on_cluster(workdir, check=False)
    output = done.stdout + done.stderr
    assert done.returncode == 1
    message = [line for line in output.splitlines() if line.startswith("AID-HEART:")]
    assert len(message) == 1 and message[0].startswith(
        "AID-HEART: the SLURM scheduler does not answer (sinfo fails: "), output[-2000:]
    assert "Unable to contact slurm controller" in message[0]
    assert submitted_jobs(output) == [] and "Traceback" not in output
