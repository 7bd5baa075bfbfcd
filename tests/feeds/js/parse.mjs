// Reads iCalendar files with ical.js (the parser inside Thunderbird) and prints what it understood
// as JSON: every VEVENT with its instants in UTC, resolved through the file's own VTIMEZONEs.
// Usage: node parse.mjs FILE...   ->  [{"calendar": {...}, "events": [...]}, ...]
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

function instant(time) {
  if (!time) { return null; }
  if (time.isDate) { return { date: time.toString() }; }
  return { utc: time.toJSDate().toISOString().replace(".000Z", "Z"), tzid: time.zone ? time.zone.tzid : null };
}

function read(path) {
  const root = new ICAL.Component(ICAL.parse(readFileSync(path, "utf8")));
  const calendar = {};
  for (const name of ["version", "prodid", "calscale", "method", "x-wr-calname", "x-wr-caldesc",
                      "x-wr-timezone", "refresh-interval", "x-published-ttl"]) {
    const value = root.getFirstPropertyValue(name);
    calendar[name] = value === null ? null : value.toString();
  }
  calendar.timezones = root.getAllSubcomponents("vtimezone").map((tz) => tz.getFirstPropertyValue("tzid"));
  const events = root.getAllSubcomponents("vevent").map((vevent) => {
    const event = new ICAL.Event(vevent);
    const categories = vevent.getAllProperties("categories").flatMap((p) => p.getValues());
    return {
      uid: event.uid, summary: event.summary, status: vevent.getFirstPropertyValue("status"),
      sequence: event.sequence, start: instant(event.startDate), end: instant(event.endDate),
      location: event.location, description: event.description,
      url: vevent.getFirstPropertyValue("url"), categories,
    };
  });
  return { calendar, events };
}

console.log(JSON.stringify(process.argv.slice(2).map(read)));
