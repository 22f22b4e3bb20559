"""The HTML a resource page's parts render themselves to (kgpub.web.views): links and edge rows."""

from __future__ import annotations

from kgpub.web.views import Edge, Link, edge_rows

HOSTILE = "<script>alert(1)</script>"


def test_link_escapes_href_title_and_label():
    link = Link('https://example.org/a"b', '/a"b?x=1&y=2', HOSTILE)
    assert link.html == ('<a href="/a&#34;b?x=1&amp;y=2" title="https://example.org/a&#34;b">'
                         "&lt;script&gt;alert(1)&lt;/script&gt;</a>")
    external = Link("https://bioregistry.io/hgnc:391", "https://bioregistry.io/hgnc:391", "hgnc:391", external=True)
    assert external.html == '<a class="ext" href="https://bioregistry.io/hgnc:391" rel="external">hgnc:391</a>'


def test_edge_row_orders_cells_by_direction_and_escapes_every_part():
    p, other = Link("https://x.org/p", "/p", "regulates"), Link("https://x.org/o", "/o", "AKT1")
    note, evidence = Link("https://x.org/n", "/n", "note"), [Link("https://x.org/e1", "/e1", "e1"),
                                                              Link("https://x.org/e2", "/e2", "e2")]
    edge = Edge(p, other, comments=[HOSTILE, "b & c"], evidence=evidence, lines=[12, 30], notes=[note], key="<k>")
    cells = ('<td><p>&lt;script&gt;alert(1)&lt;/script&gt;</p><p>b &amp; c</p><span class="key">&lt;k&gt;</span></td>\n'
             '<td><a href="/e1" title="https://x.org/e1">e1</a><br><a href="/e2" title="https://x.org/e2">e2</a></td>\n'
             '<td><a href="/n" title="https://x.org/n">note</a> line 12 line 30</td>\n</tr>\n')
    assert edge.row(incoming=False) == f"<tr>\n<td>{p.html}</td><td>{other.html}</td>" + cells
    assert edge.row(incoming=True) == f"<tr>\n<td>{other.html}</td><td>{p.html}</td>" + cells
    bare = Edge(p, other)
    assert edge_rows([bare, bare], incoming=False) == (f"<tr>\n<td>{p.html}</td><td>{other.html}</td><td></td>\n"
                                                       "<td></td>\n<td></td>\n</tr>\n") * 2
