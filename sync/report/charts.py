"""The report's charts, each an inline SVG drawn here (no library, no network): hours per
week against the budget, horizontal bars, strong and weak ties per month, the network map.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence

from sync.model import CATEGORIES, Contact, Tie
from sync.report.data import MonthTies, main_category, tie_of
from sync.view import WeekUse


def e(text: object) -> str:
    return html.escape(str(text), quote=True)


#: One colour per category (colour-blind friendly first, then distinct hues).
PALETTE: Mapping[str, str] = dict(
    zip(
        CATEGORIES,
        (
            "#d55e00",  # family
            "#e69f00",  # friends
            "#f0c419",  # school-friends
            "#009e73",  # mentors
            "#0072b2",  # colleagues
            "#56b4e9",  # clients
            "#6a5acd",  # client-professionals
            "#999999",  # service-providers
            "#8c564b",  # community
            "#cc79a7",  # alumni
            "#17becf",  # brain-builders
            "#c0392b",  # targets
            "#2e8b57",  # introducers
            "#bbbbbb",  # unsorted
        ),
        strict=True,
    )
)
STRONG_COLOUR = "#0072b2"
WEAK_COLOUR = "#e69f00"


def _svg(kind: str, width: int, height: int, label: str, body: Sequence[str]) -> str:
    return (
        f'<svg class="chart" data-chart="{e(kind)}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{e(label)}" preserveAspectRatio="xMidYMid meet">'
        f"<title>{e(label)}</title>" + "".join(body) + "</svg>"
    )


def nice_ticks(v: float, count: int = 5) -> list[float]:
    """Axis ticks at round values (a step of 1, 2 or 5 times a power of ten) from 0 up to at
    least ``v``, about ``count`` of them."""
    if v <= 0:
        return [0.0, 1.0]
    rough = v / max(1, count - 1)
    exp = 10 ** math.floor(math.log10(rough))
    step = next(m * exp for m in (1, 2, 5, 10) if m * exp >= rough)
    n = math.ceil(v / step - 1e-9)
    return [round(i * step, 10) for i in range(n + 1)]


def _tick(v: float) -> str:
    return f"{v:g}"


def hours_chart(uses: Sequence[WeekUse]) -> str:
    """Bars: hours planned per week (meeting, travel, buffers); dashed line: the budget."""
    w, h, left, bottom, top = 720, 260, 48, 36, 16
    n = max(1, len(uses))
    budget = uses[0].budget_hours if uses else 0.0
    ticks = nice_ticks(max([u.hours for u in uses] + [budget, 0.5]) * 1.05)
    ymax = ticks[-1]
    plot_w, plot_h = w - left - 12, h - top - bottom
    slot = plot_w / n
    bw = min(48.0, slot * 0.6)

    def y(v: float) -> float:
        return top + plot_h * (1 - v / ymax)

    body: list[str] = []
    for v in ticks:
        body.append(
            f'<line class="grid" x1="{left}" x2="{w - 12}" y1="{y(v):.1f}" y2="{y(v):.1f}"/>'
            f'<text class="axis tick" x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end">'
            f"{_tick(v)}h</text>"
        )
    for i, u in enumerate(uses):
        x = left + slot * i + (slot - bw) / 2
        over = u.minutes > u.budget_minutes
        body.append(
            f'<rect class="bar{" over" if over else ""}" data-week="{u.monday.isoformat()}" '
            f'data-hours="{u.hours:.2f}" x="{x:.1f}" y="{y(u.hours):.1f}" width="{bw:.1f}" '
            f'height="{max(0.0, plot_h - (y(u.hours) - top)):.1f}">'
            f"<title>Week of {u.monday:%d %b}: {u.hours:.1f} h of {u.budget_hours:g} h "
            f"({u.events} events)</title></rect>"
            f'<text class="axis" x="{x + bw / 2:.1f}" y="{h - bottom + 16}" '
            f'text-anchor="middle">{u.monday:%d %b}</text>'
        )
    if uses:
        body.append(
            f'<line class="budget" x1="{left}" x2="{w - 12}" y1="{y(budget):.1f}" '
            f'y2="{y(budget):.1f}"><title>Budget: {budget:g} h a week</title></line>'
            f'<text class="budget-label" x="{w - 14}" y="{y(budget) - 5:.1f}" '
            f'text-anchor="end">budget {budget:g} h</text>'
        )
    else:
        body.append(f'<text class="empty" x="{w / 2}" y="{h / 2}">no weeks planned</text>')
    return _svg("hours", w, h, "Hours planned per week against the budget", body)


LABEL_CHARS = 28  # characters of a bar label per line (12px text in 190px)


def wrap(text: str, width: int = LABEL_CHARS) -> list[str]:
    """Words into lines of at most ``width`` characters (a longer word stands alone)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def hbar_chart(kind: str, label: str, items: Sequence[tuple[str, int]]) -> str:
    """Horizontal bars, one per item (label, count); a long label wraps, never cut off."""
    row, line, left, w = 26, 14, 190, 480
    vmax = max([v for _, v in items] + [1])
    body: list[str] = []
    y = 8
    for name, v in items:
        lines = wrap(name)
        height = max(row, line * len(lines) + 8)
        bw = (w - left - 50) * v / vmax
        colour = PALETTE.get(name, "#4c72b0")
        top = y + (height - row) / 2
        spans = "".join(
            f'<tspan x="{left - 8}" dy="{0 if i == 0 else line}">{e(part)}</tspan>'
            for i, part in enumerate(lines)
        )
        first = y + height / 2 + 4 - line * (len(lines) - 1) / 2
        body.append(
            f'<text class="axis label" x="{left - 8}" y="{first:.1f}" text-anchor="end">'
            f"<title>{e(name)}</title>{spans}</text>"
            f'<rect class="bar" data-label="{e(name)}" data-value="{v}" x="{left}" '
            f'y="{top:.1f}" width="{bw:.1f}" height="{row - 8}" fill="{colour}">'
            f"<title>{e(name)}: {v}</title></rect>"
            f'<text class="value" x="{left + bw + 6:.1f}" y="{top + 15:.1f}">{v}</text>'
        )
        y += height
    if not items:
        body.append(f'<text class="empty" x="{w / 2}" y="34">no activities planned</text>')
    return _svg(kind, w, max(60, y + 8), label, body)


def ties_chart(months: Sequence[MonthTies]) -> str:
    """Stacked bars per month: strong ties (bottom) and weak ties (top); planned months paler."""
    w, h, left, bottom, top = 720, 260, 40, 40, 16
    n = max(1, len(months))
    ticks = [t for t in nice_ticks(max([m.total for m in months] + [1])) if t == int(t)]
    ymax = ticks[-1]
    plot_w, plot_h = w - left - 12, h - top - bottom
    slot = plot_w / n
    bw = min(40.0, slot * 0.6)

    def hy(v: float) -> float:
        return plot_h * v / ymax

    body: list[str] = []
    for v in ticks:
        yy = top + plot_h - hy(v)
        body.append(
            f'<line class="grid" x1="{left}" x2="{w - 12}" y1="{yy:.1f}" y2="{yy:.1f}"/>'
            f'<text class="axis tick" x="{left - 6}" y="{yy + 4:.1f}" text-anchor="end">'
            f"{_tick(v)}</text>"
        )
    for i, m in enumerate(months):
        x = left + slot * i + (slot - bw) / 2
        base = float(top + plot_h)
        stack = (
            ("strong", "", m.strong, STRONG_COLOUR),
            ("strong", " planned", m.strong_planned, STRONG_COLOUR),
            ("weak", "", m.weak, WEAK_COLOUR),
            ("weak", " planned", m.weak_planned, WEAK_COLOUR),
        )
        for part, cls, v, colour in stack:
            if not v:
                continue
            hh = hy(v)
            when = "planned" if cls else "met"
            body.append(
                f'<rect class="bar {part}{cls}" data-month="{m.month:%Y-%m}" data-value="{v}" '
                f'x="{x:.1f}" y="{base - hh:.1f}" width="{bw:.1f}" height="{hh:.1f}" '
                f'fill="{colour}"><title>{m.month:%b %Y}: {v} {part}-tie meetings {when}'
                f"</title></rect>"
            )
            base -= hh
        label = f"{m.month:%b}" if m.month.month != 1 or i == 0 else f"{m.month:%b %y}"
        body.append(
            f'<text class="axis" x="{x + bw / 2:.1f}" y="{h - bottom + 16}" '
            f'text-anchor="middle">{label}</text>'
        )
    body.append(
        f'<rect x="{left}" y="{h - 14}" width="10" height="10" fill="{STRONG_COLOUR}"/>'
        f'<text class="axis" x="{left + 14}" y="{h - 5}">strong ties</text>'
        f'<rect x="{left + 100}" y="{h - 14}" width="10" height="10" fill="{WEAK_COLOUR}"/>'
        f'<text class="axis" x="{left + 114}" y="{h - 5}">weak ties</text>'
        f'<rect class="bar planned swatch" x="{left + 200}" y="{h - 14}" width="10" '
        f'height="10" fill="{STRONG_COLOUR}"/>'
        f'<rect class="bar planned swatch" x="{left + 210}" y="{h - 14}" width="10" '
        f'height="10" fill="{WEAK_COLOUR}"/>'
        f'<text class="axis" x="{left + 224}" y="{h - 5}">pale: planned</text>'
    )
    return _svg("ties", w, h, "Strong and weak ties met per month", body)


LABEL_CHAR, HUB_CHAR, LABEL_HEIGHT = 7.0, 8.0, 14.0  # text width per character, line height
Box = tuple[float, float, float, float]


def label_box(x: float, y: float, text: str, anchor: str, char: float = LABEL_CHAR) -> Box:
    """The area a text label takes (x0, y0, x1, y1), from its baseline position and anchor."""
    width = char * len(text)
    x0 = x if anchor == "start" else x - width if anchor == "end" else x - width / 2
    return (x0, y - LABEL_HEIGHT + 3, x0 + width, y + 3)


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def free_spot(taken: list[Box], x: float, y: float, text: str, anchor: str, way: int) -> float:
    """The baseline nearest ``y`` (moving by whole lines, ``way`` down or up) where the label
    overlaps no label placed before; the label's area is added to ``taken``."""
    for step in range(40):
        yy = y + way * LABEL_HEIGHT * step
        box = label_box(x, yy, text, anchor)
        if not any(_overlap(box, t) for t in taken):
            taken.append(box)
            return yy
    taken.append(label_box(x, y, text, anchor))
    return y


def network_map(contacts: Sequence[Contact], focus: set[str]) -> str:
    """Contacts around their category hubs: hubs on a ring, each hub's contacts in a sunflower
    around it (filled: strong tie, ring: weak tie; larger and labelled: focus people); faint
    dashed lines to a contact's other categories."""
    groups: dict[str, list[Contact]] = {}
    for c in sorted(contacts, key=lambda c: (c.name.casefold(), c.id)):
        groups.setdefault(main_category(c), []).append(c)
    cats = [c for c in CATEGORIES if c in groups]
    spacing = 12.0
    golden = math.pi * (3 - math.sqrt(5))
    radii = {cat: 22 + spacing * math.sqrt(len(groups[cat])) + 6 for cat in cats}
    gap = 40.0
    circumference = sum(2 * r + gap for r in radii.values())
    ring = max(150.0, circumference / (2 * math.pi)) if len(cats) > 1 else 0.0
    extent = ring + max(radii.values(), default=40.0) + 70
    size = 2 * extent
    cx = cy = extent
    hubs: dict[str, tuple[float, float]] = {}
    angle = -math.pi / 2
    for cat in cats:
        share = (2 * radii[cat] + gap) / circumference * 2 * math.pi if ring else 0.0
        a = angle + share / 2
        hubs[cat] = (cx + ring * math.cos(a), cy + ring * math.sin(a))
        angle += share
    pos: dict[str, tuple[float, float]] = {}
    for cat in cats:
        hx, hy = hubs[cat]
        for i, c in enumerate(groups[cat]):
            r = 24 + spacing * math.sqrt(i + 0.5)
            a = i * golden
            pos[c.id] = (hx + r * math.cos(a), hy + r * math.sin(a))
    edges: list[str] = []
    nodes: list[str] = []
    labels: list[str] = []
    taken = [
        label_box(
            hubs[cat][0],
            hubs[cat][1] - radii[cat] - 4,
            f"{cat} ({len(groups[cat])})",
            "middle",
            HUB_CHAR,
        )
        for cat in cats
    ]
    for cat in cats:
        hx, hy = hubs[cat]
        for c in groups[cat]:
            x, y = pos[c.id]
            edges.append(
                f'<line class="edge" data-cat="{cat}" x1="{hx:.1f}" y1="{hy:.1f}" '
                f'x2="{x:.1f}" y2="{y:.1f}" stroke="{PALETTE[cat]}"/>'
            )
            for other in c.categories:
                if other != cat and other in hubs:
                    ox, oy = hubs[other]
                    edges.append(
                        f'<line class="edge secondary" data-cat="{other}" x1="{ox:.1f}" '
                        f'y1="{oy:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke="{PALETTE[other]}"/>'
                    )
            strong = tie_of(c) == Tie.STRONG
            is_focus = c.id in focus
            rad = 6.5 if is_focus else 3.6
            fill = PALETTE[cat] if strong else "#ffffff"
            tip = f"{c.name}{' — ' + c.organization if c.organization else ''}"
            tip += f" ({', '.join(c.categories) or cat}; {'strong' if strong else 'weak'} tie"
            tip += f"; last met {c.last_met.isoformat()})" if c.last_met else "; never met)"
            cls = ("node focus " if is_focus else "node ") + ("strong" if strong else "weak")
            nodes.append(
                f'<circle class="{cls}"'
                f' data-cat="{cat}" data-id="{e(c.id)}" cx="{x:.1f}" cy="{y:.1f}" r="{rad}" '
                f'fill="{fill}" stroke="{PALETTE[cat]}"><title class="name">{e(tip)}</title>'
                "</circle>"
            )
            if is_focus:
                dx, dy = x - hx, y - hy
                norm = math.hypot(dx, dy) or 1.0
                lx, ly = x + 10 * dx / norm, y + 10 * dy / norm + 4
                anchor = "start" if dx >= 0 else "end"
                ly = free_spot(taken, lx, ly, c.name, anchor, 1 if dy >= 0 else -1)
                labels.append(
                    f'<text class="node-label name" x="{lx:.1f}" y="{ly:.1f}" '
                    f'text-anchor="{anchor}">{e(c.name)}</text>'
                )
    hub_svg: list[str] = []
    for cat in cats:
        hx, hy = hubs[cat]
        hub_svg.append(
            f'<g class="hub" data-cat="{cat}" tabindex="0">'
            f'<circle cx="{hx:.1f}" cy="{hy:.1f}" r="16" fill="{PALETTE[cat]}"/>'
            f'<text class="hub-label" x="{hx:.1f}" y="{hy - radii[cat] - 4:.1f}" '
            f'text-anchor="middle">{e(cat)} ({len(groups[cat])})</text>'
            f"<title>{e(cat)}: {len(groups[cat])} contacts</title></g>"
        )
    if not cats:
        hub_svg.append(f'<text class="empty" x="{cx}" y="{cy}">no contacts read</text>')
    s = int(math.ceil(size))
    return _svg(
        "network",
        s,
        s,
        "Network map: contacts around their category hubs",
        ["<g class='edges'>", *edges, "</g>", *nodes, *hub_svg, *labels],
    )
