// hedgewatch state page: the state's series between two powers (interactive charts, at
// once from the atlas), then the report's content, computed on demand with its progress.
"use strict";
(function () {
  const HW = window.HW;
  const $ = (id) => document.getElementById(id);
  const config = JSON.parse($("hw-config").textContent);
  const q = new URLSearchParams({ a: config.a, b: config.b });
  const code = encodeURIComponent(config.state);

  const say = (id, text, kind) => {
    const s = $(id);
    s.textContent = text;
    s.className = kind || "";
    s.hidden = !text;
  };

  async function json(url) {
    const r = await fetch(url);
    const body = await r.json();
    if (!r.ok && r.status !== 202) throw new Error(body.error || `HTTP ${r.status}`);
    return [r.status, body];
  }

  async function series() {
    say("series-status", "Loading the yearly series…", "busy");
    try {
      const [, d] = await json(`/api/state/${code}?${q}&measure=${encodeURIComponent(config.measure)}`);
      say("series-status", "");
      HW.stateCharts($("charts"), d);
      const list = $("shifts");
      for (const m of d.movers) {
        list.appendChild(
          HW.el("li", {}, `${m.earliest !== undefined && m.earliest < m.period ? m.earliest + "-" : ""}${m.period}: ${m.direction} by ${HW.fmt(Math.abs(m.size))} (${HW.fmt(m.before)} → ${HW.fmt(m.after)}), stability ${HW.pct(m.stability)}`)
        );
      }
      if (!d.movers.length) list.appendChild(HW.el("li", {}, "No stable shift of the position."));
      $("charts").setAttribute("data-ready", "1");
    } catch (err) {
      say("series-status", err.message, "error");
    }
  }

  function table(t) {
    const wrap = HW.el("div", { class: "table-wrap" });
    if (t.title) wrap.appendChild(HW.el("h4", {}, t.title));
    const tab = HW.el("table");
    const head = HW.el("tr");
    for (const c of t.columns) head.appendChild(HW.el("th", {}, c));
    tab.appendChild(HW.el("thead")).appendChild(head);
    const body = tab.appendChild(HW.el("tbody"));
    for (const row of t.rows) {
      const tr = HW.el("tr");
      for (const v of row) tr.appendChild(HW.el("td", {}, v));
      body.appendChild(tr);
    }
    wrap.appendChild(tab);
    return wrap;
  }

  function render(rep) {
    const box = $("report");
    box.textContent = "";
    for (const s of rep.sections) {
      const sec = HW.el("section", { class: "report-section", id: `section-${s.key}` });
      sec.appendChild(HW.el("h3", {}, s.title));
      if (s.status !== "ok") sec.appendChild(HW.el("p", { class: "not-measurable" }, `Not measurable: ${s.reason}`));
      for (const p of s.paragraphs) sec.appendChild(HW.el("p", {}, p));
      for (const f of s.figures) {
        const fig = HW.el("figure", { class: "report-figure" });
        const img = HW.el("img", { alt: f.title });
        img.src = f.src; // a data: URI holding the SVG; images cannot run scripts
        fig.appendChild(HW.el("figcaption", { class: "chart-title" }, f.title));
        fig.appendChild(img);
        if (f.caption) fig.appendChild(HW.el("p", { class: "caption" }, f.caption));
        sec.appendChild(fig);
      }
      for (const t of s.tables) if (t.rows.length) sec.appendChild(table(t));
      if (s.references.length) {
        const refs = HW.el("ul", { class: "refs" });
        for (const r of s.references) refs.appendChild(HW.el("li", {}, r));
        sec.appendChild(refs);
      }
      box.appendChild(sec);
    }
    const claims = HW.el("section", { class: "report-section", id: "section-claims" });
    claims.appendChild(HW.el("h3", {}, "Claims and verdicts"));
    claims.appendChild(table(rep.claims));
    box.appendChild(claims);
    box.setAttribute("data-ready", "1");
  }

  async function report() {
    const bar = $("progress");
    for (;;) {
      let status, body;
      try {
        [status, body] = await json(`/api/report/${code}?${q}`);
      } catch (err) {
        bar.hidden = true;
        return say("report-status", `The report could not be computed: ${err.message}`, "error");
      }
      if (status === 200) {
        bar.hidden = true;
        say("report-status", "");
        return render(body);
      }
      bar.hidden = false;
      bar.max = body.total;
      bar.value = body.done;
      say("report-status", `${body.status === "queued" ? "Queued" : "Computing"}: ${body.step} (${body.done}/${body.total})`, "busy");
      await new Promise((r) => setTimeout(r, 700));
    }
  }

  series();
  report();
})();
