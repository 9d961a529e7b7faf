// The overview's own words, in the page's two languages. Kept apart from common.js, whose words every screen shares.
import { lang } from "./common.js";

export const WORDS = {
  ar: {
    title: "نظرة عامة على المركز", totals: "المركز اليوم", clinics: "العيادات",
    longestWait: "أطول انتظار الآن (دقيقة)", averageWait: "متوسط الانتظار اليوم (دقيقة)", served: "خُدموا اليوم",
    visits: "زيارات جارية", lastMoved: "آخر حركة", state: "الحالة", stalledClinics: "عيادات متوقفة",
    stalled: "متوقفة", moving: "تعمل", idle: "لا أحد ينتظر",
    alert: n => `تنبيه: عيادات فيها منتظرون ولم يتحرك دورها منذ ${n} دقيقة أو أكثر:`,
    quietFor: n => (n < 1 ? "أقل من دقيقة" : `${n} دقيقة`),
    colLongest: "أطول انتظار (دقيقة)", colAverage: "متوسط اليوم (دقيقة)", waitingCount: n => `${n} في الانتظار`,
    console: "لوحة العيادة", reports: "التقارير", todayCsv: "تقرير اليوم CSV", todayJson: "تقرير اليوم JSON",
    rangeCsv: "آخر 30 يومًا CSV", rangeJson: "آخر 30 يومًا JSON", reportsHint: "تُنزَّل الملفات بالمفتاح في الطلب، لا في الرابط.",
    chartTitle: "آخر 30 يومًا: المخدومون ومتوسط الانتظار", servedLegend: "خُدموا", waitLegend: "متوسط الانتظار (دقيقة)",
    asTable: "اعرض الأرقام جدولًا", noData: "لا بيانات بعد",
    describe: (days, busiest) => `${days.length} يومًا من ${days[0].date} إلى ${days[days.length - 1].date}. أكثر الأيام خدمةً ${busiest.date}: ${busiest.served}.`,
  },
  en: {
    title: "Centre overview", totals: "The centre today", clinics: "Clinics",
    longestWait: "Longest wait now (min)", averageWait: "Average wait today (min)", served: "Served today",
    visits: "Visits in progress", lastMoved: "Last moved", state: "State", stalledClinics: "Stalled clinics",
    stalled: "Stalled", moving: "Moving", idle: "Nobody waiting",
    alert: n => `Alert: clinics with people waiting that have not moved for ${n} minutes or more:`,
    quietFor: n => (n < 1 ? "under a minute" : `${n} min`),
    colLongest: "Longest wait (min)", colAverage: "Avg. wait today (min)", waitingCount: n => `${n} waiting`,
    console: "Console", reports: "Reports", todayCsv: "Today's report CSV", todayJson: "Today's report JSON",
    rangeCsv: "Last 30 days CSV", rangeJson: "Last 30 days JSON", reportsHint: "Files are fetched with the key in the request, never in a link.",
    chartTitle: "Last 30 days: served and average wait", servedLegend: "Served", waitLegend: "Average wait (min)",
    asTable: "Show the figures as a table", noData: "No data yet",
    describe: (days, busiest) => `${days.length} days from ${days[0].date} to ${days[days.length - 1].date}. Busiest day ${busiest.date}: ${busiest.served} served.`,
  },
};

export function w(key) {
  return WORDS[lang()][key];
}
