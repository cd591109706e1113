"""Render with the real ``quarto`` command when it is installed.

One ``quarto render`` for all requested formats (``--to html,typst``; typst makes
the PDF, no TeX needed): one Quarto start and one project set-up instead of one per
format.  Each output is named after the document (``<stem>.html``, ``<stem>.pdf``),
written into a fresh directory beside the destination, then moved into place.
Parameters go as ``-P name:value`` (Quarto reads each value as YAML, so values are
written as YAML: a date-like or numeric-looking string stays a string).
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path, PurePath

import yaml

from aidheart.render.errors import RenderError

log = logging.getLogger(__name__)

QUARTO_FORMATS = {"html": "html", "pdf": "typst"}
EXTENSIONS = {"html": ".html", "pdf": ".pdf"}


class QuartoError(RenderError):
    """``quarto render`` failed or did not write the expected file."""


def find_quarto(command: str = "quarto") -> str | None:
    return shutil.which(command)


def yaml_value(value) -> str:
    """One-line YAML for a ``-P``/``-M`` value."""
    if isinstance(value, PurePath):
        value = str(value)
    text = yaml.safe_dump(value, default_flow_style=True, width=float("inf"), allow_unicode=True).strip()
    return text[:-4].strip() if text.endswith("\n...") else text


def quarto_argv(
    quarto: str,
    qmd_name: str,
    outputs: list[str],
    output_dir: Path,
    parameters: dict,
    metadata: dict | None = None,
    execute_dir: Path | None = None,
) -> list[str]:
    """The ``quarto render`` command line for the output formats ``outputs`` (``html``, ``pdf``)."""
    argv = [quarto, "render", qmd_name, "--to", ",".join(QUARTO_FORMATS[output] for output in outputs),
            "--output-dir", str(output_dir)]
    if execute_dir is not None:
        argv += ["--execute-dir", str(execute_dir)]
    for name, value in parameters.items():
        argv += ["-P", f"{name}:{yaml_value(value)}"]
    if "html" in outputs:
        argv += ["-M", "embed-resources:true"]
    for name, value in (metadata or {}).items():
        argv += ["-M", f"{name}:{yaml_value(value)}"]
    return argv


def quarto_environment() -> dict:
    env = dict(os.environ)
    env.setdefault("QUARTO_PYTHON", sys.executable)  # the interpreter with ipykernel and papermill
    env.setdefault("SOURCE_DATE_EPOCH", "0")  # typst's PDF dates, should a template still set them
    return env


def render_with_quarto(
    qmd: Path,
    *,
    parameters: dict,
    outputs: dict[str, Path],
    workdir: Path | None = None,
    metadata: dict | None = None,
    quarto: str = "quarto",
) -> dict[str, Path]:
    """Render every output in one ``quarto render``; return format -> temporary file beside its destination.

    The caller moves the temporary files into place once every format succeeded.
    """
    unknown = sorted(set(outputs) - set(QUARTO_FORMATS))
    if unknown:
        raise QuartoError(f"the quarto renderer makes html and pdf, not {', '.join(map(repr, unknown))}")
    executable = find_quarto(quarto) or quarto
    first = next(iter(outputs.values()))
    first.parent.mkdir(parents=True, exist_ok=True)
    output_dir = Path(tempfile.mkdtemp(prefix=".quarto-", dir=first.parent)).resolve()
    try:
        argv = quarto_argv(executable, qmd.name, list(outputs), output_dir, parameters, metadata,
                           workdir.resolve() if workdir else None)
        log.info("running: %s", " ".join(argv))
        result = subprocess.run(argv, cwd=qmd.parent, env=quarto_environment(), capture_output=True, text=True)
        for line in (result.stdout + result.stderr).splitlines():
            log.info("quarto: %s", line)
        if result.returncode != 0:
            tail = "\n".join(line for line in result.stderr.splitlines() if line.strip())[-2000:]
            raise QuartoError(f"{qmd}: quarto render --to {argv[argv.index('--to') + 1]} failed "
                              f"(exit {result.returncode}):\n{tail}")
        return _collect_all(output_dir, qmd, outputs)
    finally:
        shutil.rmtree(output_dir, ignore_errors=True)


def _collect_all(output_dir: Path, qmd: Path, outputs: dict[str, Path]) -> dict[str, Path]:
    staged: dict[str, Path] = {}
    try:
        for output, destination in outputs.items():
            destination.parent.mkdir(parents=True, exist_ok=True)
            staged[output] = _collect(output_dir, qmd.parent / (qmd.stem + EXTENSIONS[output]), destination)
    except BaseException:
        for path in staged.values():
            path.unlink(missing_ok=True)
        raise
    return staged


def _collect(output_dir: Path, beside_source: Path, destination: Path) -> Path:
    """Find what quarto wrote (in --output-dir, or next to the source) and stage it beside ``destination``."""
    for candidate in (output_dir / beside_source.name, beside_source):
        if candidate.is_file():
            staged = destination.with_name(f".{destination.name}.quarto-{os.getpid()}")
            shutil.move(str(candidate), staged)
            return staged
    raise QuartoError(f"quarto did not write {beside_source.name} (looked in {output_dir} and {beside_source.parent})")
