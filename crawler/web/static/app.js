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

  // An origin outside the store (an agency credited by name) has no date: a copy's lag is
  // then measured from its own source, and must not be shown as "after origin".
  function lagNote(c) {
    if (c.lag_hours_from_origin != null) return `${fmtLag(c.lag_hours_from_origin)} after origin`;
    if (c.lag_hours != null && !c.copied_from_origin) return `${fmtLag(c.lag_hours)} after its source`;
    return "lag unknown";
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
    $("home").hidden = true;
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

  const KINDS = { wire: "wire agency", syndicator: "syndicator", print: "print publication",
    outlet: "outlet not crawled", aggregator: "aggregator" };

  /* Why this is the origin, in words, from the evidence the answer carries: a credit is
     claimed only when a copy's credit to it is there for a reader to see. */
  function originWhy(origin, copies) {
    const direct = copies.filter((c) => c.copied_from_origin || (origin.url && c.copied_from === origin.url));
    const credited = direct.filter((c) => c.attributed).length;
    const parts = [];
    for (const b of origin.basis || []) {
      if (b === "attribution") {
        if (credited) parts.push(`${credited} cop${credited === 1 ? "y credits" : "ies credit"} it`);
      } else if (b === "canonical") {
        parts.push("a copy's page names it as the original (rel=canonical), without saying so to readers");
      } else if (b === "metadata") {
        parts.push("a copy names it in the page's metadata only");
      } else {
        const words = { published_at: "earliest publication date", stated_date: "earliest date a copy states for it",
          lastmod: "earliest sitemap date", first_seen: "crawled first", no_known_copies: "no known copies",
          no_date: "undated" };
        parts.push(words[b] || b.replace(/_/g, " "));
      }
    }
    return parts.join(", ") || "no evidence stated";
  }

  /* The text a copy shares with its source, in words. */
  function textWords(c) {
    if (c.similarity === null || c.similarity === undefined) return "no shared text measured: linked by its credit";
    const inSource = c.containment_copy_in_source, sourceIn = c.containment_source_in_copy;
    if (c.kind === "expanded") {
      return sourceIn !== null && sourceIn !== undefined && sourceIn >= 0.95
        ? "carries the whole original plus more"
        : `carries ${pct(sourceIn)} of the original plus more`;
    }
    if (c.kind === "excerpt") {
      return inSource !== null && inSource !== undefined && inSource >= 0.95
        ? "an excerpt: every part of it is in the original"
        : `an excerpt: ${pct(inSource)} of it is in the original`;
    }
    return c.similarity >= 0.95 ? "the same text" : `${pct(c.similarity)} of the wording is the same`;
  }

  /* The key of an entry in the family graph and timeline (an agency may have no URL). */
  const ORIGIN_KEY = "origin:";
  function keyOf(entry) { return entry.url || ORIGIN_KEY + (entry.name || entry.outlet || ""); }

  function sourceKey(copy, originKey) {
    if (copy.copied_from_origin) return originKey;
    return copy.copied_from || null;
  }

  function renderLookup(data) {
    if (!data || !data.found) return;
    const result = $("result");
    const origin = data.origin, article = data.article, copies = data.copies || [];
    const queried = article && article.url;
    const originKey = keyOf(origin);
    const originName = origin.name || origin.outlet_name || origin.outlet;

    // the origin, and what the queried page is
    const role = article.role === "origin" ? "This page is the origin."
      : article.role === "copy" ? "This page is a copy." : "No copies of this page are known.";
    const where = origin.in_store === false
      ? el("span", {}, originName, el("span", { class: "kind" }, ` · ${KINDS[origin.kind] || origin.kind || "source outside the store"}`))
      : outletLink(origin.outlet, originName);
    const originLink = origin.url ? outLink(origin.url, origin.in_store === false ? "the page the copies link to" : "open the original page") : null;
    const originCard = el("section", { class: "card origin-card", id: "origin" },
      el("p", { class: "kicker" }, role),
      el("h2", {}, "First appeared on ", where),
      origin.in_store === false
        ? el("p", { class: "note" }, "Not an article in this store: the copies credit it as their source.")
        : el("p", { class: "title" }, origin.title || ""),
      el("p", { class: "meta" }, origin.date || origin.published_at ? fmtDate(origin.date || origin.published_at) : "date unknown",
        originLink ? " · " : "", originLink),
      el("p", { class: "basis" }, `Why: ${originWhy(origin, copies)} · confidence ${Math.round((origin.confidence || 0) * 100)}%`,
        origin.crawled === false && origin.in_store !== false ? " · known only from a link, not crawled" : ""));
    result.append(originCard);

    if (!copies.length) return;
    // the family graph
    const originEntry = Object.assign({}, origin, { key: originKey, name: originName });
    const copyEntries = copies.map((c) => Object.assign({}, c, { key: keyOf(c), source: sourceKey(c, originKey) }))
      .sort((a, b) => (Date.parse(a.date) || Infinity) - (Date.parse(b.date) || Infinity));
    const entries = [originEntry, ...copyEntries];
    const graphBox = el("div", { class: "graph-box" });
    result.append(el("section", { class: "card" },
      el("h2", {}, `Story family: ${copies.length} cop${copies.length === 1 ? "y" : "ies"} on ${new Set(copies.map((e) => e.outlet)).size} outlet${new Set(copies.map((e) => e.outlet)).size === 1 ? "" : "s"}`),
      graphBox,
      el("p", { class: "legend" }, el("span", { class: "key credited" }, "credits its source"), el("span", { class: "key uncredited" }, "no credit"))));

    // the timeline: origin first, then every copy by date
    const list = el("ol", { class: "timeline" });
    list.append(el("li", { class: "event origin", id: rowId(originKey) },
      el("div", { class: "when" }, origin.date || origin.published_at ? fmtDate(origin.date || origin.published_at) : "date unknown"),
      el("div", { class: "what" },
        el("div", { class: "who" }, origin.in_store === false ? el("span", { class: "outlet" }, originName) : outletLink(origin.outlet, originName),
          el("span", { class: "badge origin" }, "origin"),
          origin.in_store === false ? el("span", { class: "badge outside" }, KINDS[origin.kind] || "outside the store") : null),
        el("div", { class: "title" }, origin.title || ""),
        originLink ? el("div", { class: "links" }, outLink(origin.url, origin.in_store === false ? "linked page" : "original page")) : null)));
    for (const c of copyEntries) {
      const source = c.source === originKey ? originEntry : copyEntries.find((e) => e.key === c.source);
      const sourceName = c.copied_from_name || (source && (source.name || source.outlet_name || source.outlet));
      const from = c.source === null
        ? el("span", { class: "undetermined" }, "source undetermined: no evidence names it")
        : c.copied_from
          ? el("span", {}, "copied from ", outLink(c.copied_from, sourceName || shortUrl(c.copied_from)))
          : el("span", {}, "copied from ", sourceName || "the origin");
      const item = el("li", { class: "event" + (c.url === queried ? " queried" : ""), id: rowId(c.key) },
        el("div", { class: "when" }, fmtDate(c.date || c.published_at),
          el("span", { class: "lag" }, lagNote(c))),
        el("div", { class: "what" },
          el("div", { class: "who" }, outletLink(c.outlet, c.outlet_name),
            el("span", { class: c.attributed ? "badge credited" : "badge uncredited" }, c.attributed ? "credits source" : "no credit"),
            c.url === queried ? el("span", { class: "badge you" }, "your page") : null),
          el("div", { class: "title" }, c.title || ""),
          el("div", { class: "figures" }, textWords(c), ` · confidence ${Math.round((c.confidence || 0) * 100)}%`),
          c.attribution ? el("blockquote", { class: "attribution" }, c.attribution) : null,
          el("div", { class: "links" }, outLink(c.url, "this copy"), " · ", from, " · ", lookupLink(c.url, "look up"))));
      list.append(item);
    }
    result.append(el("section", { class: "card" }, el("h2", {}, "Timeline"), list));

    if ((data.conflicts || []).length) {
      result.append(el("section", { class: "card conflicts" }, el("h2", {}, "Conflicting evidence"),
        el("ul", {}, data.conflicts.map((c) => el("li", {}, el("strong", {}, c.kind || "conflict"), ": ", c.message || "")))));
    }

    const graph = window.crosspostGraph.draw(graphBox, entries, queried, (key) => {
      const row = document.getElementById(rowId(key));
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

  // -- home -------------------------------------------------------------------------------
  function plural(n, one, many) { return `${n.toLocaleString("en")} ${n === 1 ? one : many}`; }

  async function showHome() {
    const home = $("home");
    home.textContent = "";
    home.hidden = false;
    const res = await api("/api/summary");
    if (!res.ok) return;
    const s = res.body;
    if (!s.articles) {
      home.append(el("section", { class: "card" }, el("h2", {}, "The store is empty"),
        el("p", {}, "Crawl some outlets first (crosspost crawl URL…), then look their articles up here.")));
      return;
    }
    const last = s.last_crawl;
    const lastText = last ? `${last.command === "ingest" ? "Last ingest" : "Last crawl"}: ${fmtDate(last.ended_at || last.started_at)}` +
      (last.finish_reason && last.finish_reason !== "finished" ? ` (${last.finish_reason})` : "") : null;
    home.append(el("section", { class: "card store" },
      el("h2", {}, "What this store holds"),
      el("dl", { class: "stats" },
        el("div", {}, el("dt", {}, "Articles"), el("dd", {}, s.articles.toLocaleString("en"))),
        el("div", {}, el("dt", {}, "Outlets"), el("dd", {}, s.outlets.toLocaleString("en"))),
        el("div", {}, el("dt", {}, "Story families"), el("dd", {}, s.families.toLocaleString("en"))),
        el("div", {}, el("dt", {}, "Copies found"), el("dd", {}, s.copies.toLocaleString("en")))),
      lastText ? el("p", { class: "meta" }, lastText) : null,
      s.decided && s.decided.note ? el("p", { class: "note" }, `Answers decided now: ${s.decided.note}.`) : null));
    if ((s.examples || []).length) {
      home.append(el("section", { class: "card examples" },
        el("h2", {}, "Try one"),
        el("ul", {}, s.examples.map((e) => el("li", {},
          lookupLink(e.url, e.title || shortUrl(e.url)), el("span", { class: "meta" },
            ` · ${e.outlet_name || e.outlet} · story run by ${plural(e.family_size, "article", "articles")}`))))));
    }
  }

  // -- outlets ----------------------------------------------------------------------------
  /* A table; each cell also carries its column name, so on a phone the rows stack as cards
     and no column is cut off. */
  function table(headers, rows) {
    return el("div", { class: "scroll" }, el("table", { class: "stacking" },
      el("thead", {}, el("tr", {}, headers.map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, rows.map((cells) => el("tr", {}, cells.map((c, i) => el("td", { "data-label": headers[i] }, c)))))));
  }

  const num = (v) => (v === null || v === undefined ? "–" : String(v));
  const hours = (v) => (v === null || v === undefined ? "–" : fmtLag(v).replace(/^\+/, ""));

  /* An outlet by its name, with its domain beside it when they differ. */
  function namedOutlet(domain, name) {
    const shown = name || domain;
    const same = shown.replace(/^www\./, "").toLowerCase() === String(domain).toLowerCase();
    return el("span", { class: "named" }, outletLink(domain, shown),
      same ? null : el("span", { class: "domain" }, domain));
  }

  async function showOutlets() {
    const view = $("outlet-view");
    view.textContent = "";
    status("Loading outlets…");
    const res = await api("/api/outlets");
    if (!res.ok) { status(errorText(res), "warn"); return; }
    status("");
    view.append(el("h1", {}, `${res.body.count} outlets`),
      el("p", { class: "note" }, "Originals: stories that started there. Copied by others: how many of those other outlets republished. Copies: articles taken from another outlet. Credited: share of those copies that name their source."),
      table(["Outlet", "Articles", "Originals", "Copies", "Credited", "Copied by others", "Median lag"],
        res.body.outlets.map((o) => [namedOutlet(o.outlet, o.name), num(o.articles), num(o.originals), num(o.copies),
          pct(o.attribution_rate), num(o.originals_copied_by_others ?? o.copied_by_others), hours(o.median_lag_hours)])));
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
        el("div", {}, el("dt", {}, "Originals"), el("dd", {}, num(o.originals))),
        el("div", {}, el("dt", {}, "Originals copied by others"), el("dd", {}, num(o.originals_copied_by_others))),
        el("div", {}, el("dt", {}, "Copies of others"), el("dd", {}, num(o.copies))),
        el("div", {}, el("dt", {}, "Copies credited"), el("dd", {}, pct(o.attribution_rate))),
        el("div", {}, el("dt", {}, "Median lag"), el("dd", {}, hours(o.median_lag_hours)))),
      el("h2", {}, "Top sources: whom it republishes"),
      res.body.top_sources.length
        ? table(["Source", "Copies", "Credited", "Median lag"], res.body.top_sources.map((p) =>
          [namedOutlet(p.source, p.source_name), num(p.republications), pct(p.attribution_rate), hours(p.median_lag_hours)]))
        : el("p", { class: "note" }, "It republishes no other outlet's articles that we know of."),
      el("h2", {}, "Top republishers: who copies it"),
      res.body.top_republishers.length
        ? table(["Republisher", "Copies", "Credited", "Median lag"], res.body.top_republishers.map((p) =>
          [namedOutlet(p.copied_by, p.copied_by_name), num(p.republications), pct(p.attribution_rate), hours(p.median_lag_hours)]))
        : el("p", { class: "note" }, "No other outlet is known to republish it."),
      el("h2", {}, "Latest articles"),
      res.body.recent_articles.length
        ? el("ul", { class: "articles" }, res.body.recent_articles.map((a) =>
          el("li", {}, lookupLink(a.url, a.title || a.url), el("span", { class: "meta" }, " · ", fmtDate(a.published_at)))))
        // a source outside the store (a wire agency its copies credit) has no articles here
        : el("p", { class: "note" }, "None in the store: it is known only from the copies that credit it."));
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
    if (q) { $("home").hidden = true; $("query").value = q; ask(q, false); }
    else { $("result").textContent = ""; showHome(); }
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
