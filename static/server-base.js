// Tells Streamlit's frontend where its server is before Streamlit's bundle runs, so that a page opened by its
// own link (/text, /overview, …) asks the server's root for /_stcore/health and /_stcore/host-config, and not
// first its own path (/text/_stcore/health, answered 404). The bundle reads `window.__streamlit` once as it
// starts (BACKEND_BASE_URL: the URL its server answers at; streamlit PR #11378). nginx adds this file to
// Streamlit's page, before the bundle (deploy/nginx.conf.template; docs/architecture.md, "Two 404s").
// This file is served at <server>/app/static/server-base.js: the server is two levels up, whatever its path.
(function () {
  var server = new URL("../../", document.currentScript.src).href;
  window.__streamlit = Object.assign({ BACKEND_BASE_URL: server }, window.__streamlit);  // a host's own wins
})();
