/* The story family as a small SVG graph: one row per article in time order, x = publication
   time, an arrow from each source to its copy (solid: credited, dashed: not credited).
   Every label is a text node; nothing here parses markup. */
"use strict";

(function () {
  const SVG = "http://www.w3.org/2000/svg";
  const ROW = 30, PAD_TOP = 28, MAX_ROWS = 80;

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

  function shortDate(t) {
    return new Date(t).toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
  }

  /* entries: [{url, outlet, outlet_name, date, copied_from, attributed, role}] with the
     origin first. onPick(url) is called when a node is chosen; returns {highlight(url)}. */
  function draw(container, entries, queried, onPick) {
    container.textContent = "";
    const rows = entries.slice(0, MAX_ROWS);
    const width = Math.max(320, Math.min(container.clientWidth || 640, 900));
    const left = 16, right = 16;
    const height = PAD_TOP + rows.length * ROW + 8;
    const times = rows.map(when).filter((t) => t !== null);
    const t0 = Math.min(...times), t1 = Math.max(...times);
    const undated = rows.some((e) => when(e) === null);
    const span = times.length && t1 > t0 ? t1 - t0 : 0;
    const plotRight = width - right - (undated ? 56 : 0);
    const x = (e, i) => {
      const t = when(e);
      if (t === null) return width - right - 20;
      if (!span) return left + 10 + (i * (plotRight - left - 20)) / Math.max(1, rows.length - 1) * 0.2;
      return left + 10 + ((t - t0) / span) * (plotRight - left - 20);
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
    axis.append(svg("line", { x1: left, x2: plotRight, y1: PAD_TOP - 10, y2: PAD_TOP - 10 }));
    if (times.length) {
      axis.append(svg("text", { x: left, y: PAD_TOP - 16 }, shortDate(t0)));
      if (span) axis.append(svg("text", { x: plotRight, y: PAD_TOP - 16, "text-anchor": "end" }, shortDate(t1)));
    }
    if (undated) axis.append(svg("text", { x: width - right, y: PAD_TOP - 16, "text-anchor": "end" }, "undated"));
    root.append(axis);

    const pos = new Map();
    rows.forEach((e, i) => pos.set(e.url, { x: x(e, i), y: PAD_TOP + i * ROW + ROW / 2 }));
    const edges = svg("g", { class: "edges" });
    const nodes = svg("g", { class: "nodes" });
    const byUrl = new Map();
    rows.forEach((e) => {
      const from = pos.get(e.copied_from), to = pos.get(e.url);
      if (!from || !to) return;
      const midX = Math.min(from.x, to.x) - 14;
      const path = svg("path", {
        d: `M${from.x},${from.y} C${midX},${from.y} ${midX},${to.y} ${to.x - 7},${to.y}`,
        class: e.attributed ? "edge credited" : "edge uncredited",
        "marker-end": "url(#arrow)",
        "data-from": e.copied_from, "data-to": e.url,
      });
      edges.append(path);
    });
    rows.forEach((e, i) => {
      const p = pos.get(e.url);
      const g = svg("g", {
        class: "node" + (i === 0 ? " origin" : "") + (e.url === queried ? " queried" : ""),
        transform: `translate(${p.x},${p.y})`, tabindex: 0, role: "button",
        "aria-label": `${e.outlet_name || e.outlet}${i === 0 ? " (origin)" : ""}`,
      });
      g.append(svg("title", {}, `${e.outlet_name || e.outlet}\n${e.title || e.url}`));
      g.append(svg("circle", { r: i === 0 ? 8 : 6 }));
      const label = e.outlet_name || e.outlet;
      const onLeft = p.x > width * 0.6;
      g.append(svg("text", { x: onLeft ? -12 : 12, y: 4, "text-anchor": onLeft ? "end" : "start" }, label));
      const pick = () => onPick && onPick(e.url);
      g.addEventListener("click", pick);
      g.addEventListener("keydown", (ev) => { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); pick(); } });
      g.addEventListener("mouseenter", () => highlight(e.url));
      g.addEventListener("focus", () => highlight(e.url));
      nodes.append(g);
      byUrl.set(e.url, g);
    });
    root.append(edges, nodes);
    container.append(root);
    if (entries.length > rows.length) {
      const more = document.createElement("p");
      more.className = "note";
      more.textContent = `The graph shows the first ${rows.length} of ${entries.length} articles.`;
      container.append(more);
    }

    function highlight(url) {
      for (const [u, g] of byUrl) g.classList.toggle("active", u === url);
      for (const path of edges.children) {
        const on = path.getAttribute("data-from") === url || path.getAttribute("data-to") === url;
        path.classList.toggle("active", on);
      }
    }
    return { highlight };
  }

  window.crosspostGraph = { draw };
})();
