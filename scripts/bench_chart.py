#!/usr/bin/env python3
"""Draws docs/benchmarks.svg from docs/benchmarks.csv: one bar per row of the performance
table, the measured ratio against its target. No dependencies beyond Python 3.

CSV columns: operation, measured ratio, target ratio, kind ("max": lower is better, the
bar must stay left of the target; "min": higher is better).
Usage: python3 scripts/bench_chart.py
"""
import csv
import html
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
rows = list(csv.DictReader((ROOT / "docs" / "benchmarks.csv").open()))

width, left, bar_h, gap, top = 900, 330, 18, 10, 40
# Bars past CLIP (a few outliers) are drawn cut at the edge, their figure still printed.
CLIP = 4.0
scale_max = min(max(max(float(r["measured"]), float(r["target"])) for r in rows), CLIP) * 1.1
px = lambda ratio: left + (width - left - 40) * ratio / scale_max
height = top + len(rows) * (bar_h + gap) + 40

out = [
    f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
    f'<text x="{width / 2}" y="20" text-anchor="middle" font-size="14">goost-memory: measured ratio vs target (bar: measured, line: target)</text>',
]
for i, r in enumerate(rows):
    y = top + i * (bar_h + gap)
    measured, target = float(r["measured"]), float(r["target"])
    met = measured <= target if r["kind"] == "max" else measured >= target
    colour = "#3a7d44" if met else "#c0392b"
    out.append(f'<text x="{left - 8}" y="{y + 13}" text-anchor="end">{html.escape(r["operation"])}</text>')
    shown = min(measured, CLIP)
    out.append(f'<rect x="{left}" y="{y}" width="{px(shown) - left:.1f}" height="{bar_h}" fill="{colour}"/>')
    out.append(f'<line x1="{px(target):.1f}" y1="{y - 3}" x2="{px(target):.1f}" y2="{y + bar_h + 3}" stroke="black" stroke-width="2"/>')
    out.append(f'<text x="{min(px(max(measured, target)) + 6, width - 200):.1f}" y="{y + 13}">{measured:.2f}× (target {"≤" if r["kind"] == "max" else "≥"} {target:g}×)</text>')
axis_y = top + len(rows) * (bar_h + gap) + 5
out.append(f'<line x1="{left}" y1="{axis_y}" x2="{width - 40}" y2="{axis_y}" stroke="#888"/>')
for tick in range(0, int(scale_max) + 1):
    out.append(f'<text x="{px(tick):.1f}" y="{axis_y + 15}" text-anchor="middle" fill="#555">{tick}×</text>')
out.append("</svg>")
(ROOT / "docs" / "benchmarks.svg").write_text("\n".join(out) + "\n")
print(f"wrote docs/benchmarks.svg ({len(rows)} rows)")
