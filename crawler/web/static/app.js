/* crosspost's page: asks the JSON API and renders the answers.

   Scraped strings (titles, outlet names, attribution sentences, URLs) are attacker-controlled:
   they only ever become text nodes (el() below never sets innerHTML), and links are made only
   for http(s) URLs. */
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const MIN_TEXT = 100;

  // -- DOM helpers ------------------------------------------------------------------------
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      else node.setAttribute(k, v === true ? "" : String(v));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function safeHref(url) {
    try {
      const parsed = new URL(url);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (_) {
      return null;
    }
  }

  /* A link to an outside page (http(s) only; otherwise plain text). */
  function outLink(url, text) {
    const href = safeHref(url);
    const label = text === undefined ? url : text;
    if (!href) return el("span", { class: "url" }, label);
    return el("a", { href, rel: "noopener noreferrer nofollow", target: "_blank", class: "out" }, label);
  }

  function lookupLink(url, text) {
    return el("a", { href: "/?url=" + encodeURIComponent(url) }, text);
  }

  function outletLink(domain, name) {
    return el("a", { href: "/outlets/" + encodeURIComponent(domain), class: "outlet" }, name || domain);
  }

  // -- formatting -------------------------------------------------------------------------
  function fmtDate(iso) {
    const t = Date.parse(iso || "");
    if (Number.isNaN(t)) return "undated";
    const d = new Date(t);
    const day = d.toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
    const hasTime = /T\d\d:\d\d/.test(iso) && !/T00:00(:00)?(Z|\+00:00)?$/.test(iso);
    return hasTime ? `${day}, ${d.toISOString().slice(11, 16)} UTC` : day;
  }

  function fmtLag(hours) {
    if (hours === null || hours === undefined) return "lag unknown";
    const sign = hours < 0 ? "−" : "+";
    const h = Math.abs(hours);
    if (h >= 48) return `${sign}${(h / 24).toFixed(1)} days`;
    if (h >= 1) return `${sign}${h.toFixed(1)} h`;
    return `${sign}${Math.round(h * 60)} min`;
  }

  const pct = (v) => (v === null || v === undefined ? "–" : `${Math.round(v * 100)}%`);

  function status(text, kind) {
    const s = $("status");
    s.textContent = text || "";
    s.className = kind || "";
  }

  // -- API --------------------------------------------------------------------------------
  async function api(path, options) {
    const response = await fetch(path, Object.assign({ headers: { Accept: "application/json" } }, options));
    let body = null;
    try { body = await response.json(); } catch (_) { body = null; }
    return { ok: response.ok, status: response.status, body };
  }

  function errorText(res) {
    return (res.body && res.body.error && res.body.error.message) || `the server answered ${res.status}`;
  }

  // -- lookup -----------------------------------------------------------------------------
  function looksLikeUrl(text) {
    return /^https?:\/\/\S+$/i.test(text) || /^[\w-]+(\.[\w-]+)+\/\S*$/.test(text);
  }

  async function ask(raw, push) {
    const text = raw.trim();
    const result = $("result");
    result.textContent = "";
    if (!text) { status("Paste a URL or some text first.", "warn"); return; }
    if (looksLikeUrl(text)) {
      const url = /^https?:/i.test(text) ? text : "https://" + text;
      if (push) history.pushState(null, "", "/?url=" + encodeURIComponent(url));
      status("Looking up…");
      const res = await api("/api/provenance?url=" + encodeURIComponent(url));
      if (res.ok) { status(""); renderLookup(res.body); }
      else status(res.status === 404 ? "This URL is not in the store: nobody crawled it yet." : errorText(res), "warn");
    } else if (text.length >= MIN_TEXT) {
      if (push) history.pushState(null, "", "/");
      status("Looking for this text…");
      const res = await api("/api/lookup-text", {
        method: "POST", headers: { "Content-Type": "text/plain; charset=utf-8", Accept: "application/json" }, body: text,
      });
      if (res.ok) { status(""); renderMatches(res.body.matches || []); renderLookup(res.body); }
      else status(res.status === 404 ? "No stored article contains this text." : errorText(res), "warn");
    } else {
      if (push) history.pushState(null, "", "/?q=" + encodeURIComponent(text));
      await search(text, 1);
    }
  }

  async function search(q, page) {
    status("Searching…");
    const res = await api(`/api/search?per_page=20&page=${page}&q=` + encodeURIComponent(q));
    const result = $("result");
    result.textContent = "";
    if (!res.ok) { status(errorText(res), "warn"); return; }
    const data = res.body;
    status(data.total ? `${data.total} article${data.total === 1 ? "" : "s"} mention “${q}”. Pick one to see its story.` : `No article mentions “${q}”.`);
    const list = el("ol", { class: "hits", start: (page - 1) * data.per_page + 1 });
    for (const hit of data.results) {
      const snippet = el("p", { class: "snippet" });
      let at = 0;
      for (const [a, b] of hit.highlights) {
        snippet.append(hit.snippet.slice(at, a), el("mark", {}, hit.snippet.slice(a, b)));
        at = b;
      }
      snippet.append(hit.snippet.slice(at));
      list.append(el("li", {},
        el("div", { class: "hit-title" }, lookupLink(hit.url, hit.title || hit.url)),
        el("div", { class: "meta" }, outletLink(hit.outlet), " · ", fmtDate(hit.published_at)),
        snippet));
    }
    result.append(list);
    if (data.pages > 1) {
      const nav = el("nav", { class: "pager" });
      if (page > 1) nav.append(pageButton("← Previous", q, page - 1));
      nav.append(el("span", {}, `page ${page} of ${data.pages}`));
      if (page < data.pages) nav.append(pageButton("Next →", q, page + 1));
      result.append(nav);
    }
  }

  function pageButton(label, q, page) {
    const b = el("button", { type: "button", class: "link" }, label);
    b.addEventListener("click", () => search(q, page));
    return b;
  }

  function renderMatches(matches) {
    if (!matches.length) return;
    const list = el("ul", { class: "matches" });
    for (const m of matches.slice(0, 20)) {
      list.append(el("li", {}, outletLink(m.outlet), " · ", fmtDate(m.published_at), " · ",
        lookupLink(m.url, m.title || m.url), el("span", { class: "figures" },
          ` ${pct(m.similarity)} similar, ${pct(m.containment)} of your text`)));
    }
    $("result").append(el("section", { class: "card" },
      el("h2", {}, `Your text appears in ${matches.length} stored article${matches.length === 1 ? "" : "s"}`), list));
  }

  function basisText(basis) {
    const words = { attribution: "a copy credits it", published_at: "earliest publication date",
      canonical: "rel=canonical points to it", first_seen: "crawled first", no_known_copies: "no known copies" };
    return (basis || []).map((b) => words[b] || b.replace(/_/g, " ")).join(", ");
  }

  function renderLookup(data) {
    if (!data || !data.found) return;
    const result = $("result");
    const origin = data.origin, article = data.article, copies = data.copies || [];
    const queried = article && article.url;

    // the origin, and what the queried page is
    const role = article.role === "origin" ? "This page is the origin."
      : article.role === "copy" ? "This page is a copy." : "No copies of this page are known.";
    const originCard = el("section", { class: "card origin-card", id: "origin" },
      el("p", { class: "kicker" }, role),
      el("h2", {}, "First appeared on ", outletLink(origin.outlet, origin.outlet_name || origin.outlet)),
      el("p", { class: "title" }, origin.title || ""),
      el("p", { class: "meta" }, fmtDate(origin.date || origin.published_at), " · ", outLink(origin.url, "open the original page")),
      el("p", { class: "basis" }, `Why: ${basisText(origin.basis)} · confidence ${Math.round((origin.confidence || 0) * 100)}%`,
        origin.crawled === false ? " · known only from a link, not crawled" : ""));
    result.append(originCard);

    if (!copies.length) return;
    // the family graph
    const entries = [origin, ...copies.slice().sort((a, b) => (Date.parse(a.date) || Infinity) - (Date.parse(b.date) || Infinity))];
    const graphBox = el("div", { class: "graph-box" });
    result.append(el("section", { class: "card" },
      el("h2", {}, `Story family: ${copies.length} cop${copies.length === 1 ? "y" : "ies"} on ${new Set(entries.map((e) => e.outlet)).size} outlets`),
      graphBox,
      el("p", { class: "legend" }, el("span", { class: "key credited" }, "credits its source"), el("span", { class: "key uncredited" }, "no credit"))));

    // the timeline: origin first, then every copy by date
    const list = el("ol", { class: "timeline" });
    list.append(el("li", { class: "event origin", id: rowId(origin.url) },
      el("div", { class: "when" }, fmtDate(origin.date || origin.published_at)),
      el("div", { class: "what" },
        el("div", { class: "who" }, outletLink(origin.outlet, origin.outlet_name), el("span", { class: "badge origin" }, "origin")),
        el("div", { class: "title" }, origin.title || ""),
        el("div", { class: "links" }, outLink(origin.url, "original page")))));
    for (const c of entries.slice(1)) {
      const figures = [];
      if (c.similarity !== null && c.similarity !== undefined) figures.push(`${pct(c.similarity)} similar`);
      if (c.containment !== null && c.containment !== undefined) figures.push(`${pct(c.containment)} contained`);
      const item = el("li", { class: "event" + (c.url === queried ? " queried" : ""), id: rowId(c.url) },
        el("div", { class: "when" }, fmtDate(c.date || c.published_at),
          el("span", { class: "lag" }, fmtLag(c.lag_hours_from_origin ?? c.lag_hours), " after origin")),
        el("div", { class: "what" },
          el("div", { class: "who" }, outletLink(c.outlet, c.outlet_name),
            el("span", { class: c.attributed ? "badge credited" : "badge uncredited" }, c.attributed ? "credits source" : "no credit"),
            c.url === queried ? el("span", { class: "badge you" }, "your page") : null),
          el("div", { class: "title" }, c.title || ""),
          el("div", { class: "figures" }, figures.join(" · ") || "linked by attribution only",
            c.kind ? ` · ${c.kind}` : "", ` · confidence ${Math.round((c.confidence || 0) * 100)}%`),
          c.attribution ? el("blockquote", { class: "attribution" }, c.attribution) : null,
          el("div", { class: "links" }, outLink(c.url, "this copy"), " · copied from ",
            outLink(c.copied_from, shortUrl(c.copied_from)), " · ", lookupLink(c.url, "look up"))));
      list.append(item);
    }
    result.append(el("section", { class: "card" }, el("h2", {}, "Timeline"), list));

    if ((data.conflicts || []).length) {
      result.append(el("section", { class: "card conflicts" }, el("h2", {}, "Conflicting evidence"),
        el("ul", {}, data.conflicts.map((c) => el("li", {}, el("strong", {}, c.kind || "conflict"), ": ", c.message || "")))));
    }

    const graph = window.crosspostGraph.draw(graphBox, entries, queried, (url) => {
      const row = document.getElementById(rowId(url));
      if (row) {
        for (const r of document.querySelectorAll(".event.picked")) r.classList.remove("picked");
        row.classList.add("picked");
        row.scrollIntoView({ behavior: "smooth", block: "center" });
      }
    });
    for (const row of list.children) {
      row.addEventListener("mouseenter", () => graph.highlight(rowUrl.get(row.id)));
    }
  }

  const rowUrl = new Map();
  function rowId(url) {
    let h = 0;
    for (let i = 0; i < url.length; i++) h = (h * 31 + url.charCodeAt(i)) | 0;
    const id = "row-" + (h >>> 0).toString(36);
    rowUrl.set(id, url);
    return id;
  }

  function shortUrl(url) {
    try {
      const u = new URL(url);
      const path = u.pathname.length > 40 ? u.pathname.slice(0, 38) + "…" : u.pathname;
      return u.host.replace(/^www\./, "") + path;
    } catch (_) {
      return url;
    }
  }

  // -- outlets ----------------------------------------------------------------------------
  function table(headers, rows) {
    return el("div", { class: "scroll" }, el("table", {},
      el("thead", {}, el("tr", {}, headers.map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, rows.map((cells) => el("tr", {}, cells.map((c) => el("td", {}, c)))))));
  }

  const num = (v) => (v === null || v === undefined ? "–" : String(v));
  const hours = (v) => (v === null || v === undefined ? "–" : fmtLag(v).replace(/^\+/, ""));

  async function showOutlets() {
    const view = $("outlet-view");
    view.textContent = "";
    status("Loading outlets…");
    const res = await api("/api/outlets");
    if (!res.ok) { status(errorText(res), "warn"); return; }
    status("");
    view.append(el("h1", {}, `${res.body.count} outlets`),
      el("p", { class: "note" }, "Copies: articles taken from another outlet. Credited: share of those copies that name their source."),
      table(["Outlet", "Articles", "Originals", "Copies", "Credited", "Copied by others", "Median lag"],
        res.body.outlets.map((o) => [outletLink(o.outlet, o.name), num(o.articles), num(o.originals), num(o.copies),
          pct(o.attribution_rate), num(o.copied_by_others), hours(o.median_lag_hours)])));
  }

  async function showOutlet(domain) {
    const view = $("outlet-view");
    view.textContent = "";
    status("Loading outlet…");
    const res = await api("/api/outlets/" + encodeURIComponent(domain));
    if (!res.ok) { status(res.status === 404 ? `No outlet ${domain} in the store.` : errorText(res), "warn"); return; }
    status("");
    const o = res.body.outlet;
    view.append(
      el("h1", {}, o.name || o.outlet), el("p", { class: "meta" }, o.outlet),
      el("dl", { class: "stats" },
        el("div", {}, el("dt", {}, "Articles"), el("dd", {}, num(o.articles))),
        el("div", {}, el("dt", {}, "Originals copied by others"), el("dd", {}, num(o.copied_by_others))),
        el("div", {}, el("dt", {}, "Copies of others"), el("dd", {}, num(o.copies))),
        el("div", {}, el("dt", {}, "Copies credited"), el("dd", {}, pct(o.attribution_rate))),
        el("div", {}, el("dt", {}, "Median lag"), el("dd", {}, hours(o.median_lag_hours)))),
      el("h2", {}, "Top sources: whom it republishes"),
      res.body.top_sources.length
        ? table(["Source", "Copies", "Credited", "Median lag"], res.body.top_sources.map((p) =>
          [outletLink(p.source), num(p.republications), pct(p.attribution_rate), hours(p.median_lag_hours)]))
        : el("p", { class: "note" }, "It republishes no other outlet's articles that we know of."),
      el("h2", {}, "Top republishers: who copies it"),
      res.body.top_republishers.length
        ? table(["Republisher", "Copies", "Credited", "Median lag"], res.body.top_republishers.map((p) =>
          [outletLink(p.copied_by), num(p.republications), pct(p.attribution_rate), hours(p.median_lag_hours)]))
        : el("p", { class: "note" }, "No other outlet is known to republish it."),
      el("h2", {}, "Latest articles"),
      el("ul", { class: "articles" }, res.body.recent_articles.map((a) =>
        el("li", {}, lookupLink(a.url, a.title || a.url), el("span", { class: "meta" }, " · ", fmtDate(a.published_at))))));
  }

  // -- routing ----------------------------------------------------------------------------
  function route() {
    const path = location.pathname;
    const lookupView = $("lookup-view"), outletView = $("outlet-view");
    const params = new URLSearchParams(location.search);
    status("");
    if (path === "/outlets" || path.startsWith("/outlets/")) {
      lookupView.hidden = true;
      outletView.hidden = false;
      const domain = decodeURIComponent(path.slice("/outlets/".length));
      if (path === "/outlets" || !domain) showOutlets(); else showOutlet(domain);
      return;
    }
    lookupView.hidden = false;
    outletView.hidden = true;
    const q = params.get("url") || params.get("q");
    if (q) { $("query").value = q; ask(q, false); }
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("lookup-form").addEventListener("submit", (ev) => { ev.preventDefault(); ask($("query").value, true); });
    $("query").addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" && !ev.shiftKey && looksLikeUrl($("query").value.trim())) {
        ev.preventDefault();
        ask($("query").value, true);
      }
    });
    window.addEventListener("popstate", route);
    route();
  });
})();
