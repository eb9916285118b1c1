// The audit log: who did what and when among the municipality's staff.
import { element, formatTime } from "../dom.js";

export const title = { sv: "Logg", en: "Audit log" };

export const messages = {
  sv: {
    heading: "Logg över åtgärder",
    lead: "Vem som gjorde vad och när, bland kommunens och polisens medarbetare. Loggen innehåller aldrig invånarnas svar.",
    caption: "Senaste händelserna, nyast först",
    colAt: "Tid",
    colActor: "Vem",
    colAction: "Vad",
    colTarget: "Gäller",
    empty: "Inget har loggats ännu.",
    failedLoad: "Det gick inte att hämta loggen.",
    actions: {
      login: "loggade in",
      login_failed: "misslyckad inloggning",
      logout: "loggade ut",
      password_changed: "bytte lösenord",
      password_reset: "återställde lösenord",
      totp_enabled: "slog på tvåstegsverifiering",
      totp_disabled: "stängde av tvåstegsverifiering",
      user_added: "lade till användare",
      user_disabled: "stängde av användare",
      user_enabled: "aktiverade användare",
      user_role_changed: "ändrade roll",
      areas_uploaded: "laddade upp områden",
      area_renamed: "bytte namn på område",
      population_replaced: "ersatte befolkningssiffror",
      invitations_created: "skapade inbjudningskoder",
      retention_applied: "gallrade enligt lagringstid",
      export_lagesbild: "exporterade lägesbild",
      export_pins: "exporterade markeringar",
      publish_results: "publicerade resultat",
      unpublish_results: "avpublicerade resultat",
      focus_area_added: "lade till fokusområde",
      promise_added: "lade till medborgarlöfte",
      action_plan_added: "lade till åtgärdsplan",
      action_plan_changed: "ändrade åtgärdsplan",
      plan_meeting_recorded: "förde in chefssamråd",
      plan_midterm_review_recorded: "förde in halvtidsavstämning",
      crime_counts_imported: "importerade brottsstatistik",
    },
  },
  en: {
    heading: "Audit log",
    lead: "Who did what and when among the municipal and police staff. The log never holds residents' answers.",
    caption: "Latest events, newest first",
    colAt: "When",
    colActor: "Who",
    colAction: "What",
    colTarget: "On",
    empty: "Nothing has been logged yet.",
    failedLoad: "The log could not be loaded.",
    actions: {
      login: "signed in",
      login_failed: "failed sign-in",
      logout: "signed out",
      password_changed: "changed password",
      password_reset: "reset a password",
      totp_enabled: "turned on two-step verification",
      totp_disabled: "turned off two-step verification",
      user_added: "added a user",
      user_disabled: "disabled a user",
      user_enabled: "enabled a user",
      user_role_changed: "changed a role",
      areas_uploaded: "uploaded areas",
      area_renamed: "renamed an area",
      population_replaced: "replaced population figures",
      invitations_created: "created invitation codes",
      retention_applied: "deleted data past its retention period",
      export_lagesbild: "exported a situation report",
      export_pins: "exported pins",
      publish_results: "published results",
      unpublish_results: "withdrew published results",
      focus_area_added: "added a focus area",
      promise_added: "added a citizen promise",
      action_plan_added: "added an action plan",
      action_plan_changed: "changed an action plan",
      plan_meeting_recorded: "recorded a leadership meeting",
      plan_midterm_review_recorded: "recorded a mid-term review",
      crime_counts_imported: "imported crime counts",
    },
  },
};

export async function render(main, ctx) {
  const { t } = ctx;
  main.append(element("h1", {}, t.heading), element("p", {}, t.lead));
  const { ok, data } = await ctx.api("GET", "/audit?limit=500");
  if (!ok) {
    main.append(element("p", { role: "alert" }, t.failedLoad));
    return;
  }
  if (data.events.length === 0) {
    main.append(element("p", {}, t.empty));
    return;
  }
  const head = element("tr", {}, ...[t.colAt, t.colActor, t.colAction, t.colTarget].map((h) => element("th", { scope: "col" }, h)));
  const rows = data.events.map((e) =>
    element(
      "tr",
      {},
      element("td", {}, element("time", { datetime: e.at }, formatTime(e.at, ctx.lang))),
      element("td", {}, e.actor),
      element("td", {}, t.actions[e.action] ?? e.action),
      element("td", {}, e.target),
    ),
  );
  main.append(element("table", {}, element("caption", {}, t.caption), element("thead", {}, head), element("tbody", {}, ...rows)));
}
