"""The report page: one self-contained HTML file (inline CSS, SVG and a few lines of script;
a Content-Security-Policy forbids any network access, so opening it leaks nothing).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from sync.model import Kind, Tie
from sync.report.charts import e, hbar_chart, hours_chart, network_map, ties_chart
from sync.report.data import (
    FocusRow,
    ReportInput,
    activities,
    focus_rows,
    per_category,
    per_goal,
    state_counts,
    state_shown,
    states_by_uid,
    tie_of,
    ties_over_time,
    window_weeks,
)
from sync.view import names_by_id

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
svg text.label tspan { font-size: 12px; }
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
.states { display:flex; flex-wrap:wrap; gap:8px; margin: 0 0 10px; padding:0; list-style:none; }
.state { border-radius: 10px; padding: 1px 8px; font-size: 12px; font-weight: 600;
  white-space: nowrap; }
.states .state { font-size: 14px; padding: 3px 10px; }
.state.held { background:#eef1f5; color:#4b5563; }
.state.proposed { background:#e6eefb; color:#1f4e9b; }
.state.confirmed { background:#e3f4ea; color:#1e7a46; }
.state.done { background:#1e7a46; color:#fff; }
.state.skipped { background:#fde2e1; color:#9b1c1c; }
.state.cancelled { background:#f1f1f1; color:#6b7280; text-decoration: line-through; }
.state.awaiting { background:#fff4d6; color:#8a6100; }
.state.new { background:#fff; color:#6b7280; border:1px dashed #c5cad3; }
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


def _weeks(asked: int, shown: int) -> str:
    said = f"{asked} week{'s' if asked != 1 else ''}"
    return said if shown == asked else f"{said} (over {shown} calendar weeks)"


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


#: The mark each state gets in the tables: a symbol as well as a colour (printed in grey,
#: or read by someone who does not tell the colours apart, it still says which).
MARKS = {
    "held": "○ held",
    "proposed": "✉ proposed",
    "confirmed": "✓ confirmed",
    "done": "● done",
    "skipped": "✗ skipped",
    "cancelled": "– cancelled",
    "awaiting": "? did it take place",
    "new": "· not written yet",
}


def _mark(state: str, since: date | None = None) -> str:
    when = f" since {since:%d %b}" if since else ""
    title = f" title='{e(state)}{e(when)}'" if since else ""
    return f"<span class='state {e(state)}'{title}>{e(MARKS.get(state, state))}</span>"


def _states_summary(inp: ReportInput) -> str:
    """One line of counts, one chip per state: where the meetings of this window stand."""
    counts = state_counts(inp)
    if not inp.states:
        return (
            "<p class='legend'>No sync has recorded these activities yet: after "
            "<code>netweave sync</code> each shows whether it is held, proposed, confirmed, "
            "done, skipped or cancelled.</p>"
        )
    chips = "".join(
        f"<li data-state='{e(s)}'>{_mark(s)} <b>{n}</b></li>"
        for s, n in counts
        if n or s != "awaiting"
    )
    return f"<ul class='states' aria-label='Activities by state'>{chips}</ul>"


def _agenda_table(inp: ReportInput) -> str:
    tz = inp.config.tz
    names = names_by_id(inp.contacts)
    goals = {g.id: g.text for g in inp.config.goals}
    acts = sorted(activities(inp.events), key=lambda ev: (ev.start, ev.uid))
    if not acts:
        return '<p class="legend">Nothing planned in this period.</p>'
    known = states_by_uid(inp)
    out = [
        "<table class='agenda'><thead><tr><th>When</th><th>Activity</th><th>Who</th>"
        "<th>Place</th><th>Goal</th><th>State</th></tr></thead><tbody>"
    ]
    for ev in acts:
        s, t = ev.start.astimezone(tz), ev.end.astimezone(tz)
        who = ", ".join(names.get(c, c) for c in ev.contacts)
        what = ev.title if ev.kind == Kind.GROUP else (ev.activity or str(ev.kind))
        a = known.get(ev.uid)
        shown = state_shown(a, inp.now) if a is not None else "new"
        mark = _mark(shown, a.changed.astimezone(tz).date() if a is not None else None)
        out.append(
            f"<tr data-uid='{e(ev.uid)}'><td>{s:%a %d %b} {s:%H:%M}–{t:%H:%M}</td>"
            f"<td class='name'>{e(what)}</td><td class='name'>{e(who)}</td>"
            f"<td>{e(ev.location)}</td><td>{e(goals.get(ev.goal, ev.goal))}</td>"
            f"<td>{mark}</td></tr>"
        )
    out.append("</tbody></table>")
    return "".join(out)


def build_html(inp: ReportInput) -> str:
    """The whole report page (UTF-8 text). Deterministic for equal input."""
    cfg = inp.config
    tz = cfg.tz
    uses = window_weeks(cfg, inp.events, inp.start, inp.weeks)
    acts = activities(inp.events)
    total_h = sum(u.minutes for u in uses) / 60
    focus_ids = {fp.key for fp in inp.focus}
    rows = focus_rows(inp)
    strong = sum(1 for c in inp.contacts if tie_of(c) == Tie.STRONG)
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
        f"<p class='sub'>{_d(inp.start)} to {_d(end)} · {_weeks(inp.weeks, len(uses))} · "
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
        "<section><h2>Planned activities</h2>"
        + _states_summary(inp)
        + _agenda_table(inp)
        + "</section>",
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
