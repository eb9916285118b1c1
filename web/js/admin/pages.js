// The staff pages, in navigation order. To add a page: write a module in
// pages/ that exports `title` ({sv, en}), `messages` ({sv: {...}, en: {...}})
// and `render(main, ctx)`, and add one line here with the address under
// /admin and the permission it needs (see ARCHITECTURE.md). The navigation
// shows only the pages the signed-in role may open.
export const pages = [
  { path: "users", permission: "manage_users", module: "./pages/users.js" },
  { path: "audit", permission: "read_audit", module: "./pages/audit.js" },
  { path: "areas", permission: "read_results", module: "./pages/areas.js" },
  { path: "promises", permission: "read_results", module: "./pages/promises.js" },
  { path: "walks", permission: "read_results", module: "./pages/walks.js" },
  { path: "handelser", permission: "report_events", module: "./pages/events.js" },
  { path: "focus", permission: "read_results", module: "./pages/focus.js" },
  { path: "plan", permission: "read_results", module: "./pages/plan.js" },
  { path: "account", permission: null, module: "./pages/account.js" },
  { path: "surveys", permission: "read_results", module: "./pages/surveys.js" },
  { path: "moderation", permission: "moderate", module: "./pages/moderation.js" },
  { path: "invitations", permission: "read_results", module: "./pages/invitations.js" },
];
