// Shared by the four screens: language, API calls, live streams, clinic names and alerts.

const STRINGS = {
  ar: {
    language: "English", languageName: "العربية",
    kioskTitle: "خذ رقمك", userLabel: "الرقم الشخصي أو العسكري", userHint: "من 2 إلى 12 رقمًا",
    gender: "الجنس", male: "ذكر", female: "أنثى", exam: "نوع الفحص", startVisit: "ابدأ الزيارة",
    singleTicket: "أو خذ رقمًا في عيادة واحدة", clinic: "العيادة", takeTicket: "خذ رقمًا",
    yourNumber: "رقمك", ahead: "أمامك", minutes: "دقيقة", estimatedWait: "الانتظار المتوقع",
    scanToFollow: "امسح الرمز لمتابعة دورك على هاتفك", print: "اطبع", newPatient: "مراجع جديد",
    keypad: "لوحة الأرقام", deleteKey: "حذف", deleteKeyName: "حذف آخر رقم", clearKey: "مسح الكل",
    badUser: "أدخل من 2 إلى 12 رقمًا.", chooseGender: "اختر الجنس.", network: "لا يوجد اتصال بالشبكة. لم يضع شيء؛ حاول مرة أخرى.",
    busy: "النظام مشغول؛ جارٍ إعادة المحاولة…", unavailable: "الخدمة غير متاحة الآن؛ حاول بعد قليل.",
    ticketTitle: "دوري", route: "مسار الزيارة", nowServing: "يُخدم الآن", yourTurn: "حان دورك! تفضل إلى العيادة.",
    nearTurn: "اقترب دورك، استعد.", stepDone: "انتهت هذه الخطوة.", goTo: "توجه إلى", notInQueue: "ليس لديك رقم في هذه العيادة اليوم.",
    noVisit: "لا توجد زيارة لهذا الرقم اليوم.", pinLabel: "رمز العيادة (يعطيك إياه الطاقم)", finishStep: "أنهِ الخطوة",
    wrongPin: "الرمز غير صحيح؛ اسأل طاقم العيادة.", pinLocked: "محاولات كثيرة خاطئة؛ سيُنهي الطاقم خطوتك.",
    visitComplete: "اكتملت زيارتك. شكرًا لك!", enableAlerts: "فعّل التنبيهات",
    pushButton: "نبّهني والصفحة مغلقة", pushOn: "ستصلك التنبيهات ولو أُغلقت الصفحة أو قُفل الهاتف.",
    pushDenied: "لم يُسمح بالإشعارات؛ فعّلها من إعدادات المتصفح.", pushFailed: "تعذّر تفعيل التنبيهات؛ أبقِ هذه الصفحة مفتوحة.", live: "متصل", offline: "غير متصل — جارٍ إعادة الاتصال",
    stepPending: "لاحقًا", stepWaiting: "الآن", stepDone2: "تم", stepNoShow: "فاتك الدور", visitClosed: "انتهى يوم الخدمة.",
    boardTitle: "لوحة الانتظار", waiting: "المنتظرون", reconnecting: "جارٍ إعادة الاتصال…", enableSound: "فعّل الصوت",
    spokenCalls: "النداء بالصوت", nowCalling: "يُنادى الآن",
    consoleTitle: "لوحة الطاقم", staffKey: "مفتاح الطاقم", signIn: "دخول", wrongKey: "المفتاح غير صحيح.", signOut: "خروج",
    pinOfDay: "رمز اليوم", callNext: "لم يحضر — التالي", reset: "تصفير الطابور", confirmReset: "سيبدأ الترقيم من 1 وتُمسح قائمة اليوم. هل أنت متأكد؟",
    cancel: "إلغاء", confirm: "نعم، صفّر", queueEmpty: "لا أحد في الانتظار.", notCurrent: "تغيّر الدور قبل النداء؛ الرقم الحالي الآن", todaysQueue: "طابور اليوم",
    number: "الرقم", status: "الحالة", user: "المراجع", waited: "الانتظار (دقيقة)", WAITING: "ينتظر", DONE: "انتهى", NO_SHOW: "لم يحضر",
    report: "التقرير اليومي", date: "التاريخ", showReport: "اعرض", downloadCsv: "تنزيل CSV", issued: "الأرقام", done: "انتهى",
    noShow: "لم يحضر", stillWaiting: "ما زال ينتظر", clearedByReset: "أُلغي بالتصفير", avgWait: "متوسط الانتظار", p90Wait: "انتظار 90٪", avgService: "متوسط الخدمة",
    waitsByHour: "متوسط الانتظار حسب الساعة (دقيقة)", noData: "لا بيانات.", called: "تم تخطي الرقم", resetDone: "تم التصفير.",
    chooseClinic: "اختر عيادة في العنوان: /clinic?clinic=lab", chooseClinics: "اختر العيادات في العنوان: /display?clinic=lab,xray",
  },
  en: {
    language: "العربية", languageName: "English",
    kioskTitle: "Take a number", userLabel: "Personal or military number", userHint: "2 to 12 digits",
    gender: "Gender", male: "Male", female: "Female", exam: "Examination", startVisit: "Start the visit",
    singleTicket: "Or take a number at one clinic", clinic: "Clinic", takeTicket: "Take a number",
    yourNumber: "Your number", ahead: "Ahead of you", minutes: "min", estimatedWait: "Estimated wait",
    scanToFollow: "Scan to follow your turn on your phone", print: "Print", newPatient: "Next patient",
    keypad: "Number keypad", deleteKey: "Delete", deleteKeyName: "Delete the last digit", clearKey: "Clear",
    badUser: "Enter 2 to 12 digits.", chooseGender: "Choose the gender.", network: "No network connection. Nothing was lost; please try again.",
    busy: "The system is busy; trying again…", unavailable: "The service is unavailable right now; try again shortly.",
    ticketTitle: "My turn", route: "Your route", nowServing: "Now serving", yourTurn: "It is your turn! Please go in.",
    nearTurn: "Your turn is near; get ready.", stepDone: "This step is done.", goTo: "Go to", notInQueue: "You have no number at this clinic today.",
    noVisit: "There is no visit for this number today.", pinLabel: "Clinic PIN (the staff give it to you)", finishStep: "Finish this step",
    wrongPin: "That PIN is not right; ask the clinic's staff.", pinLocked: "Too many wrong PINs; the staff will finish your step.",
    visitComplete: "Your visit is complete. Thank you!", enableAlerts: "Turn on alerts",
    pushButton: "Notify me when the page is closed", pushOn: "You will be alerted even with the page closed or the phone locked.",
    pushDenied: "Notifications are blocked; allow them in the browser's settings.", pushFailed: "Could not turn on alerts; keep this page open.", live: "Live", offline: "Offline — reconnecting",
    stepPending: "Later", stepWaiting: "Now", stepDone2: "Done", stepNoShow: "Missed", visitClosed: "The service day has ended.",
    boardTitle: "Waiting room", waiting: "Waiting", reconnecting: "Reconnecting…", enableSound: "Turn on sound",
    spokenCalls: "Spoken calls", nowCalling: "Now calling",
    consoleTitle: "Staff console", staffKey: "Staff key", signIn: "Sign in", wrongKey: "That key is not right.", signOut: "Sign out",
    pinOfDay: "PIN of the day", callNext: "No-show — call next", reset: "Reset the queue", confirmReset: "Numbering starts again at 1 and today's list is cleared. Are you sure?",
    cancel: "Cancel", confirm: "Yes, reset", queueEmpty: "Nobody is waiting.", notCurrent: "The queue moved before the call; now serving", todaysQueue: "Today's queue",
    number: "Number", status: "Status", user: "Patient", waited: "Waited (min)", WAITING: "Waiting", DONE: "Done", NO_SHOW: "No-show",
    report: "Daily report", date: "Date", showReport: "Show", downloadCsv: "Download CSV", issued: "Issued", done: "Done",
    noShow: "No-show", stillWaiting: "Still waiting", clearedByReset: "Cleared by reset", avgWait: "Average wait", p90Wait: "90% wait", avgService: "Average service",
    waitsByHour: "Average wait by hour (minutes)", noData: "No data.", called: "Skipped number", resetDone: "The queue was reset.",
    chooseClinic: "Choose a clinic in the address: /clinic?clinic=lab", chooseClinics: "Choose clinics in the address: /display?clinic=lab,xray",
  },
};

const LANG_KEY = "queue.lang";

export function lang() {
  const stored = window.localStorage.getItem(LANG_KEY);
  return stored === "en" ? "en" : "ar";
}

export function t(key) {
  return STRINGS[lang()][key] ?? STRINGS.ar[key] ?? key;
}

/** Applies the language to the document: direction, every data-i18n text, and option labels. */
export function applyLanguage() {
  const current = lang();
  document.documentElement.lang = current;
  document.documentElement.dir = current === "ar" ? "rtl" : "ltr";
  for (const element of document.querySelectorAll("[data-i18n]")) {
    element.textContent = t(element.dataset.i18n);
  }
  for (const element of document.querySelectorAll("[data-i18n-label]")) {
    element.setAttribute("aria-label", t(element.dataset.i18nLabel));
  }
  for (const option of document.querySelectorAll("option[data-ar]")) {
    option.textContent = current === "ar" ? option.dataset.ar : option.dataset.en;
  }
  document.dispatchEvent(new CustomEvent("languagechange"));
}

/** The language switch in the page's bar; the choice is remembered on this device. */
export function setUpLanguageSwitch() {
  const button = document.getElementById("lang");
  button?.addEventListener("click", () => {
    window.localStorage.setItem(LANG_KEY, lang() === "ar" ? "en" : "ar");
    applyLanguage();
  });
  applyLanguage();
}

/** Clinic names as the app knows them, written into each page as data (not script). */
const names = JSON.parse(document.getElementById("clinic-names")?.textContent ?? "{}");

export function clinicName(id) {
  return clinicNameIn(id, lang());
}

/** The name in a given language, whatever the page's: the board says each call in both. */
export function clinicNameIn(id, language) {
  return names[id]?.[language] ?? id;
}

/** Arabic-Indic and Persian digits typed on a phone become ASCII digits; other characters stay. */
export function asciiDigits(text) {
  return text.replace(/[\u0660-\u0669]/g, d => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u06F0-\u06F9]/g, d => String(d.charCodeAt(0) - 0x06F0));
}

export class ApiError extends Error {
  constructor(status, code, message, current) {
    super(message);
    this.status = status;
    this.code = code;
    // NOT_CURRENT says who is served now.
    this.current = current;
  }
}

const RETRIES_AFTER_TIMEOUT = 3;

/**
 * A new Idempotency-Key: one per user action. Random from the browser's CSPRNG, which (unlike randomUUID) pages
 * served over plain http on a clinic's LAN have too.
 */
export function newActionKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, b => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Calls the API. A 504 is retried with the same request and, for a POST, the same Idempotency-Key, so the server
 * applies the action once and answers the retry as it answered the first (a call never skips a second patient, a reset
 * never clears twice); a network failure or any other error is thrown as an ApiError with a message for the user.
 */
export async function api(path, { method = "GET", body, key } = {}) {
  const actionKey = method === "POST" ? newActionKey() : null;
  for (let attempt = 0; ; attempt++) {
    const headers = {};
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (key) headers["x-functions-key"] = key;
    if (actionKey) headers["Idempotency-Key"] = actionKey;
    let response;
    try {
      response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: "no-store" });
    } catch {
      throw new ApiError(0, "NETWORK", t("network"));
    }
    if (response.status === 504 && attempt < RETRIES_AFTER_TIMEOUT) {
      document.dispatchEvent(new CustomEvent("apiretry"));
      continue;
    }
    const data = await response.json().catch(() => null);
    if (response.ok && data) return data;
    const code = data?.code ?? `HTTP_${response.status}`;
    // Busy or down are the same to a patient: try again shortly, in the page's language.
    const message = response.status === 503 || code === "RATE_LIMITED" ? t("unavailable") : data?.error ?? t("unavailable");
    throw new ApiError(response.status, code, message, data?.current);
  }
}

/**
 * Follows a Server-Sent Events stream and keeps following it: the browser reconnects by itself after the server
 * ends a stream; after an error answer (such as 503 while storage is down) this opens it again, waiting longer each
 * time. onState gets "live" or "reconnecting"; a short gap (the server's regular end of a stream) shows nothing.
 */
export function follow(url, onMessage, onState) {
  let source = null;
  let retry = null;
  let notice = null;
  let delay = 1000;
  let stopped = false;

  const live = () => {
    clearTimeout(notice);
    notice = null;
    delay = 1000;
    onState("live");
  };

  const open = () => {
    if (stopped) return;
    source = new EventSource(url);
    source.onopen = live;
    source.onmessage = event => {
      live();
      onMessage(JSON.parse(event.data));
    };
    source.onerror = () => {
      if (notice === null) notice = setTimeout(() => onState("reconnecting"), 2500);
      if (source.readyState === EventSource.CLOSED) {
        source.close();
        retry = setTimeout(open, delay);
        delay = Math.min(delay * 2, 15000);
      }
    };
  };

  open();
  return {
    close() {
      stopped = true;
      clearTimeout(retry);
      clearTimeout(notice);
      source?.close();
    },
  };
}

let audio = null;

/** Browsers only play sound after the user touched the page; a button on each page calls this once. */
export function unlockSound() {
  audio ??= new AudioContext();
  return audio.resume();
}

/**
 * A chime made on the spot (no sound file): two tones for a turn, one soft tone for "near". Resolves when the last
 * tone has ended, so whatever is said next does not talk over it; the timer covers a context that stops mid-chime.
 */
export function chime(strong) {
  if (!audio || audio.state !== "running") return Promise.resolve();
  const tones = strong ? [880, 1320] : [660];
  let last = null;
  tones.forEach((frequency, i) => {
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(strong ? 0.4 : 0.15, audio.currentTime + i * 0.35);
    gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + i * 0.35 + 0.3);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(audio.currentTime + i * 0.35);
    oscillator.stop(audio.currentTime + i * 0.35 + 0.32);
    last = oscillator;
  });
  return new Promise(resolve => {
    const timer = setTimeout(resolve, tones.length * 350 + 1000);
    last.addEventListener("ended", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export function query(name) {
  return new URLSearchParams(window.location.search).get(name);
}

export function show(element, visible) {
  element.hidden = !visible;
}

export function say(element, text, kind = "error") {
  element.textContent = text;
  element.className = `message ${text ? kind : ""}`;
}

// The staff screens' key form (#login, #key, #sign-in): the key leaves the field at once; signIn tells a refused key
// itself (401), anything else signs out with the error's words.
export function onSignIn(signIn, signedOut) {
  const form = document.getElementById("login");
  const field = document.getElementById("key");
  const button = document.getElementById("sign-in");
  form.addEventListener("submit", async event => {
    event.preventDefault();
    const candidate = field.value.trim();
    field.value = "";
    if (!candidate) return;
    button.disabled = true;
    try {
      await signIn(candidate);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) signedOut(error.message);
    } finally {
      button.disabled = false;
    }
  });
}
