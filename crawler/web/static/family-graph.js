/* The story family as a small SVG graph: one row per article in time order, x = publication
   time, an arrow from each source to its copy (solid: credited, dashed: not credited).
   Outlet names sit in a column of their own on the left, so no arrow ever crosses a name.
   Every label is a text node; nothing here parses markup. */
"use strict";

(function () {
  const SVG = "http://www.w3.org/2000/svg";
  const ROW = 30, PAD_TOP = 28, MAX_ROWS = 80, CHAR = 6.6;

  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function when(entry) {
    const t = Date.parse(entry.date || entry.published_at || "");
    return Number.isNaN(t) ? null : t;
  }

  /* The axis ends: the day, and the hour too when the story spread within two days. */
  function shortDate(t, span) {
    const d = new Date(t);
    const day = d.toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
    return span && span < 2 * 86400000 ? `${day} ${d.toISOString().slice(11, 16)}` : day;
  }

  function fit(text, room) {
    const most = Math.max(4, Math.floor(room / CHAR));
    return text.length > most ? text.slice(0, most - 1) + "…" : text;
  }

  /* entries: [{key, source, outlet, outlet_name, name, date, attributed}] with the origin
     first; ``key`` identifies an entry (its URL, or a key for an agency with no URL) and
     ``source`` is the key of what it was copied from (null: undetermined, no edge).
     onPick(key) is called when a node is chosen; returns {highlight(key)}. */
  function draw(container, entries, queried, onPick) {
    container.textContent = "";
    const rows = entries.slice(0, MAX_ROWS);
    const width = Math.max(300, Math.min(container.clientWidth || 640, 900));
    const gutter = Math.round(Math.min(190, Math.max(96, width * 0.3)));
    const plotLeft = gutter + 18, right = 16;
    const height = PAD_TOP + rows.length * ROW + 8;
    const times = rows.map(when).filter((t) => t !== null);
    const t0 = Math.min(...times), t1 = Math.max(...times);
    // An undated origin (an agency the copies credit) still comes first: it stands at the
    // start of the axis; other undated articles get a column of their own on the right.
    const undatedAt = (e, i) => when(e) === null && i > 0;
    const undated = rows.some(undatedAt);
    const span = times.length && t1 > t0 ? t1 - t0 : 0;
    const plotRight = width - right - (undated ? 56 : 0);
    const x = (e, i) => {
      const t = when(e);
      if (t === null) return i === 0 ? plotLeft + 10 : width - right - 20;
      if (!span) return plotLeft + 10 + (i * (plotRight - plotLeft - 20)) / Math.max(1, rows.length - 1) * 0.2;
      return plotLeft + 10 + ((t - t0) / span) * (plotRight - plotLeft - 20);
    };
    const root = svg("svg", {
      viewBox: `0 0 ${width} ${height}`, width: "100%", role: "img",
      "aria-label": `Story family of ${entries.length} articles over time`, class: "family-graph",
    });
    const defs = svg("defs");
    const marker = svg("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5,
      markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" });
    marker.append(svg("path", { d: "M0,0 L10,5 L0,10 z", class: "arrowhead" }));
    defs.append(marker);
    root.append(defs);

    // time axis: first and last date, and the undated column
    const axis = svg("g", { class: "axis" });
    axis.append(svg("line", { x1: plotLeft, x2: plotRight, y1: PAD_TOP - 10, y2: PAD_TOP - 10 }));
    if (times.length) {
      axis.append(svg("text", { x: plotLeft, y: PAD_TOP - 16 }, shortDate(t0, span)));
      if (span) axis.append(svg("text", { x: plotRight, y: PAD_TOP - 16, "text-anchor": "end" }, shortDate(t1, span) + (span < 2 * 86400000 ? " UTC" : "")));
    }
    if (undated) axis.append(svg("text", { x: width - right, y: PAD_TOP - 16, "text-anchor": "end" }, "undated"));
    root.append(axis);

    const pos = new Map();
    rows.forEach((e, i) => pos.set(e.key, { x: x(e, i), y: PAD_TOP + i * ROW + ROW / 2 }));
    const guides = svg("g", { class: "guides" });
    const labels = svg("g", { class: "labels" });
    const edges = svg("g", { class: "edges" });
    const nodes = svg("g", { class: "nodes" });
    const byKey = new Map();
    rows.forEach((e) => {
      const from = pos.get(e.source), to = pos.get(e.key);
      if (!from || !to || e.source === e.key) return;
      // the bend stays right of the name column
      const midX = Math.max(plotLeft, Math.min(from.x, to.x) - 14);
      const path = svg("path", {
        d: `M${from.x},${from.y} C${midX},${from.y} ${midX},${to.y} ${to.x - 7},${to.y}`,
        class: e.attributed ? "edge credited" : "edge uncredited",
        "marker-end": "url(#arrow)",
        "data-from": e.source, "data-to": e.key,
      });
      edges.append(path);
    });
    rows.forEach((e, i) => {
      const p = pos.get(e.key);
      const name = e.name && i === 0 ? e.name : e.outlet_name || e.outlet || e.name || "";
      guides.append(svg("line", { x1: gutter, x2: p.x - 8, y1: p.y, y2: p.y }));
      labels.append(svg("text", { x: gutter - 4, y: p.y + 4, "text-anchor": "end",
        class: "label" + (i === 0 ? " origin" : "") }, fit(name, gutter - 8)));
      const g = svg("g", {
        class: "node" + (i === 0 ? " origin" : "") + (e.key === queried ? " queried" : ""),
        transform: `translate(${p.x},${p.y})`, tabindex: 0, role: "button",
        "aria-label": `${name}${i === 0 ? " (origin)" : ""}`,
      });
      g.append(svg("title", {}, `${name}\n${e.title || e.url || ""}`));
      g.append(svg("circle", { r: i === 0 ? 8 : 6 }));
      const pick = () => onPick && onPick(e.key);
      g.addEventListener("click", pick);
      g.addEventListener("keydown", (ev) => { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); pick(); } });
      g.addEventListener("mouseenter", () => highlight(e.key));
      g.addEventListener("focus", () => highlight(e.key));
      nodes.append(g);
      byKey.set(e.key, g);
    });
    root.append(guides, labels, edges, nodes);
    container.append(root);
    // shorten names to the column by their drawn width (fonts differ)
    for (const text of labels.children) {
      let shown = text.textContent;
      while (shown.length > 4 && text.getComputedTextLength() > gutter - 8) {
        shown = shown.slice(0, -1);
        text.textContent = shown + "…";
      }
    }
    if (entries.length > rows.length) {
      const more = document.createElement("p");
      more.className = "note";
      more.textContent = `The graph shows the first ${rows.length} of ${entries.length} articles.`;
      container.append(more);
    }

    function highlight(key) {
      for (const [k, g] of byKey) g.classList.toggle("active", k === key);
      for (const path of edges.children) {
        const on = path.getAttribute("data-from") === key || path.getAttribute("data-to") === key;
        path.classList.toggle("active", on);
      }
    }
    return { highlight };
  }

  window.crosspostGraph = { draw };
})();
