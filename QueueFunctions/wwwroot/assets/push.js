// Web Push for the patient page: phones lock and browsers end background streams, so on the patient's tap the page
// registers its service worker (/ticket-sw.js, scope /ticket), subscribes with the app's VAPID key and hands the
// subscription to the app with the patient's id and the page's language. The app then pushes NEAR_TURN, YOUR_TURN and
// the visit's next step, each once. Without a key on the server (404) or push in the browser, no button shows.

import { api, lang, say, show, t } from "./common.js";

const WORKER = "/ticket-sw.js";
const SCOPE = "/ticket";

function keyBytes(base64url) {
  const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(base64 + "===".slice((base64.length + 3) % 4)), c => c.charCodeAt(0));
}

function sameKey(buffer, bytes) {
  if (!buffer) return false;
  const held = new Uint8Array(buffer);
  return held.length === bytes.length && held.every((b, i) => b === bytes[i]);
}

export async function setUpPush(user, button, message) {
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) return;
  let key;
  try {
    key = keyBytes((await api("/api/v1/push/public-key")).publicKey);
  } catch {
    return;
  }
  const registration = await navigator.serviceWorker.register(WORKER, { scope: SCOPE }).catch(() => null);
  if (!registration) return;

  let subscribed = null;
  async function send(subscription) {
    await api("/api/v1/push/subscriptions", { method: "POST", body: { user, lang: lang(), subscription: subscription.toJSON() } });
    subscribed = subscription;
  }

  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      if ((await Notification.requestPermission()) !== "granted") {
        say(message, t("pushDenied"));
        return;
      }
      let subscription = await registration.pushManager.getSubscription();
      if (subscription && !sameKey(subscription.options?.applicationServerKey, key)) {
        await subscription.unsubscribe();
        subscription = null;
      }
      subscription ??= await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
      await send(subscription);
      say(message, t("pushOn"), "ok");
      show(button, false);
    } catch {
      say(message, t("pushFailed"));
    } finally {
      button.disabled = false;
    }
  });

  // Pushes come in the page's language: a switch after subscribing tells the app.
  document.addEventListener("languagechange", () => {
    if (subscribed) send(subscribed).catch(() => {});
    if (message.textContent && subscribed) say(message, t("pushOn"), "ok");
  });
  show(button, true);
}
