import { api, applyLanguage, asciiDigits, clinicName, lang, query, say, setUpLanguageSwitch, show, t } from "./common.js";

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
  showExam();
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

// The keypad is for a touch screen with no keyboard: a key writes the digit the page's language reads (the field
// holds what a phone's keyboard would type, and readUser turns it into ASCII as for typing), and focus stays on the key
// so a touch screen does not open its own keyboard over the keypad.
const ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩";

function edit(change) {
  const field = $("user");
  const next = change(field.value);
  if (next.length > field.maxLength) return;
  field.value = next;
  field.dispatchEvent(new Event("input", { bubbles: true }));
}

for (const key of document.querySelectorAll("#keypad [data-digit]")) {
  const digit = Number(key.dataset.digit);
  key.addEventListener("click", () => edit(value => value + (lang() === "ar" ? ARABIC_INDIC[digit] : String(digit))));
}
$("key-delete").addEventListener("click", () => edit(value => Array.from(value).slice(0, -1).join("")));
$("key-clear").addEventListener("click", () => edit(() => ""));

// The exams arrive as options of the select (written into the page by the server); each becomes a large choice to tap.
// The select stays the form's value, so what is sent does not change, and the two are kept in step both ways.
const examSelect = $("exam");
for (const option of examSelect.options) {
  const label = document.createElement("label");
  const input = document.createElement("input");
  input.type = "radio";
  input.name = "exam-choice";
  input.value = option.value;
  input.id = `exam-${option.value}`;
  input.defaultChecked = option.defaultSelected || examSelect.options[0] === option && !examSelect.querySelector("option[selected]");
  input.addEventListener("change", () => { examSelect.value = input.value; });
  const name = document.createElement("span");
  name.dataset.ar = option.dataset.ar ?? option.textContent;
  name.dataset.en = option.dataset.en ?? option.textContent;
  label.append(input, " ", name);
  $("exam-choices").append(label);
}

function showExam() {
  const input = document.getElementById(`exam-${examSelect.value}`);
  if (input) input.checked = true;
}

function nameExams() {
  for (const name of $("exam-choices").querySelectorAll("span[data-ar]")) name.textContent = lang() === "ar" ? name.dataset.ar : name.dataset.en;
}

examSelect.addEventListener("change", showExam);
document.addEventListener("languagechange", nameExams);
showExam();

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
