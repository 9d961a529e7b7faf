import { ApiError, api, applyLanguage, asciiDigits, chime, clinicName, follow, query, say, setUpLanguageSwitch, show, t, unlockSound } from "./common.js";
import { setUpPush } from "./push.js";

const $ = id => document.getElementById(id);
const user = query("user");
let clinic = query("clinic");
let visit = null;
let stream = null;
let lastType = null;
let latest = null;

function setConnection(state) {
  const online = state === "live" && navigator.onLine;
  $("connection").textContent = online ? t("live") : t("offline");
  $("connection").className = `status-pill ${online ? "" : "offline"}`;
}

function stepState(step) {
  return { PENDING: ["stepPending", ""], WAITING: ["stepWaiting", "now"], DONE: ["stepDone2", "done"], NO_SHOW: ["stepNoShow", "missed"] }[step.status];
}

function renderRoute() {
  show($("route-card"), visit !== null);
  if (!visit) return;
  const list = $("route");
  list.replaceChildren(...visit.steps.map(step => {
    const [label, css] = stepState(step);
    const item = document.createElement("li");
    item.className = css;
    const name = document.createElement("span");
    name.textContent = clinicName(step.clinic) + (step.number ? ` — ${step.number}` : "");
    const state = document.createElement("span");
    state.className = "state";
    state.textContent = t(label);
    item.append(name, state);
    return item;
  }));
  const finished = visit.status !== "IN_PROGRESS";
  show($("complete"), visit.status === "COMPLETE");
  if (finished) {
    show($("pin-form"), false);
    show($("now"), false);
    if (visit.status === "CLOSED") say($("message"), t("visitClosed"), "ok");
  }
}

function alertFor(message) {
  const box = $("alert");
  const kinds = {
    YOUR_TURN: ["your-turn", t("yourTurn")],
    NEAR_TURN: ["near-turn", t("nearTurn")],
    STEP_DONE_NEXT: ["step-done", message.next_clinic ? `${t("stepDone")} ${t("goTo")} ${clinicName(message.next_clinic)} — ${message.next_number}` : t("stepDone")],
    VISIT_COMPLETE: ["step-done", t("visitComplete")],
    NOT_IN_QUEUE: ["info", t("notInQueue")],
  };
  const [kind, text] = kinds[message.type] ?? [null, null];
  show(box, kind !== null);
  if (kind) {
    box.className = `alert ${kind}`;
    box.textContent = text;
  }
}

function notifyTurn(type) {
  if (type === lastType) return;
  if (type === "YOUR_TURN") {
    chime(true);
    navigator.vibrate?.([400, 150, 400, 150, 400]);
    if ("Notification" in window && Notification.permission === "granted") {
      new Notification(t("yourTurn"), { body: clinicName(clinic), tag: "queue-turn" });
    }
  } else if (type === "NEAR_TURN") {
    chime(false);
    navigator.vibrate?.(150);
  }
}

function render(message) {
  latest = message;
  show($("now"), true);
  $("now-clinic").textContent = clinicName(message.clinic);
  $("serving").textContent = message.current ? String(message.current) : "–";
  $("your-number").textContent = message.number ?? "–";
  $("ahead").textContent = message.ahead ?? "–";
  show($("pin-form"), message.status === "WAITING" || message.status === "NO_SHOW");
  alertFor(message);
  notifyTurn(message.type);
  lastType = message.type;
}

async function onMessage(message) {
  if (message.type === "CONNECTED") return;
  render(message);
  if ((message.type === "STEP_DONE_NEXT" && message.next_clinic) || message.type === "VISIT_COMPLETE") {
    await loadVisit();
    if (message.next_clinic) watch(message.next_clinic);
  }
}

function watch(next) {
  if (stream && next === clinic) return;
  stream?.close();
  clinic = next;
  lastType = null;
  stream = follow(`/api/v1/events/stream?clinic=${encodeURIComponent(clinic)}&user=${encodeURIComponent(user)}`, onMessage, setConnection);
}

async function loadVisit() {
  try {
    visit = await api(`/api/v1/visits?user=${encodeURIComponent(user)}`);
  } catch (error) {
    if (!(error instanceof ApiError && error.code === "NO_VISIT")) throw error;
    visit = null;
  }
  renderRoute();
  return visit;
}

$("pin-form").addEventListener("submit", async event => {
  event.preventDefault();
  const pin = asciiDigits($("pin").value.trim());
  $("finish").disabled = true;
  try {
    const done = await api("/api/v1/queue/done", { method: "POST", body: { clinic, user, pin } });
    $("pin").value = "";
    say($("pin-message"), done.next_clinic ? `${t("stepDone")} ${t("goTo")} ${clinicName(done.next_clinic)} — ${done.next_number}` : t("stepDone"), "ok");
    await loadVisit();
    if (done.next_clinic) watch(done.next_clinic);
  } catch (error) {
    const text = { INVALID_PIN: t("wrongPin"), INVALID_PIN_FORMAT: t("wrongPin"), PIN_LOCKED: t("pinLocked") }[error.code] ?? error.message;
    say($("pin-message"), text);
  } finally {
    $("finish").disabled = false;
  }
});

$("alerts").addEventListener("click", async () => {
  await unlockSound();
  if ("Notification" in window && Notification.permission === "default") await Notification.requestPermission();
  show($("alerts"), false);
});

window.addEventListener("online", () => setConnection("live"));
window.addEventListener("offline", () => setConnection("reconnecting"));
document.addEventListener("languagechange", () => {
  renderRoute();
  if (latest) render(latest);
  if (stream) setConnection(navigator.onLine ? "live" : "reconnecting");
});

async function start() {
  setUpLanguageSwitch();
  if (!user) {
    say($("message"), t("noVisit"));
    return;
  }
  setUpPush(user, $("push"), $("push-message"));
  try {
    await loadVisit();
  } catch (error) {
    say($("message"), error.message);
  }
  const here = visit?.current?.clinic ?? (visit ? null : clinic);
  if (here) watch(here);
  else if (!visit) say($("message"), t("noVisit"));
}

applyLanguage();
start();
