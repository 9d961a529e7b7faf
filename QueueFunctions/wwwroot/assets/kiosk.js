import { api, applyLanguage, asciiDigits, clinicName, query, say, setUpLanguageSwitch, show, t } from "./common.js";

// The kiosk goes back to its start screen by itself once nobody has touched it for this long.
const IDLE_MS = Number(query("idle") ?? 45) * 1000;

const $ = id => document.getElementById(id);
const message = $("message");
let idleTimer = null;
let shown = null;

function readUser() {
  const user = asciiDigits($("user").value.trim());
  $("user").value = user;
  if (!/^[0-9]{2,12}$/.test(user)) {
    say(message, t("badUser"));
    $("user").focus();
    return null;
  }
  return user;
}

function showTicket(user, clinic, number, ahead, wait) {
  shown = { user, clinic, number, ahead, wait };
  renderTicket();
  $("ticket-qr").src = `/qr?user=${encodeURIComponent(user)}`;
  show($("start"), false);
  show($("ticket"), true);
  say(message, "");
  $("new").focus();
}

function renderTicket() {
  if (!shown) return;
  $("ticket-clinic").textContent = clinicName(shown.clinic);
  $("ticket-number").textContent = String(shown.number);
  $("ticket-ahead").textContent = String(shown.ahead);
  show($("ticket-wait-line"), shown.wait != null);
  $("ticket-wait").textContent = shown.wait ?? "";
  $("ticket-qr").alt = `${t("scanToFollow")}: ${shown.user}`;
}

function startOver() {
  shown = null;
  $("visit-form").reset();
  $("single-form").reset();
  show($("ticket"), false);
  show($("start"), true);
  say(message, "");
}

async function submit(button, call) {
  button.disabled = true;
  try {
    await call();
  } catch (error) {
    // The form keeps what was typed, so nothing is lost when the network or the service fails.
    say(message, error.message);
  } finally {
    button.disabled = false;
  }
}

$("visit-form").addEventListener("submit", event => {
  event.preventDefault();
  const user = readUser();
  if (!user) return;
  const gender = document.querySelector("input[name=gender]:checked")?.value;
  if (!gender) {
    say(message, t("chooseGender"));
    $("gender-male").focus();
    return;
  }
  submit($("start-visit"), async () => {
    const visit = await api("/api/v1/visits", { method: "POST", body: { user, exam: $("exam").value, gender } });
    const current = visit.current;
    if (!current) throw new Error(t("visitComplete"));
    showTicket(visit.user, current.clinic, current.number, current.ahead ?? 0, null);
  });
});

$("single-form").addEventListener("submit", event => {
  event.preventDefault();
  const user = readUser();
  if (!user) return;
  submit($("take-ticket"), async () => {
    const ticket = await api("/api/v1/queue/enter", { method: "POST", body: { clinic: $("clinic").value, user } });
    showTicket(ticket.user, ticket.clinic, ticket.number, ticket.ahead, ticket.estimatedWaitMinutes ?? null);
  });
});

$("print").addEventListener("click", () => window.print());
$("new").addEventListener("click", startOver);
document.addEventListener("apiretry", () => say(message, t("busy"), "ok"));
document.addEventListener("languagechange", renderTicket);

function touched() {
  clearTimeout(idleTimer);
  idleTimer = setTimeout(startOver, IDLE_MS);
}
for (const type of ["pointerdown", "keydown", "input"]) document.addEventListener(type, touched, { passive: true });

setUpLanguageSwitch();
applyLanguage();
