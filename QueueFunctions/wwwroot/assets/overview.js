import { ApiError, api, onSignIn, applyLanguage, clinicName, lang, say, setUpLanguageSwitch, show, t } from "./common.js";
import { centreDays, drawHistory, fillHistoryTable } from "./overview-chart.js";
import { followWithKey } from "./overview-stream.js";
import { WORDS, w } from "./overview-words.js";

// The manager's overview: every clinic on one live stream, the stalled-clinic alert, the day's totals, the reports and
// the last 30 days. The staff key is kept as the console keeps it: in this tab's session storage only.
const KEY = "queue.staffKey";
const HISTORY_DAYS = 30;

const $ = id => document.getElementById(id);
let key = window.sessionStorage.getItem(KEY);
let stream = null;
let overview = null;
let history = [];
let shownAlert = "";

function signedOut(text) {
  key = null;
  window.sessionStorage.removeItem(KEY);
  stream?.close();
  stream = null;
  overview = null;
  show($("overview"), false);
  show($("sign-out"), false);
  show($("live"), false);
  show($("login"), true);
  say($("login-message"), text ?? "");
  $("key").focus();
}

async function staff(path) {
  try {
    return await api(path, { key });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) signedOut(t("wrongKey"));
    throw error;
  }
}

async function signIn(candidate) {
  key = candidate;
  overview = await staff("/api/v1/overview");
  window.sessionStorage.setItem(KEY, key);
  show($("login"), false);
  show($("overview"), true);
  show($("sign-out"), true);
  say($("login-message"), "");
  render();
  stream = followWithKey("/api/v1/overview/stream", key, {
    onMessage: receive,
    onState: state => showLive(state === "live"),
    onUnauthorized: () => signedOut(t("wrongKey")),
  });
  await loadHistory().catch(error => say($("message"), error.message));
}

function receive(message) {
  if (message.type === "OVERVIEW") {
    overview = message;
  } else if (message.type === "CLINIC_UPDATE" && overview) {
    overview = {
      ...overview,
      timestamp: message.timestamp,
      totals: message.totals,
      clinics: overview.clinics.map(c => (c.clinic === message.clinic ? message.figures : c)),
    };
  } else {
    return;
  }
  render();
}

function showLive(live) {
  const pill = $("live");
  show(pill, true);
  pill.textContent = live ? t("live") : t("reconnecting");
  pill.className = live ? "status-pill" : "status-pill offline";
}

const minutes = seconds => Math.floor(seconds / 60);
const clock = local => (local ? local.slice(11, 16) : null);

function fact(label, value, extra = "") {
  const box = document.createElement("div");
  box.className = `fact ${extra}`;
  const name = document.createElement("span");
  name.textContent = label;
  const number = document.createElement("span");
  number.className = "value";
  number.textContent = value ?? "–";
  box.append(name, number);
  return box;
}

const COLUMNS = ["serving", "waiting", "longest", "average", "served", "visits", "moved", "state"];
let rows = new Map();

/** A row per clinic, made once: later messages only change its text, so a link that has the focus keeps it. */
function rowFor(clinic) {
  const row = document.createElement("tr");
  row.dataset.clinic = clinic;
  const name = document.createElement("th");
  name.scope = "row";
  const link = document.createElement("a");
  link.href = `/clinic?clinic=${encodeURIComponent(clinic)}`;
  name.append(link);
  row.append(name);
  const cells = { link };
  for (const column of COLUMNS) {
    const td = document.createElement("td");
    td.className = column;
    const text = document.createElement(column === "state" ? "span" : "bdi");
    td.append(text);
    row.append(td);
    cells[column] = text;
  }
  return { row, cells };
}

function renderClinics() {
  const ids = overview.clinics.map(c => c.clinic);
  if (ids.join(",") !== [...rows.keys()].join(",")) {
    rows = new Map(ids.map(id => [id, rowFor(id)]));
    $("clinics").replaceChildren(...[...rows.values()].map(r => r.row));
  }
  for (const figures of overview.clinics) {
    const { row, cells } = rows.get(figures.clinic);
    row.className = figures.stalled ? "stalled" : "";
    cells.link.textContent = clinicName(figures.clinic);
    cells.link.title = w("console");
    const values = {
      serving: figures.current || "–",
      waiting: figures.waiting,
      longest: figures.waiting ? minutes(figures.longest_wait_seconds) : "–",
      average: figures.average_wait_today_minutes ?? "–",
      served: figures.served_today,
      visits: figures.visits_in_progress,
      moved: clock(figures.last_moved_at) ?? "–",
    };
    for (const [column, value] of Object.entries(values)) cells[column].textContent = String(value);
    cells.state.className = `state-pill ${figures.stalled ? "stalled" : figures.waiting ? "moving" : "idle"}`;
    cells.state.textContent = figures.stalled
      ? `${w("stalled")} · ${w("quietFor")(quietMinutes(figures))}`
      : figures.waiting ? w("moving") : w("idle");
  }
}

/** How long a clinic has had people waiting without moving, in whole minutes of the message's clock. */
function quietMinutes(figures) {
  if (!figures.quiet_since || !overview?.timestamp) return 0;
  return Math.max(0, Math.floor((Date.parse(overview.timestamp) - Date.parse(figures.quiet_since)) / 60000));
}

function render() {
  if (!overview) return;
  const totals = overview.totals;
  $("totals").replaceChildren(
    fact(t("waiting"), totals.waiting),
    fact(w("served"), totals.served_today),
    fact(w("averageWait"), totals.average_wait_today_minutes),
    fact(w("longestWait"), minutes(totals.longest_wait_seconds)),
    fact(w("visits"), totals.visits_in_progress),
    fact(w("stalledClinics"), totals.stalled_clinics, totals.stalled_clinics > 0 ? "stalled" : ""),
  );

  renderClinics();
  renderAlert();
}

/** The alert's text changes only when the stalled clinics do, so a screen reader is not told again every few seconds. */
function renderAlert() {
  const stalled = overview.clinics.filter(c => c.stalled);
  const text = stalled.length === 0 ? "" : `${w("alert")(overview.stalled_after_minutes)} ${stalled.map(c => clinicName(c.clinic)).join("، ")}`;
  if (text === shownAlert) return;
  shownAlert = text;
  const region = $("stalled-alert");
  show(region, text !== "");
  region.replaceChildren();
  if (!text) return;
  const heading = document.createElement("p");
  heading.textContent = w("alert")(overview.stalled_after_minutes);
  const list = document.createElement("ul");
  for (const figures of stalled) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = `/clinic?clinic=${encodeURIComponent(figures.clinic)}`;
    link.textContent = clinicName(figures.clinic);
    item.append(link, ` — ${w("waitingCount")(figures.waiting)}`);
    list.append(item);
  }
  region.append(heading, list);
}

function lastDays() {
  const to = overview.serviceDay;
  const from = new Date(`${to}T00:00:00Z`);
  from.setUTCDate(from.getUTCDate() - (HISTORY_DAYS - 1));
  return { from: from.toISOString().slice(0, 10), to };
}

async function loadHistory() {
  const { from, to } = lastDays();
  const range = await staff(`/api/v1/reports/range?from=${from}&to=${to}`);
  history = centreDays(range);
  renderHistory();
}

function renderHistory() {
  drawHistory($("chart"), history, { title: w("chartTitle"), noData: w("noData"), minutes: t("minutes"), describe: w("describe") });
  fillHistoryTable($("history-rows"), history);
}

/** Reports are fetched with the key in a header and handed to the browser as a file: the key never goes into a link. */
async function download(report, format) {
  const { from, to } = lastDays();
  const query = report === "daily" ? `date=${to}` : `from=${from}&to=${to}`;
  const response = await fetch(`/api/v1/reports/${report}?${query}&format=${format}`, { headers: { "x-functions-key": key }, cache: "no-store" });
  if (response.status === 401) {
    signedOut(t("wrongKey"));
    return;
  }
  if (!response.ok) throw new ApiError(response.status, "REPORT", t("unavailable"));
  const link = document.createElement("a");
  link.href = URL.createObjectURL(await response.blob());
  link.download = report === "daily" ? `queue-report-${to}.${format}` : `queue-report-${from}_${to}.${format}`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
}

function applyWords() {
  for (const element of document.querySelectorAll("[data-o18n]")) element.textContent = w(element.dataset.o18n);
  document.title = `${w("title")} — ${lang() === "ar" ? WORDS.en.title : WORDS.ar.title}`;
}

onSignIn(signIn, signedOut);

for (const button of document.querySelectorAll("[data-report]")) {
  button.addEventListener("click", () => download(button.dataset.report, button.dataset.format).catch(error => say($("message"), error.message)));
}

$("sign-out").addEventListener("click", () => signedOut());
document.addEventListener("languagechange", () => {
  applyWords();
  shownAlert = "";
  render();
  if (overview) renderHistory();
  if (!$("live").hidden) showLive(!$("live").classList.contains("offline"));
});

setUpLanguageSwitch();
applyLanguage();
if (key) signIn(key).catch(error => say($("message"), error.message));
