"""Every output is written atomically: a failed write leaves the old file or none, never part of one.

The failures are real ones, from the kernel: a process whose file-size limit
(``RLIMIT_FSIZE``) is lower than the output it writes gets ``EFBIG`` mid-write (Python
ignores SIGXFSZ, so the write fails instead of killing the process), and a run whose
figure folder is a small tmpfs gets ``ENOSPC``, a full disk. The second needs an
unprivileged user and mount namespace (``unshare -Urm``); where the machine does not
allow one, that test is skipped and says so.
"""

from __future__ import annotations

import hashlib
import resource
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest

from aidheart.io import WriteError, read_table, write_ard, write_table, write_tables
from conftest import REPO, SHIPPED_DATA, SNAKEMAKE

BIG = pd.DataFrame({"SUBJID": [f"{i:06d}" for i in range(20_000)], "AVAL": [i / 7 for i in range(20_000)]})


@contextmanager
def file_size_limit(limit_bytes: int):
    """Files this process writes may not grow beyond ``limit_bytes`` while the block runs."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))


def leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name.endswith(".tmp"))


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "adsl.csv"
    write_table(BIG.head(3), target)
    before = target.read_bytes()
    with file_size_limit(64 * 1024), pytest.raises(WriteError) as failure:
        write_table(BIG, target)
    assert str(failure.value) == f"cannot write {target}: File too large"
    assert target.read_bytes() == before
    assert leftovers(tmp_path) == []


def test_tables_written_together_are_replaced_together_or_not_at_all(tmp_path):
    small, large = tmp_path / "subjects.csv", tmp_path / "visits.csv"
    with file_size_limit(64 * 1024), pytest.raises(WriteError, match="visits.csv"):
        write_tables({small: BIG.head(3), large: BIG})
    assert not small.exists() and not large.exists()  # the small table was complete, but not alone
    assert leftovers(tmp_path) == []


def test_the_ard_is_written_whole_at_full_precision(tmp_path):
    target = tmp_path / "ard.csv"
    ard = pd.DataFrame({"visit": ["", "Week 12"], "note": ["NA", ""], "estimate": [0.1 + 0.2, 1 / 3]})
    write_ard(ard, target)
    assert target.read_text().splitlines()[1:] == [",NA,0.30000000000000004", "Week 12,,0.33333333333333331"]
    with file_size_limit(16), pytest.raises(WriteError):
        write_ard(pd.concat([ard] * 50), target)
    assert read_table(target, text_columns=("visit", "note"))["note"].tolist() == ["NA", pd.NA]


NAMESPACE = shutil.which("unshare") and subprocess.run(
    ["unshare", "-Urm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"], capture_output=True).returncode == 0
needs_namespace = pytest.mark.skipif(not NAMESPACE, reason="this machine does not allow an unprivileged user and "
                                                            "mount namespace (unshare -Urm), so no small tmpfs")


def on_small_disk(folder: Path, size: str, shell_command: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run ``shell_command`` with ``folder`` on a tmpfs of ``size`` (a disk that is full once that much is written).

    The tmpfs goes with the namespace, so ``shell_command`` itself shows what it holds afterwards.
    """
    script = f'mount -t tmpfs -o size={size} tmpfs "{folder}" && {shell_command}'
    return subprocess.run(["unshare", "-Urm", "sh", "-c", script], capture_output=True, text=True, cwd=cwd)


def folder_digests(stdout: str) -> dict[str, str]:
    """``sha256sum`` lines -> file name: digest."""
    return {line.split()[1]: line.split()[0] for line in stdout.splitlines() if line.strip()}


DRAW = """\
import sys
from aidheart.figures.style import new_figure, save_figure
from aidheart.io import exit_on_write_error

with exit_on_write_error():
    for name, points in (("small", 10), ("large", 40000)):
        fig, ax = new_figure()
        ax.scatter(range(points), [i % 97 for i in range(points)])
        save_figure(fig, f"{sys.argv[1]}/{name}")
"""


@needs_namespace
def test_figures_on_a_full_disk_are_both_written_or_neither(tmp_path):
    figures = tmp_path / "figures"
    figures.mkdir()
    (tmp_path / "draw.py").write_text(DRAW)
    done = on_small_disk(figures, "256k", f'{sys.executable} draw.py "{figures}"; status=$?; '
                         f'cd "{figures}" && ls -A | sort; exit $status', cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.strip() in {f"AID-HEART: cannot write {figures}/large.{suffix}: No space left on device"
                                   for suffix in ("png", "svg")}
    assert done.stdout.split() == ["small.png", "small.svg"]  # the large figure: neither file, no temporary


def _disk_use(folder: Path) -> int:
    """Bytes the files below ``folder`` take on a tmpfs (whole 4 KiB pages)."""
    return sum(-(-path.stat().st_size // 4096) * 4096 for path in folder.rglob("*") if path.is_file())


@needs_namespace
def test_a_run_on_a_full_disk_stops_with_one_line_and_no_partial_figure(shipped_run, tmp_path):
    workdir = tmp_path / "work"
    shutil.copytree(shipped_run, workdir, symlinks=True, copy_function=shutil.copy2)
    shutil.rmtree(workdir / "results" / "figures")
    shutil.move(workdir / "results", tmp_path / "results")
    (workdir / "results").mkdir()
    # the results folder becomes a disk with 200 kB free after the run's earlier outputs: flow.png and
    # flow.svg (about 85 kB) fit, dose_response.png and .svg (about 260 kB) do not
    size = _disk_use(tmp_path / "results") + 200 * 1024
    snakemake = (f'"{SNAKEMAKE}" results/figures/dose_response.png -s "{REPO / "Snakefile"}" --directory "{workdir}" '
                 f'--cores 1 --allowed-rules figures_subjects --config data_dir="{SHIPPED_DATA}"')
    done = on_small_disk(workdir / "results", str(size),
                         f'cp -a "{tmp_path / "results"}/." results/ && {snakemake}; status=$?; mkdir -p '
                         f'results/figures; cd results/figures && ls -A | xargs -r sha256sum; exit $status',
                         cwd=workdir)
    assert done.returncode != 0
    ours = [line for line in done.stderr.splitlines() if line.startswith("AID-HEART:")]
    assert ours in ([f"AID-HEART: cannot write results/figures/dose_response.{suffix}: No space left on device"]
                    for suffix in ("png", "svg")), done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    left = folder_digests(done.stdout)
    assert not [name for name in left if name.endswith(".tmp")]
    assert all(f"{Path(name).stem}.png" in left and f"{Path(name).stem}.svg" in left for name in left)
    for name, digest in left.items():  # whatever is left is a whole figure of this run
        assert digest == hashlib.sha256((shipped_run / "results" / "figures" / name).read_bytes()).hexdigest()
