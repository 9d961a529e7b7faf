// What the board does for one call: the chime, then the call said in Arabic and then in English.

import { chime, clinicNameIn } from "./common.js";
import { silence, speak } from "./speech.js";

const SPEECH_KEY = "queue.speech";
const LANGUAGES = ["ar", "en"];

/** Spoken calls are on unless this TV was switched off; the choice outlives a reload. */
export function speechOn() {
  return window.localStorage.getItem(SPEECH_KEY) !== "off";
}

export function setSpeechOn(on) {
  window.localStorage.setItem(SPEECH_KEY, on ? "on" : "off");
  if (!on) silence();
}

/** Arabic-Indic digits: a voice reading Arabic text says them in Arabic, and the text reads as Arabic too. */
export function arabicDigits(number) {
  return String(number).replace(/[0-9]/g, d => String.fromCharCode(0x0660 + Number(d)));
}

/** The words for a call in a language: "الرقم ٤٢، عيادة الأنف والأذن والحنجرة", "Number 42, ENT clinic". */
export function callWords({ clinic, number }, language) {
  const name = clinicNameIn(clinic, language);
  return language === "ar" ? `الرقم ${arabicDigits(number)}، عيادة ${name}` : `Number ${number}, ${name} clinic`;
}

/**
 * Announces a call and resolves when done. Sound needs the page's "turn on sound" (browsers play nothing before a
 * touch); speech is skipped in a language the browser has no voice for, and stops as soon as it is switched off.
 */
export async function announce(call, soundOn) {
  if (!soundOn()) return;
  await chime(true);
  for (const language of LANGUAGES) {
    if (!speechOn()) return;
    await speak(callWords(call, language), language);
  }
}
