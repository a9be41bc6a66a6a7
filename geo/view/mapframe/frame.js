/* The map frame: the browser side of the dashboard's `map` component (pages/_mapframe.py).

   Its protocol (the arguments it receives, the value it sends back and when) is written down in
   docs/architecture.md, "The map frame"; the Python side renders the arguments (geo/view/frameargs.py).
   In short: mount the base map once (`header`, `css_links`, `js_links`, `html`, `script`), then on every
   render run the layers' script `feature_group` when it changed and set the view `center`/`zoom` when it
   changed; report `{last_object_clicked_popup, zoom, center}` (the keys asked for in `returned_objects`)
   when the map is drawn, 250 ms after the view stops moving, and at once after a choice in the map's panel
   (`window.ghyztFrame.choose`, called by controller.js). No library: Streamlit's component messages
   (streamlit-component-lib, API version 1) are posted by hand. */
(function () {
    "use strict";
    var leafletTag = document.getElementById("ghyzt-leaflet");
    // An async script may already have run; otherwise wait for it (same task: no race).
    var leafletReady = window.L ? Promise.resolve() : new Promise(function (resolve, reject) {
        leafletTag.addEventListener("load", resolve);
        leafletTag.addEventListener("error", reject);
    });

    // ---- Streamlit's component messages
    // `script` and `feature_group` come as UTF-8 bytes (a Uint8Array: pages/_mapframe.py sends them so, which
    // spares the server writing them into JSON on every run); the other arguments as JSON values, among them
    // `command`, the script that follows the layers' on the Map page.
    var utf8 = new TextDecoder("utf-8");
    function text(value) {
        return value instanceof Uint8Array ? utf8.decode(value) : (value || "");
    }
    function post(type, data) {
        window.parent.postMessage(Object.assign({isStreamlitMessage: true, type: type}, data), "*");
    }
    var lastHeight;
    function setFrameHeight(height) {
        if (height === lastHeight) { return; }
        lastHeight = height;
        post("streamlit:setFrameHeight", {height: height});
    }

    // ---- what the frame reports
    var map = null;         // the Leaflet map, once mounted (also window.map)
    var returned = [];      // the keys to report (returned_objects)
    var choice = null;      // the last choice in the map's panel, a JSON string (see controller.js)
    var sent = null;        // the last value sent, as JSON

    function report() {
        if (!map || !returned.length) { return; }
        var all = {last_object_clicked_popup: choice, zoom: map.getZoom(), center: map.getCenter()};
        var value = {};
        returned.forEach(function (k) { if (k in all) { value[k] = all[k]; } });
        var json = JSON.stringify(value);
        if (json === sent) { return; }
        sent = json;
        post("streamlit:setComponentValue", {value: value, dataType: "json"});
    }
    var timer = null;
    function reportSoon() {  // after the view has stood still for 250 ms
        clearTimeout(timer);
        timer = setTimeout(function () { timer = null; report(); }, 250);
    }
    window.ghyztFrame = {
        // A choice made in the map (controller.js): reported after the frame that shows it is painted, as
        // telling Streamlit sets the page to work, which would otherwise delay that frame.
        choose: function (value) {
            choice = value;
            requestAnimationFrame(function () { setTimeout(report, 0); });
        }
    };

    // ---- mounting the base map
    function loadScripts(links) {
        var have = {};
        Array.prototype.forEach.call(document.scripts, function (s) { if (s.src) { have[s.src] = true; } });
        return links.reduce(function (chain, link) {
            var url = new URL(link, document.baseURI).href;
            if (have[url]) { return chain; }  // Leaflet: already loaded by this page
            have[url] = true;
            return chain.then(function () {
                return new Promise(function (resolve, reject) {
                    var s = document.createElement("script");
                    s.src = link;
                    s.async = false;
                    s.onload = resolve;
                    s.onerror = reject;
                    document.body.appendChild(s);
                });
            });
        }, Promise.resolve());
    }
    function addCss(links) {
        var have = {};
        Array.prototype.forEach.call(document.querySelectorAll("link[rel=stylesheet]"), function (l) { have[l.href] = true; });
        links.forEach(function (link) {
            if (have[new URL(link, document.baseURI).href]) { return; }
            var tag = document.createElement("link");
            tag.rel = "stylesheet";
            tag.href = link;
            document.head.appendChild(tag);
        });
    }

    function mount(a) {
        document.getElementById("map_div").style.height = a.height + "px";
        setFrameHeight(a.height);  // the page lays out the frame at once, not when the map is drawn
        return leafletReady.then(function () { return loadScripts(a.js_links || []); }).then(function () {
            addCss(a.css_links || []);
            document.head.insertAdjacentHTML("beforeend", a.header || "");
            if (a.html) {
                var div = document.createElement("div");
                div.innerHTML = a.html;
                document.body.appendChild(div);
            }
            var script = document.createElement("script");
            script.textContent = text(a.script) + "\nwindow.ghyztFrame.mounted(map_div);";
            document.body.appendChild(script);
        });
    }
    window.ghyztFrame.mounted = function (m) {
        map = window.map = m;
        map.on("moveend", reportSoon);
        // The view asked for first, so that the map reports where it opens, not folium's default view.
        applyView(latest, {animate: false});
        report();
    };

    // ---- every render: the layers, the height, the view
    var layers = [], lastLayers = null, lastZoom = null, lastCenter = null;

    function add(layer) {  // what the layers' script hands each of its groups to
        map.addLayer(layer);
        layers.push(layer);
    }
    function update(a) {
        returned = a.returned_objects || [];
        var code = text(a.feature_group) + (a.command || "");  // the layers, then the Map page's command
        if (code !== lastLayers) {
            layers.forEach(function (layer) { map.removeLayer(layer); });
            layers = [];
            lastLayers = code;
            new Function("add", code)(add);  // global scope: the script sees map_div, nothing of this file
        }
        setFrameHeight(a.height);
        applyView(a);
    }
    function applyView(a, options) {
        var zoom = map.getZoom(), center = map.getCenter(), changed = false;
        if (a.zoom && a.zoom !== lastZoom) { zoom = lastZoom = a.zoom; changed = true; }
        if (a.center && JSON.stringify(a.center) !== JSON.stringify(lastCenter)) {
            center = lastCenter = a.center;
            changed = true;
        }
        if (changed) { map.setView(center, zoom, options); }
    }

    var mounting = null, latest = null;
    function onRender(a) {
        latest = a;
        returned = a.returned_objects || [];
        if (map) { update(a); return; }
        if (mounting) { return; }  // the newest arguments are applied once the map exists
        mounting = mount(a).then(function () { update(latest); });
    }

    window.addEventListener("message", function (e) {
        var d = e.data;
        if (e.source === window.parent && d && d.type === "streamlit:render") { onRender(d.args || {}); }
    });
    post("streamlit:componentReady", {apiVersion: 1});
})();
