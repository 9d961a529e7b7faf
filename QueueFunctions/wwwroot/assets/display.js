import { applyLanguage, clinicName, follow, lang, query, say, setUpLanguageSwitch, t, unlockSound } from "./common.js";
import { announce, setSpeechOn, speechOn } from "./announcements.js";
import { createCallDetector, createCallQueue } from "./calls.js";

// A TV runs this page all day: every clinic keeps one element for the page's whole life, all clinics share one stream
// (browsers allow few connections per server), and updates only change text, so nothing accumulates.
const HIGHLIGHT_MS = 4000;

const clinics = [...new Set((query("clinic") ?? "").split(",").map(c => c.trim().toLowerCase()).filter(c => /^[a-z0-9_-]{1,32}$/.test(c)))].slice(0, 16);
const boards = new Map();
const detectCall = createCallDetector();
let soundOn = false;
let lastCall = null;

// Each call is written on the board as its announcement starts, for those who cannot hear it.
const calls = createCallQueue(call => {
  lastCall = call;
  showLastCall();
  return announce(call, () => soundOn);
});

function addBoard(clinic) {
  const board = document.getElementById("board-template").content.firstElementChild.cloneNode(true);
  board.dataset.clinic = clinic;
  board.id = `board-${clinic}`;
  const view = {
    element: board,
    name: board.querySelector(".name"),
    serving: board.querySelector(".serving"),
    waiting: board.querySelector(".waiting"),
    reconnecting: board.querySelector(".reconnecting"),
    timer: null,
  };
  view.name.textContent = clinicName(clinic);
  document.getElementById("boards").append(board);
  boards.set(clinic, view);
}

function update(message) {
  const view = boards.get(message.clinic);
  if (message.type !== "QUEUE_UPDATE" || !view) return;
  view.serving.textContent = message.current ? String(message.current) : "–";
  view.waiting.textContent = String(message.waiting);
  calls.settle(message.clinic, message.current);
  const call = detectCall(message);
  if (call) {
    view.element.classList.add("changed");
    clearTimeout(view.timer);
    view.timer = setTimeout(() => view.element.classList.remove("changed"), HIGHLIGHT_MS);
    calls.add(call);
  }
}

function showLastCall() {
  const line = document.getElementById("now-calling");
  if (!lastCall) return;
  const label = document.createElement("span");
  label.textContent = `${t("nowCalling")}: `;
  const number = document.createElement("strong");
  number.className = "number";
  number.textContent = String(lastCall.number);
  line.replaceChildren(label, number, ` — ${clinicName(lastCall.clinic)}`);
}

function showSpeechSwitch() {
  document.getElementById("speech").setAttribute("aria-pressed", String(speechOn()));
}

function tick() {
  document.getElementById("clock").textContent = new Date().toLocaleTimeString(lang() === "ar" ? "ar-QA" : "en-GB", { hour: "2-digit", minute: "2-digit" });
}

document.getElementById("sound").addEventListener("click", async event => {
  // currentTarget is only set while the click is dispatched, which ends at the first await.
  const button = event.currentTarget;
  await unlockSound();
  soundOn = true;
  button.hidden = true;
});
document.getElementById("speech").addEventListener("click", () => {
  setSpeechOn(!speechOn());
  showSpeechSwitch();
});
document.addEventListener("languagechange", () => {
  for (const [clinic, view] of boards) view.name.textContent = clinicName(clinic);
  showLastCall();
  tick();
});

setUpLanguageSwitch();
showSpeechSwitch();
applyLanguage();
if (clinics.length === 0) say(document.getElementById("message"), t("chooseClinics"));
clinics.forEach(addBoard);
applyLanguage();
if (clinics.length > 0) {
  follow(`/api/v1/events/stream?clinic=${clinics.map(encodeURIComponent).join(",")}`, update, state => {
    for (const view of boards.values()) {
      view.reconnecting.hidden = state === "live";
      view.element.classList.toggle("offline", state !== "live");
    }
  });
}
tick();
setInterval(tick, 15000);
