"""Helpers the report cells call: tables, page header, reproducible figure files."""

import hashlib

import matplotlib
import pandas as pd

from aidheart.render.display import TEXT_WIDTH_CHARS, column_width_hints, markdown_table, page_header, save_figure

matplotlib.use("Agg")  # this test process only; inside report kernels the inline backend is used
import matplotlib.pyplot as plt  # noqa: E402


def test_markdown_table_is_a_pipe_table():
    text = markdown_table(pd.DataFrame({"Subject": ["S-01"], "Value": [1.25]}), floatfmt=".1f").data
    assert text.splitlines()[0].startswith("| Subject")
    assert "1.2" in text


def test_empty_table_keeps_its_header_and_says_so():
    text = markdown_table(pd.DataFrame({"Subject": [], "Grade": []}), empty="No adverse events").data
    lines = text.splitlines()
    assert len(lines) == 3 and "Subject" in lines[0] and "No adverse events" in lines[2]


def _separator_widths(table: str) -> list[int]:
    return [len(cell) for cell in table.splitlines()[1].strip("|").split("|")]


def test_narrow_columns_keep_their_width_and_a_digest_is_never_squeezed():
    digest = "0" * 64
    text = markdown_table(pd.DataFrame({"File": ["monitor/1002_week_4_arm_1.csv"], "Bytes": [2292],
                                        "SHA-256": [digest]})).data
    assert _separator_widths(text) == [len("monitor/1002_week_4_arm_1.csv") + 3, len("Bytes") + 3, 64 + 3]


def test_running_text_shares_what_is_left_and_alignment_stays():
    note = "The onset date of the adverse event is after the date the subject left the study; check it."
    table = "\n".join(["| Subject | Note |", "|--------:|:-----|", f"| S-01 | {note} |"])
    widths = _separator_widths(column_width_hints(table, text_width=40))
    assert widths[0] == len("Subject") + 3  # its least width: never below its longest word
    assert widths[1] == 40 - widths[0]  # the room left
    hinted = column_width_hints(table).splitlines()[1]
    assert hinted.startswith("|") and hinted.split("|")[1].endswith(":") and hinted.split("|")[2].startswith(":")
    assert _separator_widths(column_width_hints(table)) == [len("Subject") + 3, 28 + 3]  # preferred widths fit
    assert sum(_separator_widths(column_width_hints(table))) <= TEXT_WIDTH_CHARS


def test_a_table_with_a_pipe_in_a_cell_is_left_as_it_is():
    table = "| a | b |\n|---|---|\n| x | y | z |"
    assert column_width_hints(table) == table


def test_page_header_has_html_and_typst_parts():
    text = page_header('OPEN SESSION REPORT "draft" <b>').data
    assert '#metadata("OPEN SESSION REPORT \\"draft\\" <b>") <page-header>' in text
    assert "OPEN SESSION REPORT &quot;draft&quot; &lt;b&gt;" in text


def test_save_figure_bytes_do_not_change(tmp_path):
    digests = set()
    for run in range(2):
        fig, ax = plt.subplots(figsize=(3, 2))
        ax.plot([0, 1], [1, 0])
        for suffix in (".png", ".svg", ".pdf"):
            path = save_figure(fig, tmp_path / f"run{run}{suffix}")
            digests.add((suffix, hashlib.sha256(path.read_bytes()).hexdigest()))
        plt.close(fig)
    assert len(digests) == 3
