"""Rich display in notebooks: HTML for match results and pair explanations.

Jupyter calls an object's ``_repr_html_``; the matching classes delegate here so that their
module stays about matching. Every value shown is HTML-escaped, and nothing is loaded from the
web (inline SVG charts only), so notebooks render offline.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["clusters_html", "explanation_html"]

_STYLE = (
    "<style>.crmclean td,.crmclean th{padding:2px 8px;text-align:left;font-size:12px}"
    ".crmclean th{background:#f0f4f8}.crmclean tr.sep td{border-top:2px solid #9fb3c8}</style>"
)


def _esc(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return html.escape(str(value))


def explanation_html(explanation: Any) -> str:
    """A waterfall of a pair's match weight: one bar per field, green for evidence of a match,
    red against, with the level each field reached.

    Example:
        >>> from types import SimpleNamespace as NS
        >>> e = NS(id_l=1, id_r=2, prior_weight=-4.0, match_weight=3.0,
        ...        match_probability=0.89, is_match=True,
        ...        contributions=[NS(field="email", label="exact", total=7.0)])
        >>> "<svg" in explanation_html(e) and "email" in explanation_html(e)
        True
    """
    rows = [("(prior)", "", float(explanation.prior_weight))]
    rows += [(c.field, c.label, float(c.total)) for c in explanation.contributions]
    scale = max([abs(w) for _, _, w in rows] + [1.0])
    width, label_w, bar_h, half = 720, 260, 18, 160
    height = bar_h * len(rows) + 30
    mid = label_w + half
    parts = [
        f'<svg class="crmclean-explain" width="{width}" height="{height}" '
        f'xmlns="http://www.w3.org/2000/svg" style="font:12px sans-serif">',
        f'<line x1="{mid}" y1="0" x2="{mid}" y2="{height - 20}" stroke="#829ab1"/>',
    ]
    for i, (field, label, weight) in enumerate(rows):
        y = 4 + i * bar_h
        w = abs(weight) / scale * half
        x = mid if weight >= 0 else mid - w
        colour = "#2f9e44" if weight >= 0 else "#e03131"
        text = f"{field}" + (f" ({label})" if label else "")
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 12}" text-anchor="end">{_esc(text)}</text>'
            f'<rect x="{x:.1f}" y="{y + 2}" width="{max(w, 1):.1f}" height="{bar_h - 6}" '
            f'fill="{colour}"><title>{_esc(text)}: {weight:+.2f}</title></rect>'
            f'<text x="{mid + half + 8}" y="{y + 12}">{weight:+.2f}</text>'
        )
    verdict = "match" if explanation.is_match else "no match"
    parts.append(
        f'<text x="{label_w - 6}" y="{height - 6}" text-anchor="end" font-weight="bold">'
        f"total</text><text x=\"{mid + half + 8}\" y=\"{height - 6}\" font-weight=\"bold\">"
        f"{float(explanation.match_weight):+.2f} (p = {float(explanation.match_probability):.3f}, "
        f"{verdict})</text></svg>"
    )
    title = f"<b>{_esc(explanation.id_l)} ~ {_esc(explanation.id_r)}</b><br>"
    return f'<div class="crmclean">{title}{"".join(parts)}</div>'


def clusters_html(
    summary: str,
    ids: Sequence[object],
    cluster_of: Sequence[object],
    records: Mapping[str, Sequence[Any]] | None,
    *,
    max_clusters: int = 10,
    max_columns: int = 8,
) -> str:
    """The largest clusters with their records side by side, one table row per record.

    Example:
        >>> page = clusters_html("2 records", ["a", "b"], ["a", "a"],
        ...                      {"id": ["a", "b"], "name": ["Jane", "jane"]})
        >>> "Jane" in page and "jane" in page
        True
    """
    sizes = Counter(cluster_of)
    multi = [c for c, n in sizes.most_common() if n > 1][:max_clusters]
    out = [f'<div class="crmclean">{_STYLE}<p>{_esc(summary)}</p>']
    if not multi:
        out.append("<p>No duplicates found.</p></div>")
        return "".join(out)
    records = records or {}
    columns = list(records)[:max_columns]
    out.append(f"<p>The {len(multi)} largest clusters of duplicates:</p><table>")
    out.append("<tr><th>cluster</th><th>record</th>"
               + "".join(f"<th>{_esc(c)}</th>" for c in columns) + "</tr>")  # fmt: skip
    rows_of: dict[object, list[int]] = {}
    for i, c in enumerate(cluster_of):
        if c in multi:
            rows_of.setdefault(c, []).append(i)
    for c in multi:
        for k, i in enumerate(rows_of[c]):
            cells = "".join(f"<td>{_esc(records[col][i])}</td>" for col in columns)
            cls = ' class="sep"' if k == 0 else ""
            out.append(f"<tr{cls}><td>{_esc(c) if k == 0 else ''}</td><td>{_esc(ids[i])}</td>"
                       f"{cells}</tr>")  # fmt: skip
    out.append("</table></div>")
    return "".join(out)
