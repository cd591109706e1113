"""The document checks read Quarto's HTML and the built-in renderer's alike.

The Quarto snippet has the structure Quarto 1.7 writes for a figure and a labelled
table cell: a div with the id, a figure in it, a figcaption whose id ends in a fixed
uuid, the title block and the contents list around; the built-in one is what
aidheart.render writes.
"""

from document_checks import html_structure, table_after

QUARTO = """<header id="title-block-header" class="quarto-title-block default">
<h1 class="title">AID-HEART: analysis report</h1>
<div class="quarto-title-meta-heading">Published</div></header>
<nav id="TOC" role="doc-toc"><h2 id="toc-title">Table of contents</h2><ul><li>Populations</li></ul></nav>
<section id="populations" class="level2"><h2 class="anchored" data-anchor-id="populations">Populations</h2>
<p>See <a href="#tbl-populations" class="quarto-xref">Table&nbsp;1</a> and
<a href="#fig-flow" class="quarto-xref">Figure&nbsp;1</a>.</p>
<div id="fig-flow" class="quarto-float quarto-figure quarto-figure-center anchored">
<figure class="quarto-float quarto-float-fig figure">
<div aria-describedby="fig-flow-caption-0ceaefa1-69ba-4598-a22c-09a6ac19f8ca"><img src="data:image/png;base64,AA"
class="figure-img"></div>
<figcaption class="quarto-float-caption-bottom quarto-float-caption quarto-float-fig"
id="fig-flow-caption-0ceaefa1-69ba-4598-a22c-09a6ac19f8ca">Figure&nbsp;1: Participant flow</figcaption>
</figure></div>
<div id="tbl-populations" class="cell quarto-float quarto-figure quarto-figure-center anchored"
data-execution_count="5"><figure class="quarto-float quarto-float-tbl figure">
<figcaption class="quarto-float-caption-top quarto-float-caption quarto-float-tbl"
id="tbl-populations-caption-0ceaefa1-69ba-4598-a22c-09a6ac19f8ca">Table&nbsp;1: Analysis populations</figcaption>
<div aria-describedby="tbl-populations-caption-0ceaefa1-69ba-4598-a22c-09a6ac19f8ca">
<div class="cell-output cell-output-display cell-output-markdown">
<table class="caption-top table"><tbody><tr><td>Screened</td><td>29</td></tr></tbody></table>
</div></div></figure></div></section>"""

BUILTIN = """<div class="page-header">HEADER</div>
<header id="title-block-header"><h1 class="title">AID-HEART: analysis report</h1></header>
<nav id="TOC" role="doc-toc"><strong>Contents</strong><ul><li>Populations</li></ul></nav>
<main><h2 id="populations">Populations</h2>
<p>See <span><a href="#tbl-populations" class="quarto-xref">Table\u00a01</a></span> and
<span><a href="#fig-flow" class="quarto-xref">Figure\u00a01</a></span>.</p>
<div id="fig-flow" class="quarto-float quarto-figure quarto-figure-center anchored">
<figure class="quarto-float quarto-float-fig figure">
<div aria-describedby="fig-flow-caption"><img src="data:image/png;base64,AA" alt="Flow"></div>
<figcaption class="quarto-float-caption-bottom quarto-float-caption quarto-float-fig" id="fig-flow-caption">
Figure\u00a01: Participant flow
</figcaption></figure></div>
<div id="tbl-populations" class="quarto-float quarto-figure quarto-figure-center anchored">
<figure class="quarto-float quarto-float-tbl figure">
<figcaption class="quarto-float-caption-top quarto-float-caption quarto-float-tbl" id="tbl-populations-caption">
Table\u00a01: Analysis populations
</figcaption>
<div aria-describedby="tbl-populations-caption"><table><tbody><tr><td>Screened</td><td>29</td></tr></tbody></table>
</div></figure></div></main>"""

EXPECTED = {
    "headings": [(2, "Populations")],
    "floats": [("fig-flow", "div", "Figure 1: Participant flow"), ("tbl-populations", "div", "Table 1: Analysis populations")],
    "xrefs": [("#tbl-populations", "Table 1"), ("#fig-flow", "Figure 1")],
}


def test_quarto_html_structure():
    assert html_structure(QUARTO) == EXPECTED


def test_builtin_html_structure_is_the_same():
    assert html_structure(BUILTIN) == EXPECTED


def test_a_table_is_found_by_the_id_of_its_float():
    for html in (QUARTO, BUILTIN):
        assert "<td>29</td>" in table_after(html, "tbl-populations")


def test_a_different_caption_or_id_shows():
    changed = BUILTIN.replace("Table\u00a01: Analysis populations", "Table\u00a01: Populations").replace(
        'id="fig-flow"', 'id="figure-flow"')
    structure = html_structure(changed)
    assert structure["floats"] == [("tbl-populations", "div", "Table 1: Populations")]
