import { ApiError, api, onSignIn, applyLanguage, clinicName, follow, query, say, setUpLanguageSwitch, show, t } from "./common.js";

// The staff key lives only in this tab's session storage: never in the address, never in local storage.
const KEY = "queue.staffKey";
const SVG = "http://www.w3.org/2000/svg";

const $ = id => document.getElementById(id);
const clinic = (query("clinic") ?? "").trim().toLowerCase();
let key = window.sessionStorage.getItem(KEY);
let stream = null;
let report = null;
let reloading = null;
let serving = 0;

function signedOut(text) {
  key = null;
  window.sessionStorage.removeItem(KEY);
  stream?.close();
  stream = null;
  show($("console"), false);
  show($("sign-out"), false);
  show($("login"), true);
  say($("login-message"), text ?? "");
  $("key").focus();
}

async function staff(path, options = {}) {
  try {
    return await api(path, { ...options, key });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) signedOut(t("wrongKey"));
    throw error;
  }
}

async function signIn(candidate) {
  key = candidate;
  const pins = await staff("/api/v1/pin/status");
  window.sessionStorage.setItem(KEY, key);
  $("pin-of-day").textContent = pins.pins[clinic] ?? "––––";
  show($("login"), false);
  show($("console"), true);
  show($("sign-out"), true);
  say($("login-message"), "");
  $("report-date").value = pins.serviceDay;
  stream = follow(`/api/v1/events/stream?clinic=${encodeURIComponent(clinic)}`, message => {
    if (message.type !== "QUEUE_UPDATE") return;
    showServing(message.current);
    $("waiting").textContent = String(message.waiting);
    reload();
  }, () => {});
  await Promise.all([loadTickets(), loadReport()]);
}

/** The number on screen is the one a call names, so a call never reaches a patient the staff have not seen. */
function showServing(current) {
  serving = current;
  $("serving").textContent = current ? String(current) : "–";
}

function reload() {
  // Many changes in a burst cost one list read.
  if (reloading) return;
  reloading = setTimeout(async () => {
    reloading = null;
    await loadTickets().catch(error => say($("message"), error.message));
  }, 300);
}

async function loadTickets() {
  const list = await staff(`/api/v1/queue/tickets?clinic=${encodeURIComponent(clinic)}`);
  showServing(list.current);
  $("waiting").textContent = String(list.waiting);
  $("tickets").replaceChildren(...list.tickets.map(ticket => {
    const row = document.createElement("tr");
    for (const value of [ticket.number, t(ticket.status), ticket.user, ticket.waitedMinutes]) {
      // Each value is isolated, so a masked id such as 12••••78 keeps its order inside Arabic text.
      const cell = document.createElement("td");
      const text = document.createElement("bdi");
      text.textContent = String(value);
      cell.append(text);
      row.append(cell);
    }
    return row;
  }));
  show($("empty"), list.waiting === 0);
}

async function loadReport() {
  const date = $("report-date").value;
  const data = await staff(`/api/v1/reports/daily?date=${encodeURIComponent(date)}&clinic=${encodeURIComponent(clinic)}`);
  report = data.clinics[0] ?? null;
  renderReport();
}

function renderReport() {
  const figures = $("figures");
  if (!report) {
    figures.textContent = t("noData");
    drawChart([]);
    return;
  }
  const facts = [
    ["issued", report.issued], ["done", report.done], ["noShow", report.noShow], ["stillWaiting", report.stillWaiting],
    ["clearedByReset", report.clearedByReset],
    ["avgWait", report.avgWaitMinutes], ["p90Wait", report.p90WaitMinutes], ["avgService", report.avgServiceMinutes],
  ];
  figures.replaceChildren(...facts.map(([label, value]) => {
    const fact = document.createElement("div");
    fact.className = "fact";
    const name = document.createElement("span");
    name.textContent = t(label);
    const number = document.createElement("span");
    number.className = "value";
    number.textContent = value ?? "–";
    fact.append(name, number);
    return fact;
  }));
  drawChart(report.avgWaitByHour ?? []);
}

/** Bars of the average wait per hour, drawn as SVG elements (no library, no inline style). */
function drawChart(hours) {
  const chart = $("chart");
  const title = $("chart-title");
  title.textContent = t("waitsByHour");
  chart.replaceChildren(title);
  const [width, height, left, bottom, top] = [720, 240, 36, 24, 12];
  const max = Math.max(1, ...hours.filter(h => h != null));
  const slot = (width - left) / 24;
  const line = (x1, y1, x2, y2) => {
    const axis = document.createElementNS(SVG, "line");
    Object.entries({ x1, y1, x2, y2, class: "axis" }).forEach(([k, v]) => axis.setAttribute(k, String(v)));
    chart.append(axis);
  };
  const text = (x, y, value, anchor = "middle") => {
    const label = document.createElementNS(SVG, "text");
    Object.entries({ x, y, "text-anchor": anchor }).forEach(([k, v]) => label.setAttribute(k, String(v)));
    label.textContent = value;
    chart.append(label);
  };
  line(left, height - bottom, width, height - bottom);
  line(left, top, left, height - bottom);
  text(left - 4, top + 8, String(Math.round(max)), "end");
  text(left - 4, height - bottom, "0", "end");
  hours.forEach((minutes, hour) => {
    if (hour % 3 === 0) text(left + slot * hour + slot / 2, height - 6, String(hour).padStart(2, "0"));
    if (minutes == null) return;
    const barHeight = ((height - bottom - top) * minutes) / max;
    const bar = document.createElementNS(SVG, "rect");
    Object.entries({ x: left + slot * hour + 3, y: height - bottom - barHeight, width: slot - 6, height: Math.max(barHeight, 1), class: "bar-rect" })
      .forEach(([k, v]) => bar.setAttribute(k, String(v)));
    const tip = document.createElementNS(SVG, "title");
    tip.textContent = `${String(hour).padStart(2, "0")}:00 — ${minutes} ${t("minutes")}`;
    bar.append(tip);
    chart.append(bar);
  });
}

onSignIn(signIn, signedOut);

$("call").addEventListener("click", async () => {
  $("call").disabled = true;
  try {
    const called = await staff("/api/v1/queue/call", { method: "POST", body: serving ? { clinic, number: serving } : { clinic } });
    say($("action-message"), `${t("called")}: ${called.skipped}`, "ok");
    await loadTickets();
  } catch (error) {
    const message = error.code === "QUEUE_EMPTY" ? t("queueEmpty")
      : error.code === "NOT_CURRENT" ? `${t("notCurrent")}: ${error.current || "–"}`
      : error.message;
    say($("action-message"), message);
    if (error.code === "NOT_CURRENT") await loadTickets().catch(() => {});
  } finally {
    $("call").disabled = false;
  }
});

$("reset").addEventListener("click", () => $("confirm-reset").showModal());
$("confirm-reset").addEventListener("close", async () => {
  if ($("confirm-reset").returnValue !== "reset") return;
  try {
    await staff("/api/v1/queue/reset", { method: "POST", body: { clinic } });
    say($("action-message"), t("resetDone"), "ok");
    await loadTickets();
  } catch (error) {
    say($("action-message"), error.message);
  }
});

$("report-form").addEventListener("submit", async event => {
  event.preventDefault();
  await loadReport().catch(error => say($("message"), error.message));
});

$("csv").addEventListener("click", async () => {
  // Fetched with the key in a header, then handed to the browser as a file: the key never goes into a link.
  try {
    const date = $("report-date").value;
    const response = await fetch(`/api/v1/reports/daily?date=${encodeURIComponent(date)}&clinic=${encodeURIComponent(clinic)}&format=csv`, { headers: { "x-functions-key": key } });
    if (!response.ok) throw new ApiError(response.status, "CSV", t("unavailable"));
    const link = document.createElement("a");
    link.href = URL.createObjectURL(await response.blob());
    link.download = `queue-${clinic}-${date}.csv`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  } catch (error) {
    say($("message"), error.message);
  }
});

$("sign-out").addEventListener("click", () => signedOut());
document.addEventListener("languagechange", () => {
  $("clinic-name").textContent = clinicName(clinic);
  renderReport();
  if (key && !$("console").hidden) loadTickets().catch(() => {});
});

setUpLanguageSwitch();
applyLanguage();
if (!/^[a-z0-9_-]{1,32}$/.test(clinic)) {
  say($("message"), t("chooseClinic"));
  show($("login"), false);
} else if (key) {
  signIn(key).catch(error => say($("message"), error.message));
}
