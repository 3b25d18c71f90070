// ical.js (Mozilla's parser, used by Thunderbird) on the same files as netweave's full sync:
// parse the .ics whole and every card of the .vcf, then walk every event's start, end,
// recurrence id, rules and exception dates, and every card's properties. Times are read as
// written (no time-zone conversion). Prints nothing; writes JSON (counts, peak RSS) to the
// path given last.
//
//   node benchmarks/icaljs_parse.mjs calendar.ics contacts.vcf result.json
import { readFileSync, writeFileSync } from "node:fs";
import ICAL from "ical.js";

const [ics, vcf, out] = process.argv.slice(2);
let events = 0, rules = 0, exdates = 0, overrides = 0, times = 0;
const cal = new ICAL.Component(ICAL.parse(readFileSync(ics, "utf8")));
// Properties are read from the component (ICAL.Event's constructor costs ~20 ms an event
// here: it looks for the event's exceptions among all the calendar's components).
for (const vevent of cal.getAllSubcomponents("vevent")) {
  events++;
  for (const name of ["dtstart", "dtend", "recurrence-id"]) {
    const t = vevent.getFirstPropertyValue(name);
    if (t) { t.toString(); times++; }
  }
  if (vevent.hasProperty("recurrence-id")) overrides++;
  for (const p of vevent.getAllProperties("rrule")) {
    const r = p.getFirstValue();
    r.isFinite(); r.toString(); rules++;
  }
  for (const p of vevent.getAllProperties("exdate")) {
    for (const v of p.getValues()) { v.toString(); exdates++; }
  }
}
let cards = 0, props = 0, failed = 0;
// The .vcf holds many cards one after another; ical.js rejects vCard 2.1's bare parameters
// (TEL;WORK;VOICE), so each card is parsed on its own and the ones it rejects are counted.
for (const text of readFileSync(vcf, "utf8").split(/(?=^BEGIN:VCARD\r?$)/m)) {
  try {
    const card = new ICAL.Component(ICAL.parse(text));
    for (const p of card.getAllProperties()) { p.getValues(); props++; }
    cards++;
  } catch (e) {
    failed++;
  }
}
let hwm = null;
for (const line of readFileSync("/proc/self/status", "utf8").split("\n")) {
  if (line.startsWith("VmHWM:")) hwm = Math.round(parseInt(line.split(/\s+/)[1], 10) / 102.4) / 10;
}
writeFileSync(out, JSON.stringify({ events, rules, exdates, overrides, times, cards, props, failed, vm_hwm_mb: hwm }));
