// Users: an admin adds staff accounts (each gets a one-time password, shown
// once) and disables or enables them.
import { element, fetchData, field, showErrors } from "../dom.js";
import { errorText } from "../../labels.js";

export const title = { sv: "Användare", en: "Users" };

export const messages = {
  sv: {
    heading: "Användare",
    lead: "Medarbetare i kommunen och polisen som arbetar i Trygg. Ett konto som stängs av kan inte logga in, och dess pågående sessioner avslutas direkt.",
    caption: "Konton",
    colEmail: "E-postadress",
    colRole: "Roll",
    colStatus: "Status",
    colAction: "Åtgärd",
    active: "Aktivt",
    disabled: "Avstängt",
    pending: "Har inte valt lösenord ännu",
    you: "du",
    disable: (email) => `Stäng av ${email}`,
    enable: (email) => `Aktivera ${email}`,
    disableShort: "Stäng av",
    enableShort: "Aktivera",
    addHeading: "Lägg till en användare",
    role: "Roll",
    roleHints: {
      admin: "administratör: användare, inställningar och allt annat",
      analyst: "analytiker: enkäter, resultat och export",
      partner: "partner (t.ex. polisen): resultat, fokusområden och löften",
      moderator: "moderator: granskar fritextsvar",
      viewer: "läsare: ser resultat",
      reporter: "rapportör (EST): rapporterar händelser för sin organisation",
    },
    add: "Lägg till",
    added: (email) => `${email} har lagts till. Engångslösenordet visas bara nu. Lämna det personligen eller per telefon; personen väljer ett eget lösenord vid första inloggningen.`,
    oneTime: "Engångslösenord",
    changed: (email) => `${email} har ändrats.`,
    roleFor: (email) => `Roll för ${email}`,
    saveRole: "Spara roll",
    saveRoleFor: (email) => `Spara roll för ${email}`,
    emailInvalid: "Skriv en e-postadress, till exempel namn@kommun.se.",
    emailTaken: "Det finns redan ett konto med den adressen.",
    failedLoad: "Det gick inte att hämta användarna.",
  },
  en: {
    heading: "Users",
    lead: "Municipal and police staff who work in Trygg. A disabled account cannot sign in, and its sessions end at once.",
    caption: "Accounts",
    colEmail: "E-mail address",
    colRole: "Role",
    colStatus: "Status",
    colAction: "Action",
    active: "Active",
    disabled: "Disabled",
    pending: "Has not chosen a password yet",
    you: "you",
    disable: (email) => `Disable ${email}`,
    enable: (email) => `Enable ${email}`,
    disableShort: "Disable",
    enableShort: "Enable",
    addHeading: "Add a user",
    role: "Role",
    roleHints: {
      admin: "admin: users, settings and everything else",
      analyst: "analyst: surveys, results and exports",
      partner: "partner (e.g. the police): results, focus areas and promises",
      moderator: "moderator: reviews free-text answers",
      viewer: "viewer: reads results",
      reporter: "reporter (EST): reports events for their organisation",
    },
    add: "Add",
    added: (email) => `${email} has been added. The one-time password is shown only now. Hand it over in person or by phone; they choose their own password at first sign-in.`,
    oneTime: "One-time password",
    changed: (email) => `${email} has been changed.`,
    roleFor: (email) => `Role of ${email}`,
    saveRole: "Save role",
    saveRoleFor: (email) => `Save role for ${email}`,
    emailInvalid: "Enter an e-mail address, for example name@kommun.se.",
    emailTaken: "There is already an account with that address.",
    failedLoad: "The users could not be loaded.",
  },
};

const ROLES = ["admin", "analyst", "partner", "moderator", "viewer", "reporter"];

export async function render(main, ctx) {
  const { t } = ctx;
  const status = element("div", { role: "status", "aria-live": "polite" });
  const tableHolder = element("div", {});
  main.append(element("h1", {}, t.heading), element("p", {}, t.lead), status, tableHolder, addForm(ctx, status, () => refresh()));

  async function refresh() {
    const data = await fetchData(ctx, "/users", (node) => tableHolder.replaceChildren(node));
    if (!data) return;
    tableHolder.replaceChildren(table(ctx, data.users, status, refresh));
  }
  await refresh();
}

function table(ctx, users, status, refresh) {
  const { t } = ctx;
  const head = element("tr", {}, ...[t.colEmail, t.colRole, t.colStatus, t.colAction].map((h) => element("th", { scope: "col" }, h)));
  const rows = users.map((user) => {
    const self = user.id === ctx.session.user.id;
    const state = user.disabled
      ? element("span", { class: "tag-disabled" }, t.disabled)
      : user.must_change_password ? t.pending : t.active;
    const action = self
      ? `(${t.you})`
      : element(
          "button",
          { type: "button", class: "button secondary", "aria-label": user.disabled ? t.enable(user.email) : t.disable(user.email) },
          user.disabled ? t.enableShort : t.disableShort,
        );
    if (!self) {
      action.addEventListener("click", async () => {
        const { ok } = await ctx.api("PATCH", `/users/${user.id}`, { disabled: !user.disabled });
        if (ok) {
          status.replaceChildren(element("p", { class: "notice" }, t.changed(user.email)));
          await refresh();
        }
      });
    }
    return element(
      "tr",
      {},
      element("td", {}, user.email),
      element("td", {}, self ? t.roles[user.role] ?? user.role : roleChanger(ctx, user, status, refresh)),
      element("td", {}, state),
      element("td", {}, action),
    );
  });
  return element("table", {}, element("caption", {}, t.caption), element("thead", {}, head), element("tbody", {}, ...rows));
}

// A role select with its own save button, so moving through the options
// with the keyboard changes nothing until the person confirms.
function roleChanger(ctx, user, status, refresh) {
  const { t } = ctx;
  const select = element(
    "select",
    { "aria-label": t.roleFor(user.email) },
    ...ROLES.map((role) => element("option", { value: role, selected: role === user.role }, t.roles[role])),
  );
  const save = element("button", { type: "button", class: "button secondary", "aria-label": t.saveRoleFor(user.email) }, t.saveRole);
  save.addEventListener("click", async () => {
    if (select.value === user.role) return;
    const { ok } = await ctx.api("PATCH", `/users/${user.id}`, { role: select.value });
    if (ok) {
      status.replaceChildren(element("p", { class: "notice" }, t.changed(user.email)));
      await refresh();
    }
  });
  return element("div", { class: "role-changer" }, select, save);
}

function addForm(ctx, status, refresh) {
  const { t } = ctx;
  const email = field({ id: "new-email", label: t.email, type: "email", autocomplete: "off" });
  const select = element(
    "select",
    { id: "new-role", name: "role" },
    ...ROLES.map((role) => element("option", { value: role, selected: role === "viewer" }, t.roleHints[role])),
  );
  const role = element("div", { class: "field" }, element("label", { for: "new-role" }, t.role), select);
  const form = element("form", { class: "stack", novalidate: true, "aria-labelledby": "add-heading" }, email.wrapper, role, element("button", { type: "submit", class: "button" }, t.add));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const { ok, status: code, data } = await ctx.api("POST", "/users", { email: email.input.value, role: select.value });
    if (ok) {
      showErrors(form, t.fixTitle, []);
      email.input.value = "";
      status.replaceChildren(
        element(
          "div",
          { class: "notice" },
          element("p", {}, t.added(data.user.email)),
          element("p", {}, `${t.oneTime}: `, element("span", { class: "secret" }, data.one_time_password)),
        ),
      );
      await refresh();
      return;
    }
    const message = code === 409 ? t.emailTaken : data?.error === "invalid_email" ? t.emailInvalid : errorText(data, ctx.lang, t.failed);
    showErrors(form, t.fixTitle, [{ input: email.input, message }]);
  });
  return element("section", { "aria-labelledby": "add-heading" }, element("h2", { id: "add-heading" }, t.addHeading), form);
}
