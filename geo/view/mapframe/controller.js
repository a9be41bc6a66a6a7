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
        close.onclick = function () { ctl.choose(null, null); };
        box.appendChild(close);
        box.appendChild(el("h3", "", f.name));
        var tags = el("div", "ghyzt-tags");
        tags.appendChild(el("span", "", f.kind));
        tags.appendChild(el("span", "", f.precision));
        if (f.inferred) { tags.appendChild(el("span", "ghyzt-inferred", L10N.inferred)); }
        box.appendChild(tags);
        [["role", f.role], ["precision", f.note], ["inferred", f.inferred]].forEach(function (kv) {
            if (!kv[1]) { return; }
            var p = el("p", "ghyzt-kv");
            p.appendChild(el("b", "", L10N[kv[0]]));
            p.appendChild(document.createTextNode(kv[1]));
            box.appendChild(p);
        });
        if (f.named_only) { box.appendChild(el("p", "ghyzt-kv", L10N.named_only)); }
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
        var f = id && DATA.features[id];
        ctl.selected = f ? id : null;
        ctl.clause = f ? (clause || (f.mentions[0] ? f.mentions[0][0] : null)) : null;
        ctl.redraw();
        if (window.ghyztFrame) {  // not in a page of its own (a saved map)
            ctl.n += 1;
            window.ghyztFrame.choose(JSON.stringify({f: ctl.selected, c: ctl.clause, go: go || null, n: ctl.n}));
        }
    };
    ctl.bind = function () {
        map.eachLayer(function (l) {
            if (!l.feature || l._ghyztBound || l.eachLayer || !idOf(l)) { return; }
            l._ghyztBound = true;
            l.on("click", function () { ctl.choose(idOf(l), null); });
        });
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
        }
        ctl.redraw();
    };
})();
