import { applyLanguage, chime, clinicName, follow, lang, query, say, setUpLanguageSwitch, t, unlockSound } from "./common.js";

// A TV runs this page all day: every clinic keeps one element for the page's whole life, all clinics share one stream
// (browsers allow few connections per server), and updates only change text, so nothing accumulates.
const HIGHLIGHT_MS = 4000;

const clinics = [...new Set((query("clinic") ?? "").split(",").map(c => c.trim().toLowerCase()).filter(c => /^[a-z0-9_-]{1,32}$/.test(c)))].slice(0, 16);
const boards = new Map();

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
    current: null,
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
  if (view.current !== null && message.current !== view.current && message.current !== 0) {
    view.element.classList.add("changed");
    clearTimeout(view.timer);
    view.timer = setTimeout(() => view.element.classList.remove("changed"), HIGHLIGHT_MS);
    chime(true);
  }
  view.current = message.current;
}

function tick() {
  document.getElementById("clock").textContent = new Date().toLocaleTimeString(lang() === "ar" ? "ar-QA" : "en-GB", { hour: "2-digit", minute: "2-digit" });
}

document.getElementById("sound").addEventListener("click", async event => {
  await unlockSound();
  event.currentTarget.hidden = true;
});
document.addEventListener("languagechange", () => {
  for (const [clinic, view] of boards) view.name.textContent = clinicName(clinic);
  tick();
});

setUpLanguageSwitch();
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
