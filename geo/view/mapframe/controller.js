(function () {
    var map = __GHYZT_MAP__, DATA = __GHYZT_DATA__, L10N = DATA.labels;
    var HALO = {color: "#ffd400", weight: 7, opacity: 0.9, fill: false, interactive: false};
    var MATCH = {color: "#e7298a", weight: 4, opacity: 0.95, fill: false, dashArray: "2 6", interactive: false};
    var ctl = window.ghyztMap = {map: map, data: DATA, selected: null, clause: null, matches: [], serial: -1,
                                 link: {}, n: 0};
    ctl.marks = L.layerGroup().addTo(map);
    var css = document.createElement("style");
    css.textContent = __GHYZT_CSS__;
    document.head.appendChild(css);

    function el(tag, cls, text) {
        var e = document.createElement(tag);
        if (cls) { e.className = cls; }
        if (text !== undefined && text !== null) { e.textContent = String(text); }
        return e;
    }
    function fmt(s, vals) { return s.replace(/\{(\w+)\}/g, function (m, k) { return k in vals ? vals[k] : m; }); }
    function idOf(l) { var p = l && l.feature && l.feature.properties; return p && typeof p.id === "string" ? p.id : null; }
    function layersOf(id) {
        var out = [];
        map.eachLayer(function (l) { if (l.feature && !l.eachLayer && idOf(l) === id) { out.push(l); } });
        return out;
    }

    // ---- the panel: built from text nodes only
    var panel = L.control({position: "topright"});
    panel.onAdd = function () {
        var div = L.DomUtil.create("div", "ghyzt-panel");
        div.style.display = "none";
        // announced to screen readers whenever it shows another feature or clause
        div.setAttribute("role", "region");
        div.setAttribute("aria-live", "polite");
        div.setAttribute("aria-label", L10N.panel_label);
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        return div;
    };
    panel.addTo(map);
    var box = panel.getContainer();

    function clauseBox(cid, spans) {
        var text = DATA.clauses[cid] || "", div = el("div", "ghyzt-clause"), pos = 0;
        div.setAttribute("data-testid", "ghyzt-mention");
        div.setAttribute("data-clause", cid);
        div.appendChild(el("span", "ghyzt-cid", cid));
        spans.forEach(function (sp) {
            if (sp[0] < pos) { return; }
            div.appendChild(document.createTextNode(text.slice(pos, sp[0])));
            div.appendChild(el("mark", "ghyzt-hl", text.slice(sp[0], sp[1])));
            pos = sp[1];
        });
        div.appendChild(document.createTextNode(text.slice(pos)));
        return div;
    }
    function textHref(fid, cid) {
        var q = new URLSearchParams(ctl.link), c = map.getCenter();
        q.set("f", fid); q.set("c", cid);
        q.set("center", c.lat.toFixed(5) + "," + c.lng.toFixed(5)); q.set("z", String(map.getZoom()));
        return "../../text?" + q.toString();
    }
    ctl.render = function () {
        box.textContent = "";
        var f = ctl.selected && DATA.features[ctl.selected];
        map.getContainer().setAttribute("data-selected", ctl.selected || "");
        if (!f) { box.style.display = "none"; return; }
        box.style.display = "block";
        box.setAttribute("data-feature", ctl.selected);
        var close = el("button", "ghyzt-close", "\u00d7");
        close.title = L10N.clear;
        close.setAttribute("aria-label", L10N.clear);
        close.onclick = function () { ctl.choose(null, null); };
        box.appendChild(close);
        box.appendChild(el("h3", "", f.name));
        var tags = el("div", "ghyzt-tags");
        tags.appendChild(el("span", "", f.kind));
        tags.appendChild(el("span", "", f.precision));
        if (f.inferred) { tags.appendChild(el("span", "ghyzt-inferred", L10N.inferred)); }
        if (f.confidence) {
            tags.appendChild(el("span", f.check ? "ghyzt-confidence ghyzt-check" : "ghyzt-confidence",
                                L10N.confidence + " " + f.confidence));
        }
        box.appendChild(tags);
        [["role", f.role], ["precision", f.note], ["inferred", f.inferred]].forEach(function (kv) {
            if (!kv[1]) { return; }
            var p = el("p", "ghyzt-kv");
            p.appendChild(el("b", "", L10N[kv[0]]));
            p.appendChild(document.createTextNode(kv[1]));
            box.appendChild(p);
        });
        if (f.named_only) { box.appendChild(el("p", "ghyzt-kv", L10N.named_only)); }
        if (f.reasons && f.reasons.length) {  // plan text among them: text nodes only
            var why = el("p", "ghyzt-kv");
            why.appendChild(el("b", "", L10N.reasons));
            box.appendChild(why);
            var list = el("ul", "ghyzt-reasons");
            f.reasons.forEach(function (r) { list.appendChild(el("li", "", r)); });
            box.appendChild(list);
        }
        box.appendChild(el("h4", "", f.admin ? L10N.county_mentions : L10N.mentions));
        var ms = f.mentions, n = ms.length;
        if (!n) { box.appendChild(el("p", "ghyzt-kv", L10N.no_mentions)); return; }
        var i = 0;
        ms.forEach(function (m, j) { if (m[0] === ctl.clause) { i = j; } });
        var nav = el("div", "ghyzt-nav");
        var prev = el("button", "", "\u2039 " + L10N.prev), next = el("button", "", L10N.next + " \u203a");
        prev.disabled = next.disabled = n < 2;
        prev.onclick = function () { ctl.choose(ctl.selected, ms[(i - 1 + n) % n][0]); };
        next.onclick = function () { ctl.choose(ctl.selected, ms[(i + 1) % n][0]); };
        nav.appendChild(prev);
        nav.appendChild(el("span", "", fmt(L10N.mention_of, {i: i + 1, n: n})));
        nav.appendChild(next);
        box.appendChild(nav);
        box.appendChild(clauseBox(ms[i][0], ms[i][1]));
        var a = el("a", "ghyzt-textlink", fmt(L10N.open_text, {clause: ms[i][0]}));
        a.href = textHref(ctl.selected, ms[i][0]);
        a.target = "_top";
        a.onclick = function (e) { e.preventDefault(); ctl.choose(ctl.selected, ms[i][0], "text"); };
        box.appendChild(a);
    };

    // ---- marks on the map
    function mark(id, style, radius) {
        layersOf(id).forEach(function (l) {
            ctl.marks.addLayer(L.geoJSON(l.toGeoJSON(), {
                style: function () { return style; },
                onEachFeature: function (f, layer) { layer._ghyztMark = true; },  // not a drawn feature (the legend)
                pointToLayer: function (f, ll) { return L.circleMarker(ll, Object.assign({radius: radius}, style)); }
            }));
        });
    }
    ctl.redraw = function () {
        ctl.marks.clearLayers();
        ctl.matches.forEach(function (id) { mark(id, MATCH, 9); });
        if (ctl.selected) { mark(ctl.selected, HALO, 11); }
        ctl.render();
    };

    // ---- telling Streamlit, at once: the map frame (frame.js) reports the choice with the view
    ctl.choose = function (id, clause, go) {
        var f = id && DATA.features[id], fresh = (f ? id : null) !== ctl.selected;
        ctl.selected = f ? id : null;
        ctl.clause = f ? (clause || (f.mentions[0] ? f.mentions[0][0] : null)) : null;
        ctl.redraw();
        if (fresh) { ctl.clearOfPanel(); }
        ctl.placeLabels();
        if (window.ghyztFrame) {  // not in a page of its own (a saved map)
            ctl.n += 1;
            window.ghyztFrame.choose(JSON.stringify({f: ctl.selected, c: ctl.clause, go: go || null, n: ctl.n}));
        }
    };
    // ---- the selection clear of the panel: the panel covers the map's top right corner (a phone: its bottom)
    ctl.clearOfPanel = function () {
        if (!ctl.selected || box.style.display === "none") { return; }
        var bounds = null;
        layersOf(ctl.selected).forEach(function (l) {
            var b = l.getBounds ? l.getBounds() : L.latLngBounds([l.getLatLng()]);
            bounds = bounds ? bounds.extend(b) : L.latLngBounds(b.getSouthWest(), b.getNorthEast());
        });
        if (!bounds) { return; }
        var size = map.getSize(), c = map.getContainer().getBoundingClientRect(), r = box.getBoundingClientRect();
        var left = r.left - c.left, top = r.top - c.top, bottom = r.bottom - c.top;
        var p = map.latLngToContainerPoint(bounds.getCenter());
        if (getComputedStyle(box).position === "fixed") {  // a phone: the panel is a sheet along the bottom (panel.css)
            if (p.y > top - 30 && top > 80) { map.panBy([p.x - size.x / 2, p.y - top / 2]); }
            return;
        }
        if (p.x < left || p.y > bottom || left < 120) { return; }  // not under the panel (or no room beside it)
        // to the middle of what the panel leaves free, left of it
        map.panBy([p.x - left / 2, Math.max(0, Math.min(p.y, size.y - 40)) - p.y]);
    };

    // ---- keyboard: the structure reached by Tab, in the order a planner reads it; Enter opens the panel
    var KEY_ORDER = ["core", "wing", "corridor", "zone", "eco", "node", "route", "link"];
    var focusables = [];
    function setTab(l, on) { l._path.setAttribute("tabindex", on ? "0" : "-1"); }
    function onKey(l, e) {
        var i = focusables.indexOf(l);
        if (e.key === "Enter" || e.key === " ") {
            e.preventDefault();
            ctl.choose(idOf(l), null);
        } else if (e.key === "Escape" && ctl.selected) {
            ctl.choose(null, null);
        } else if (e.key === "Tab" && i >= 0) {
            var next = focusables[i + (e.shiftKey ? -1 : 1)];
            if (!next) { return; }  // on to the map's controls (or back before the map)
            e.preventDefault();
            setTab(l, false);
            setTab(next, true);
            next._path.focus({preventScroll: true});
        }
    }
    function onFocus(l) {
        focusables.forEach(function (o) { if (o !== l) { setTab(o, false); } });
        setTab(l, true);
        // Only a focus reached by the keyboard brings the shape into view: a pointer's press focuses the shape too,
        // and panning then (a link to 霍尔果斯 whose middle lies off the map) would move it from under the pointer
        // before the click.
        if (l._path.matches && !l._path.matches(":focus-visible")) { return; }
        var b = l.getBounds ? l.getBounds() : L.latLngBounds([l.getLatLng()]);
        if (!map.getBounds().contains(b.getCenter())) { map.panTo(b.getCenter()); }
    }
    function keyboard() {
        var rank = {}, all = [], n = 0;
        KEY_ORDER.forEach(function (k, i) { rank[k] = i; });
        map.eachLayer(function (l) {
            var id = idOf(l), p = l.feature && l.feature.properties;
            if (!id || !l._path || l.eachLayer) { return; }
            if (!(p.kind in rank) || !DATA.features[id]) {
                l._path.setAttribute("tabindex", "-1");  // Chromium would stop Tab at every county's outline
                return;
            }
            all.push([rank[p.kind], n++, l]);
        });
        all.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
        var current = document.activeElement;
        focusables = all.map(function (x) { return x[2]; });
        focusables.forEach(function (l, i) {
            var f = DATA.features[idOf(l)];
            setTab(l, current === l._path || (i === 0 && !focusables.some(function (o) { return o._path === current; })));
            if (l._ghyztKeys) { return; }
            l._ghyztKeys = true;
            l._path.setAttribute("role", "button");
            l._path.setAttribute("aria-label", fmt(L10N.feature_key, {name: f.name, kind: f.kind}));
            L.DomEvent.on(l._path, "keydown", function (e) { onKey(l, e); });
            L.DomEvent.on(l._path, "focus", function () { onFocus(l); });
        });
    }

    // ---- names on the map (geo.view.mapview.map_labels): shown while their feature is drawn, its shape has
    // room for them at this zoom and no name placed before is in the way
    var NAMES = DATA.names || [];
    var pane = map.createPane("ghyztLabels");
    pane.style.zIndex = 450;  // above the shapes (400), below markers, tooltips and the panel
    pane.style.pointerEvents = "none";
    pane.setAttribute("aria-hidden", "true");  // the shapes carry their names for screen readers
    var labelLayer = L.layerGroup().addTo(map);
    var SLACK = {core: 3, wing: 3, zone: 1.6, eco: 1.4, node: 1.3, admin: 1.05, line: 0.6};
    var labels = NAMES.map(function (a) {
        var span = el("span", "ghyzt-label ghyzt-label-" + a[1], a[2]);
        var icon = L.divIcon({className: "ghyzt-label-icon", html: span, iconSize: null});
        // places to try, best first: [lat, lng, angle]; a point's name is tried on four sides of it
        var spots = [[a[4], a[3], a[7]]].concat((a[9] || []).map(function (c) { return [c[1], c[0], c[2]]; }));
        return {a: a, span: span, w: 0, h: 0, spots: spots, at: -1,
                marker: L.marker([a[4], a[3]], {icon: icon, interactive: false, keyboard: false, pane: "ghyztLabels"})};
    });
    ctl.labels = labels;
    var SIDES = [[0, -1], [1, 0], [0, 1], [-1, 0]];  // above, right, below, left of a point
    function candidates(lab) {
        var a = lab.a, w = lab.w, h = lab.h, out = [];
        lab.spots.forEach(function (sp, n) {
            var p = map.latLngToContainerPoint([sp[0], sp[1]]);
            if (a[8] === "point") {
                SIDES.forEach(function (d, m) {
                    var dx = d[0] * (w / 2 + 8), dy = d[1] * (h / 2 + 7);
                    out.push({n: n * 4 + m, cx: p.x + dx, cy: p.y + dy, bw: w, bh: h,
                              tf: "translate(calc(-50% + " + dx + "px), calc(-50% + " + dy + "px))"});
                });
                return;
            }
            var rad = (sp[2] || 0) * Math.PI / 180;
            out.push({n: n, cx: p.x, cy: p.y, ll: sp,
                      bw: Math.abs(w * Math.cos(rad)) + Math.abs(h * Math.sin(rad)),
                      bh: Math.abs(w * Math.sin(rad)) + Math.abs(h * Math.cos(rad)),
                      tf: "translate(-50%, -50%)" + (sp[2] ? " rotate(" + sp[2] + "deg)" : "")});
        });
        return out;
    }
    ctl.placeLabels = function () {
        var drawn = {};
        map.eachLayer(function (l) { var id = idOf(l); if (id && l.feature && !l.eachLayer) { drawn[id] = true; } });
        var shown = labels.filter(function (lab) {
            var on = drawn[lab.a[0]] === true;
            if (on !== labelLayer.hasLayer(lab.marker)) { if (on) { labelLayer.addLayer(lab.marker); } else { labelLayer.removeLayer(lab.marker); } }
            return on;
        });
        shown.forEach(function (lab) {  // measured once, all reads after the writes above
            if (!lab.w) { lab.w = lab.span.offsetWidth; lab.h = lab.span.offsetHeight; }
        });
        var z = map.getZoom(), k = 256 * Math.pow(2, z) / 360, size = map.getSize(), placed = [];
        var c0 = map.getContainer().getBoundingClientRect();
        // the controls (zoom, legend, the panel, the scale) are in the way too
        Array.prototype.forEach.call(map.getContainer().querySelectorAll(".leaflet-control"), function (e) {
            var r = e.getBoundingClientRect();
            if (r.width && r.height) { placed.push([r.left - c0.left, r.top - c0.top, r.right - c0.left, r.bottom - c0.top]); }
        });
        var home = ctl.homeZoom === undefined ? z : ctl.homeZoom;
        shown.forEach(function (lab) {
            var a = lab.a, w = lab.w, h = lab.h, room = a[5] * k, slack = SLACK[a[1]] || 1, ok, spot = null;
            if (a[8] === "area") { ok = w <= room * slack && h <= Math.max(a[6] * k, 1) * slack * 1.5; }
            else if (a[8] === "line") { ok = w <= room * SLACK.line; }
            else { ok = z >= home - (a[1] === "node" ? 0 : 1); }
            if (ok) {
                spot = candidates(lab).find(function (c) {
                    var bx = [c.cx - c.bw / 2 - 2, c.cy - c.bh / 2 - 1, c.cx + c.bw / 2 + 2, c.cy + c.bh / 2 + 1];
                    if (bx[0] < 0 || bx[2] > size.x || bx[1] < 0 || bx[3] > size.y) { return false; }
                    if (placed.some(function (o) { return bx[0] < o[2] && o[0] < bx[2] && bx[1] < o[3] && o[1] < bx[3]; })) {
                        return false;
                    }
                    c.bx = bx;
                    return true;
                }) || null;
            }
            if (spot) {
                placed.push(spot.bx);
                if (spot.n !== lab.at) {
                    lab.at = spot.n;
                    lab.span.style.transform = spot.tf;
                    if (spot.ll) { lab.marker.setLatLng([spot.ll[0], spot.ll[1]]); }
                }
            }
            lab.span.style.visibility = spot ? "visible" : "hidden";
            lab.span.setAttribute("data-shown", spot ? "1" : "0");
        });
    };
    map.on("zoomend moveend resize", function () { ctl.placeLabels(); });

    // ---- the legend follows the layers switched on: mapview.py writes a row per style of the whole plan (the
    // frame is mounted once), each row marked with what it stands for: a kind drawn as a shape (data-kind,
    // data-shape), a precision (data-precision), inferred, to-check or directed lines (data-flag). Rows of
    // nothing drawn now are hidden, and a heading left over no row with it.
    ctl.syncLegend = function () {
        var drawn = {};
        map.eachLayer(function (l) {
            var p = l.feature && l.feature.properties, g = l.feature && l.feature.geometry;
            if (!p || !g || l.eachLayer || l._ghyztMark) { return; }
            if (p.of && !p.kind) { drawn["flag:directed"] = true; return; }  // an arrowhead (mapview.py)
            drawn[p.kind + ":" + (/Line/.test(g.type) ? "line" : /Point/.test(g.type) ? "point" : "area")] = true;
            drawn["precision:" + p.precision] = true;
            if (p.inferred) { drawn["flag:inferred"] = true; }
            if (p.check) { drawn["flag:to_check"] = true; }
        });
        function show(row, on) { row.style.display = on ? "" : "none"; }
        document.querySelectorAll(".ghyzt-legend [data-kind]").forEach(function (row) {
            show(row, drawn[row.getAttribute("data-kind") + ":" + row.getAttribute("data-shape")]);
        });
        document.querySelectorAll(".ghyzt-legend [data-precision]").forEach(function (row) {
            show(row, drawn["precision:" + row.getAttribute("data-precision")]);
        });
        document.querySelectorAll(".ghyzt-legend [data-flag]").forEach(function (row) {
            show(row, drawn["flag:" + row.getAttribute("data-flag")]);
        });
        document.querySelectorAll(".ghyzt-legend h5").forEach(function (heading) {
            var rows = heading.nextElementSibling;
            var any = !!rows && Array.prototype.some.call(rows.children, function (r) { return r.style.display !== "none"; });
            show(heading, any);
            if (rows) { show(rows, any); }
        });
    };

    ctl.bind = function () {
        map.eachLayer(function (l) {
            if (!l.feature || l._ghyztBound || l.eachLayer || !idOf(l)) { return; }
            l._ghyztBound = true;
            l.on("click", function () { ctl.choose(idOf(l), null); });
        });
        keyboard();
    };
    ctl.apply = function (cmd) {
        ctl.bind();
        ctl.link = cmd.link || {};
        if (cmd.serial !== ctl.serial) {
            // The first command comes with the map: its fit is where the map opens, no flight there.
            var fit = {maxZoom: 11, padding: [24, 24]};
            if (ctl.serial === -1) { fit.animate = false; }
            ctl.serial = cmd.serial;
            ctl.selected = cmd.selected;
            ctl.clause = cmd.clause;
            ctl.matches = cmd.matches || [];
            if (cmd.fit) { map.fitBounds(cmd.fit, fit); }
            if (fit.animate === false || ctl.homeZoom === undefined) { ctl.homeZoom = map.getZoom(); }
            ctl.redraw();
            ctl.clearOfPanel();
        } else {
            ctl.redraw();
        }
        ctl.placeLabels();
        ctl.syncLegend();
    };
})();
