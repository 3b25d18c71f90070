"""`netweave report`: a self-contained HTML page about the plan and the network.

Pure: :func:`build_html` turns model objects into one HTML string. Every chart is an inline SVG
drawn here (no library, no CDN); a few lines of inline JavaScript add hover highlighting on the
network map and a "hide names" switch for screen sharing. A Content-Security-Policy forbids any
network access, so opening the page leaks nothing (it is confidential: it names people).

Sections: hours planned vs budget per week; activities per category and per goal; strong vs weak
ties met over time (past months from the calendars, coming ones from the plan); the focus people
with when each was last met and is next due; the planned activities; a network map of contacts
around their category hubs.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sync.config import Cadence, Config
from sync.model import CATEGORIES, STRONG_CATEGORIES, Contact, Event, Kind, PlannedEvent, Tie
from sync.view import WeekUse, names_by_id, week_hours

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
        ),
        strict=True,
    )
)
STRONG_COLOUR = "#0072b2"
WEAK_COLOUR = "#e69f00"
ACTIVITY_KINDS = (Kind.ONE_ON_ONE, Kind.GROUP)
HISTORY_MONTHS = 6
DEFAULT_CADENCE = Cadence(ideal_days=21, max_days=42)  # the planner's focus default


@dataclass(frozen=True)
class FocusPerson:
    key: str  # contact id, or the planner's key for a target not yet known
    name: str
    contact: Contact | None = None


@dataclass(frozen=True)
class ReportInput:
    config: Config
    events: Sequence[PlannedEvent]  # the plan
    contacts: Sequence[Contact]  # tagged
    history: Sequence[Event]  # calendar events read (past meetings: last met, ties over time)
    focus: Sequence[FocusPerson]
    now: datetime
    start: date
    weeks: int


def e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _tie(c: Contact) -> Tie:
    if c.tie is not None:
        return c.tie
    return Tie.STRONG if set(c.categories) & STRONG_CATEGORIES else Tie.WEAK


def _main_category(c: Contact) -> str:
    for cat in c.categories:
        if cat in PALETTE:
            return cat
    return "alumni"


def _activities(events: Iterable[PlannedEvent]) -> list[PlannedEvent]:
    return [ev for ev in events if ev.kind in ACTIVITY_KINDS]


# =========================================================================== data


def per_category(events: Sequence[PlannedEvent]) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for ev in _activities(events):
        for cat in ev.categories or ("groups" if ev.kind == Kind.GROUP else "uncategorised",):
            counts[cat] = counts.get(cat, 0) + 1
    order = {c: i for i, c in enumerate(CATEGORIES)}
    return sorted(counts.items(), key=lambda kv: (-kv[1], order.get(kv[0], 99), kv[0]))


def per_goal(config: Config, events: Sequence[PlannedEvent]) -> list[tuple[str, int]]:
    texts = {g.id: g.text for g in config.goals}
    counts: dict[str, int] = {}
    for ev in _activities(events):
        label = texts.get(ev.goal, ev.goal) or "no goal"
        counts[label] = counts.get(label, 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


@dataclass(frozen=True)
class MonthTies:
    """Meetings in one month: met (from the calendars, the past) and planned (the plan)."""

    month: date  # first day
    strong: int
    weak: int
    strong_planned: int = 0
    weak_planned: int = 0

    @property
    def total(self) -> int:
        return self.strong + self.weak + self.strong_planned + self.weak_planned


def _month(d: date) -> date:
    return d.replace(day=1)


def _next_month(d: date) -> date:
    return (d.replace(day=1) + timedelta(days=32)).replace(day=1)


def ties_over_time(inp: ReportInput) -> list[MonthTies]:
    """Meetings per month with strong and with weak ties: the last months from the calendars
    (events whose attendees are contacts), then the months the plan covers."""
    tz = inp.config.tz
    today = inp.now.astimezone(tz).date()
    by_email: dict[str, Contact] = {}
    for c in inp.contacts:
        for addr in c.emails:
            by_email.setdefault(addr.lower(), c)
    by_id = {c.id: c for c in inp.contacts}
    first = _month(today)
    for _ in range(HISTORY_MONTHS):
        first = _month(first - timedelta(days=1))
    past: dict[date, list[int]] = {}
    seen: set[tuple[str, str]] = set()
    for ev in inp.history:
        if ev.cancelled or ev.end > inp.now:
            continue
        day = ev.start.astimezone(tz).date()
        if day < first:
            continue
        for addr in ev.attendees:
            who = by_email.get(addr.lower())
            if who is None or (who.id, ev.uid + day.isoformat()) in seen:
                continue
            seen.add((who.id, ev.uid + day.isoformat()))
            slot = past.setdefault(_month(day), [0, 0])
            slot[0 if _tie(who) == Tie.STRONG else 1] += 1
    future: dict[date, list[int]] = {}
    for pe in _activities(inp.events):
        if pe.start < inp.now:
            continue
        m = _month(pe.start.astimezone(tz).date())
        slot = future.setdefault(m, [0, 0])
        for cid in pe.contacts:
            met = by_id.get(cid)
            if met is not None:
                slot[0 if _tie(met) == Tie.STRONG else 1] += 1
    out: list[MonthTies] = []
    last = max(
        [_month(today), _month(inp.start + timedelta(days=7 * inp.weeks - 1)), *future.keys()]
    )
    m = first
    while m <= last:
        s, w = past.get(m, [0, 0])
        sp, wp = future.get(m, [0, 0])
        out.append(MonthTies(m, s, w, sp, wp))
        m = _next_month(m)
    return out


def cadence_for(config: Config, c: Contact | None) -> Cadence:
    """The focus cadence: planner.cadence.focus, else the person's category's, else 21-42 days."""
    table = dict(config.planner.cadence)
    if "focus" in table:
        return table["focus"]
    for cat in c.categories if c else ("targets",):
        if cat in table:
            return table[cat]
    return DEFAULT_CADENCE


@dataclass(frozen=True)
class FocusRow:
    name: str
    organization: str
    category: str
    tie: str
    last_met: date | None
    next_planned: PlannedEvent | None
    due: date | None  # last met + ideal interval (None: never met, due now)
    latest: date | None  # last met + maximum interval
    status: str  # planned | overdue | due | ok


def focus_rows(inp: ReportInput) -> list[FocusRow]:
    tz = inp.config.tz
    today = inp.now.astimezone(tz).date()
    rows: list[FocusRow] = []
    for fp in inp.focus:
        c = fp.contact
        planned = sorted(
            (
                ev
                for ev in inp.events
                if ev.kind in ACTIVITY_KINDS and fp.key in ev.contacts and ev.end > inp.now
            ),
            key=lambda ev: ev.start,
        )
        nxt = planned[0] if planned else None
        cad = cadence_for(inp.config, c)
        last = c.last_met if c else None
        due = last + timedelta(days=cad.ideal_days) if last else None
        latest = last + timedelta(days=cad.max_days) if last else None
        if nxt is not None:
            status = "planned"
        elif latest is not None and latest < today:
            status = "overdue"
        elif due is None or due <= today:
            status = "due"
        else:
            status = "ok"
        rows.append(
            FocusRow(
                name=fp.name,
                organization=(c.organization or "") if c else "",
                category=", ".join(c.categories) if c else "targets",
                tie=str(_tie(c)) if c else "weak",
                last_met=last,
                next_planned=nxt,
                due=due,
                latest=latest,
                status=status,
            )
        )
    return rows


# =========================================================================== SVG charts


def _svg(kind: str, width: int, height: int, label: str, body: Sequence[str]) -> str:
    return (
        f'<svg class="chart" data-chart="{e(kind)}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{e(label)}" preserveAspectRatio="xMidYMid meet">'
        f"<title>{e(label)}</title>" + "".join(body) + "</svg>"
    )


def _nice_max(v: float) -> float:
    if v <= 0:
        return 1.0
    exp = 10 ** math.floor(math.log10(v))
    for m in (1, 2, 2.5, 5, 10):
        if v <= m * exp:
            return m * exp
    return 10 * exp


def hours_chart(uses: Sequence[WeekUse]) -> str:
    """Bars: hours planned per week (meeting, travel, buffers); dashed line: the budget."""
    w, h, left, bottom, top = 720, 260, 48, 36, 16
    n = max(1, len(uses))
    budget = uses[0].budget_hours if uses else 0.0
    ymax = _nice_max(max([u.hours for u in uses] + [budget, 0.5]) * 1.1)
    plot_w, plot_h = w - left - 12, h - top - bottom
    slot = plot_w / n
    bw = min(48.0, slot * 0.6)

    def y(v: float) -> float:
        return top + plot_h * (1 - v / ymax)

    body: list[str] = []
    for i in range(5):
        v = ymax * i / 4
        body.append(
            f'<line class="grid" x1="{left}" x2="{w - 12}" y1="{y(v):.1f}" y2="{y(v):.1f}"/>'
            f'<text class="axis" x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end">'
            f"{v:g}h</text>"
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


def hbar_chart(kind: str, label: str, items: Sequence[tuple[str, int]]) -> str:
    """Horizontal bars, one per item (label, count)."""
    row, left, w = 26, 190, 480
    h = max(60, 16 + row * len(items))
    vmax = max([v for _, v in items] + [1])
    body: list[str] = []
    for i, (name, v) in enumerate(items):
        y = 8 + i * row
        bw = (w - left - 50) * v / vmax
        colour = PALETTE.get(name, "#4c72b0")
        short = name if len(name) <= 28 else name[:27] + "…"
        body.append(
            f'<text class="axis" x="{left - 8}" y="{y + 15}" text-anchor="end">'
            f"<title>{e(name)}</title>{e(short)}</text>"
            f'<rect class="bar" data-label="{e(name)}" data-value="{v}" x="{left}" y="{y}" '
            f'width="{bw:.1f}" height="{row - 8}" fill="{colour}">'
            f"<title>{e(name)}: {v}</title></rect>"
            f'<text class="value" x="{left + bw + 6:.1f}" y="{y + 15}">{v}</text>'
        )
    if not items:
        body.append(f'<text class="empty" x="{w / 2}" y="34">no activities planned</text>')
    return _svg(kind, w, h, label, body)


def ties_chart(months: Sequence[MonthTies]) -> str:
    """Stacked bars per month: strong ties (bottom) and weak ties (top); planned months paler."""
    w, h, left, bottom, top = 720, 260, 40, 40, 16
    n = max(1, len(months))
    ymax = _nice_max(max([m.total for m in months] + [1]) * 1.1)
    plot_w, plot_h = w - left - 12, h - top - bottom
    slot = plot_w / n
    bw = min(40.0, slot * 0.6)

    def hy(v: float) -> float:
        return plot_h * v / ymax

    body: list[str] = []
    for i in range(5):
        v = ymax * i / 4
        yy = top + plot_h - hy(v)
        body.append(
            f'<line class="grid" x1="{left}" x2="{w - 12}" y1="{yy:.1f}" y2="{yy:.1f}"/>'
            f'<text class="axis" x="{left - 6}" y="{yy + 4:.1f}" text-anchor="end">{v:g}</text>'
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
        f'<text class="axis" x="{left + 200}" y="{h - 5}">(pale: planned)</text>'
    )
    return _svg("ties", w, h, "Strong and weak ties met per month", body)


def network_map(contacts: Sequence[Contact], focus: set[str]) -> str:
    """Contacts around their category hubs: hubs on a ring, each hub's contacts in a sunflower
    around it (filled: strong tie, ring: weak tie; larger and labelled: focus people); faint
    dashed lines to a contact's other categories."""
    groups: dict[str, list[Contact]] = {}
    for c in sorted(contacts, key=lambda c: (c.name.casefold(), c.id)):
        groups.setdefault(_main_category(c), []).append(c)
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
            strong = _tie(c) == Tie.STRONG
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


# =========================================================================== the page


CSS = """
:root { --ink:#1d2330; --muted:#5b6473; --line:#e3e6eb; --bg:#f7f8fa; --card:#fff; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
  color:var(--ink); background:var(--bg); }
main { max-width: 1040px; margin: 0 auto; padding: 0 20px 40px; }
.banner { background:#7a1f1f; color:#fff; padding:10px 20px; display:flex; gap:16px;
  align-items:center; justify-content:space-between; position:sticky; top:0; z-index:2; }
.banner button { background:#fff; color:#7a1f1f; border:0; border-radius:4px; padding:4px 10px;
  font-weight:600; cursor:pointer; }
h1 { font-size: 26px; margin: 22px 0 2px; }
h2 { font-size: 18px; margin: 0 0 10px; }
.sub { color: var(--muted); margin: 0 0 18px; }
.cards { display:grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap:12px;
  margin-bottom: 18px; }
.card, section { background:var(--card); border:1px solid var(--line); border-radius:8px; }
.card { padding: 12px 14px; }
.card b { display:block; font-size: 24px; }
.card span { color: var(--muted); font-size: 13px; }
section { padding: 16px 18px; margin-bottom: 18px; }
.grid2 { display:grid; grid-template-columns: 1fr 1fr; gap: 18px; }
.grid2 section { margin-bottom: 0; }
@media (max-width: 800px) { .grid2 { grid-template-columns: 1fr; } }
svg.chart { width: 100%; height: auto; display:block; }
svg .grid { stroke: var(--line); }
svg .axis, svg .value { font-size: 12px; fill: var(--muted); }
svg[data-chart=hours] .bar { fill: #4c72b0; }
svg[data-chart=hours] .bar.over { fill: #c0392b; }
svg .bar.planned { opacity: .45; }
svg .budget { stroke: #c0392b; stroke-width: 2; stroke-dasharray: 6 4; }
svg .budget-label { font-size: 12px; fill: #c0392b; }
svg .empty { font-size: 14px; fill: var(--muted); text-anchor: middle; }
svg .edge { stroke-width: .7; opacity: .35; }
svg .edge.secondary { stroke-dasharray: 3 3; opacity: .18; }
svg .node { stroke-width: 1.4; }
svg .node.focus { stroke: #111; stroke-width: 2; }
svg .hub-label { font-size: 13px; font-weight: 600; fill: var(--ink); }
svg .node-label { font-size: 12px; fill: var(--ink); paint-order: stroke; stroke: #fff;
  stroke-width: 3px; }
svg.dim .node, svg.dim .edge, svg.dim .node-label { opacity: .08; }
svg.dim .lit { opacity: 1 !important; }
svg.dim .edge.lit { opacity: .6 !important; }
.hub { cursor: pointer; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line);
  vertical-align: top; }
th { color: var(--muted); font-weight: 600; font-size: 13px; }
table.agenda td:first-child { white-space: nowrap; }
.status { border-radius: 10px; padding: 1px 8px; font-size: 12px; font-weight: 600; }
.status.planned { background:#e3f4ea; color:#1e7a46; }
.status.ok { background:#eef1f5; color:#4b5563; }
.status.due { background:#fff4d6; color:#8a6100; }
.status.overdue { background:#fde2e1; color:#9b1c1c; }
.legend { color: var(--muted); font-size: 13px; }
body.hide-names .name { filter: blur(6px); }
body.hide-names svg .node-label { display: none; }
footer { color: var(--muted); font-size: 12px; }
@media print { .banner { position: static; } .banner button { display:none; } }
"""

JS = """
(function () {
  "use strict";
  var body = document.body;
  var toggle = document.getElementById("hide-names");
  toggle.addEventListener("click", function () {
    var on = body.classList.toggle("hide-names");
    toggle.textContent = on ? "Show names" : "Hide names";
    toggle.setAttribute("aria-pressed", on ? "true" : "false");
  });
  var map = document.querySelector('svg[data-chart="network"]');
  if (map) {
    var light = function (cat) {
      map.classList.add("dim");
      map.querySelectorAll('[data-cat="' + cat + '"]').forEach(function (el) {
        el.classList.add("lit");
      });
    };
    var clear = function () {
      map.classList.remove("dim");
      map.querySelectorAll(".lit").forEach(function (el) { el.classList.remove("lit"); });
    };
    map.querySelectorAll("g.hub").forEach(function (hub) {
      var cat = hub.getAttribute("data-cat");
      hub.addEventListener("mouseenter", function () { light(cat); });
      hub.addEventListener("focus", function () { light(cat); });
      hub.addEventListener("mouseleave", clear);
      hub.addEventListener("blur", clear);
    });
  }
  var charts = document.querySelectorAll("svg.chart");
  body.setAttribute("data-charts", String(charts.length));
  body.setAttribute("data-ready", "1");
})();
"""

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)


def _d(d: date | None) -> str:
    return f"{d:%a %d %b %Y}" if d else "—"


def _focus_table(rows: Sequence[FocusRow], tz: object) -> str:
    if not rows:
        return '<p class="legend">No focus people yet: name targets in the config.</p>'
    out = [
        "<table class='focus'><thead><tr><th>Person</th><th>Category</th><th>Tie</th>"
        "<th>Last met</th><th>Next planned</th><th>Due</th><th></th></tr></thead><tbody>"
    ]
    for r in rows:
        nxt = "—"
        if r.next_planned is not None:
            s = r.next_planned.start.astimezone(tz)  # type: ignore[arg-type]
            what = r.next_planned.activity or str(r.next_planned.kind)
            nxt = f"{s:%a %d %b %H:%M} · {e(what)}"
        due = "now (never met)" if r.due is None else f"{_d(r.due)} (latest {_d(r.latest)})"
        org = f"<br><span class='legend name'>{e(r.organization)}</span>" if r.organization else ""
        out.append(
            f"<tr><td><span class='name'>{e(r.name)}</span>{org}</td><td>{e(r.category)}</td>"
            f"<td>{e(r.tie)}</td><td>{e(_d(r.last_met) if r.last_met else 'never')}</td>"
            f"<td>{nxt}</td><td>{e(due)}</td>"
            f"<td><span class='status {r.status}'>{r.status}</span></td></tr>"
        )
    out.append("</tbody></table>")
    return "".join(out)


def _agenda_table(inp: ReportInput) -> str:
    tz = inp.config.tz
    names = names_by_id(inp.contacts)
    goals = {g.id: g.text for g in inp.config.goals}
    acts = sorted(_activities(inp.events), key=lambda ev: (ev.start, ev.uid))
    if not acts:
        return '<p class="legend">Nothing planned in this period.</p>'
    out = [
        "<table class='agenda'><thead><tr><th>When</th><th>Activity</th><th>Who</th>"
        "<th>Place</th><th>Goal</th></tr></thead><tbody>"
    ]
    for ev in acts:
        s, t = ev.start.astimezone(tz), ev.end.astimezone(tz)
        who = ", ".join(names.get(c, c) for c in ev.contacts)
        what = ev.title if ev.kind == Kind.GROUP else (ev.activity or str(ev.kind))
        out.append(
            f"<tr><td>{s:%a %d %b} {s:%H:%M}–{t:%H:%M}</td><td class='name'>{e(what)}</td>"
            f"<td class='name'>{e(who)}</td><td>{e(ev.location)}</td>"
            f"<td>{e(goals.get(ev.goal, ev.goal))}</td></tr>"
        )
    out.append("</tbody></table>")
    return "".join(out)


def build_html(inp: ReportInput) -> str:
    """The whole report page (UTF-8 text). Deterministic for equal input."""
    cfg = inp.config
    tz = cfg.tz
    uses = week_hours(cfg, inp.events, inp.start, inp.weeks)
    acts = _activities(inp.events)
    total_h = sum(u.minutes for u in uses) / 60
    focus_ids = {fp.key for fp in inp.focus}
    rows = focus_rows(inp)
    strong = sum(1 for c in inp.contacts if _tie(c) == Tie.STRONG)
    owner = cfg.owner.name or "you"
    end = inp.start + timedelta(days=7 * inp.weeks - 1)
    cards = [
        (len(acts), "activities planned"),
        (f"{total_h:.1f} h", f"of {cfg.budget.hours_per_week * len(uses):g} h budget"),
        (len(inp.focus), "focus people"),
        (len(inp.contacts), f"contacts ({strong} strong ties)"),
    ]
    goals = "".join(f"<li>{e(g.text)}</li>" for g in cfg.goals)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="robots" content="noindex, nofollow">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>netweave report — {inp.start:%d %b %Y}</title>",
        f"<style>{CSS}</style></head><body>",
        '<div class="banner" role="note"><span><b>Confidential.</b> This report contains the '
        "names of people in your network and your goals. For your eyes only: do not forward, "
        "print or leave it where others can see it.</span>"
        '<button id="hide-names" type="button" aria-pressed="false">Hide names</button></div>',
        "<main>",
        f"<h1>Networking plan for <span class='name'>{e(owner)}</span></h1>",
        f"<p class='sub'>{_d(inp.start)} to {_d(end)} · {inp.weeks} weeks · "
        f"made {inp.now.astimezone(tz):%d %b %Y %H:%M} ({e(cfg.owner.timezone)})</p>",
        f"<section><h2>Goals</h2><ul>{goals or '<li>No goals written yet.</li>'}</ul></section>",
        "<div class='cards'>"
        + "".join(f"<div class='card'><b>{e(v)}</b><span>{e(t)}</span></div>" for v, t in cards)
        + "</div>",
        "<section><h2>Hours planned vs budget</h2>"
        "<p class='legend'>Meetings, travel and buffers, prep and follow-up blocks, per week.</p>"
        + hours_chart(uses)
        + "</section>",
        "<div class='grid2'>",
        "<section><h2>Activities per category</h2>"
        + hbar_chart("categories", "Activities per category", per_category(inp.events))
        + "</section>",
        "<section><h2>Activities per goal</h2>"
        + hbar_chart("goals", "Activities per goal", per_goal(cfg, inp.events))
        + "</section>",
        "</div><div style='height:18px'></div>",
        "<section><h2>Strong and weak ties met over time</h2>"
        "<p class='legend'>Meetings with contacts per month: past months from your calendars, "
        "coming months from the plan.</p>" + ties_chart(ties_over_time(inp)) + "</section>",
        "<section><h2>Focus people</h2>" + _focus_table(rows, tz) + "</section>",
        "<section><h2>Planned activities</h2>" + _agenda_table(inp) + "</section>",
        "<section><h2>Network map</h2><p class='legend'>Each contact around the hub of its main "
        "category (dashed: its other categories). Filled: strong tie; ring: weak tie; large and "
        "named: focus people. Hover or focus a hub to highlight its people.</p>"
        + network_map(inp.contacts, focus_ids)
        + "</section>",
        "<footer>Made by netweave from your own address books and calendars; this page loads "
        "nothing from the network.</footer>",
        "</main>",
        f"<script>{JS}</script>",
        "</body></html>",
    ]
    return "\n".join(p for p in parts if p) + "\n"


def focus_people(result: object, contacts: Sequence[Contact]) -> list[FocusPerson]:
    """The focus list of a plan (its first week's), with names for targets not yet known."""
    by_id = {c.id: c for c in contacts}
    keys: list[str] = []
    names: list[str] = []
    weeks = getattr(result, "weeks", None) or []
    if weeks:
        keys = list(getattr(weeks[0], "focus", []) or [])
        names = list(getattr(weeks[0], "focus_names", []) or [])
    if not keys:
        keys = list(getattr(result, "focus", ()) or ())
    out: list[FocusPerson] = []
    for i, k in enumerate(keys):
        c = by_id.get(k)
        name = c.name if c else (names[i] if i < len(names) else k.split(":", 1)[-1])
        out.append(FocusPerson(k, name, c))
    return out
