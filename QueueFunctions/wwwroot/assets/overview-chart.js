// The last 30 days of the whole centre as a small SVG chart (no library, no inline style) and the same figures as a
// table, for screen readers and for reading exact values.

const SVG = "http://www.w3.org/2000/svg";

/**
 * One point per service day of a range report: the centre's tickets served, and its average wait weighted by the tickets
 * that left each clinic's queue (the report gives each clinic's average, not its count of waits).
 */
export function centreDays(range) {
  return range.days.map(day => {
    const served = day.clinics.reduce((sum, c) => sum + c.done, 0);
    const weighted = day.clinics.filter(c => c.avgWaitMinutes != null && c.done + c.noShow > 0);
    const weight = weighted.reduce((sum, c) => sum + c.done + c.noShow, 0);
    const wait = weight === 0 ? null : Math.round((weighted.reduce((sum, c) => sum + c.avgWaitMinutes * (c.done + c.noShow), 0) / weight) * 10) / 10;
    return { date: day.date, served, wait };
  });
}

function add(parent, name, attributes, text) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  if (text !== undefined) element.textContent = text;
  parent.append(element);
  return element;
}

/** Bars of the tickets served each day, and a line of the average wait on its own scale (the right-hand axis). */
export function drawHistory(chart, days, words) {
  const title = chart.querySelector("title");
  const desc = chart.querySelector("desc");
  title.textContent = words.title;
  const busiest = days.reduce((best, d) => (best === null || d.served > best.served ? d : best), null);
  desc.textContent = busiest ? words.describe(days, busiest) : words.noData;
  chart.replaceChildren(title, desc);
  const [width, height, left, right, bottom, top] = [900, 280, 48, 48, 32, 18];
  const plot = height - bottom - top;
  const slot = (width - left - right) / Math.max(days.length, 1);
  const maxServed = Math.max(1, ...days.map(d => d.served));
  const maxWait = Math.max(1, ...days.map(d => d.wait ?? 0));
  add(chart, "line", { x1: left, y1: height - bottom, x2: width - right, y2: height - bottom, class: "axis" });
  add(chart, "line", { x1: left, y1: top, x2: left, y2: height - bottom, class: "axis" });
  add(chart, "line", { x1: width - right, y1: top, x2: width - right, y2: height - bottom, class: "axis" });
  add(chart, "text", { x: left - 4, y: top + 12, "text-anchor": "end" }, String(maxServed));
  add(chart, "text", { x: left - 4, y: height - bottom, "text-anchor": "end" }, "0");
  add(chart, "text", { x: width - right + 4, y: top + 12, "text-anchor": "start", class: "wait-label" }, String(Math.round(maxWait)));
  add(chart, "text", { x: width - right + 4, y: height - bottom, "text-anchor": "start", class: "wait-label" }, "0");
  if (!days.some(d => d.served > 0 || d.wait != null)) {
    add(chart, "text", { x: width / 2, y: height / 2, "text-anchor": "middle", class: "chart-empty" }, words.noData);
  }
  const points = [];
  days.forEach((day, i) => {
    const x = left + slot * i;
    // Every seventh day counted back from today, so today is always named and no two labels meet.
    if ((days.length - 1 - i) % 7 === 0) add(chart, "text", { x: x + slot / 2, y: height - 8, "text-anchor": "middle" }, day.date.slice(5));
    const barHeight = (plot * day.served) / maxServed;
    const bar = add(chart, "rect", { x: x + 2, y: height - bottom - barHeight, width: Math.max(slot - 4, 1), height: Math.max(barHeight, day.served ? 1 : 0), class: "bar-rect" });
    add(bar, "title", {}, `${day.date}: ${day.served}`);
    if (day.wait != null) points.push([x + slot / 2, height - bottom - (plot * day.wait) / maxWait, day]);
  });
  if (points.length > 1) add(chart, "polyline", { points: points.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(" "), class: "wait-line" });
  for (const [x, y, day] of points) {
    const dot = add(chart, "circle", { cx: x.toFixed(1), cy: y.toFixed(1), r: 4, class: "wait-dot" });
    add(dot, "title", {}, `${day.date}: ${day.wait} ${words.minutes}`);
  }
}

export function fillHistoryTable(body, days) {
  body.replaceChildren(...days.map(day => {
    const row = document.createElement("tr");
    for (const value of [day.date, day.served, day.wait ?? "–"]) {
      const cell = document.createElement("td");
      const text = document.createElement("bdi");
      text.textContent = String(value);
      cell.append(text);
      row.append(cell);
    }
    return row;
  }));
}
