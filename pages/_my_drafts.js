// My drafts (pages/_drafts.py `browser_drafts`): this browser's list of draft tokens, kept in its localStorage.
export default function ({ data, setStateValue }) {
  const KEY = "ghyzt.drafts";
  const ok = (t) => typeof t === "string" && /^[a-z]{28}$/.test(t);
  let tokens = [];
  try { tokens = JSON.parse(window.localStorage.getItem(KEY) || "[]"); } catch (e) { tokens = []; }
  if (!Array.isArray(tokens)) tokens = [];
  tokens = tokens.filter(ok);
  for (const t of (data && data.add) || []) if (ok(t) && !tokens.includes(t)) tokens.push(t);
  const drop = new Set((data && data.remove) || []);
  tokens = tokens.filter((t) => !drop.has(t)).slice(-200);
  try { window.localStorage.setItem(KEY, JSON.stringify(tokens)); } catch (e) { /* storage disabled */ }
  // Report only what the server does not know yet: every report is a rerun, which must not come by itself
  // while the planner is typing or clicking.
  const known = (data && data.known) || [];
  if (data && data.report && JSON.stringify(tokens) !== JSON.stringify(known)) setStateValue("tokens", tokens);
}
