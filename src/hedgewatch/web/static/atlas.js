// hedgewatch atlas page: the world map coloured by position between two powers, a year
// slider, a tooltip, the year's movers; a click opens the state (its page on the server, a
// panel in the offline file). Data arrive as JSON and are inserted as text only.
"use strict";
(function () {
  const HW = window.HW;
  const $ = (id) => document.getElementById(id);
  const config = JSON.parse($("hw-config").textContent);
  const offline = config.mode === "offline";
  const NO_DATA = "#d0d0d0";
  const color = d3.scaleDiverging(d3.interpolateRdBu).domain([-1, 0, 1]);
  const state = { a: config.a, b: config.b, measure: config.measure, year: config.year, payload: null };
  let features = [];
  let paths = null;

  const status = (text, kind) => {
    const s = $("status");
    s.textContent = text || "";
    s.className = kind || "";
    s.hidden = !text;
  };

  function inline(id) {
    const node = $(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  // -- data --------------------------------------------------------------------------
  const offlinePairs = offline ? inline("hw-data") : null;

  function mirror(p) {
    // The same atlas seen from the other side: position negated, A and B swapped.
    const neg = (arr) => arr.map((v) => (v === null ? null : -v));
    const series = {};
    for (const [code, s] of Object.entries(p.series)) {
      series[code] = Object.assign({}, s, {
        position: neg(s.position),
        position_lo: neg(s.position_hi),
        position_hi: neg(s.position_lo),
        agree_A: s.agree_B, agree_A_lo: s.agree_B_lo, agree_A_hi: s.agree_B_hi,
        agree_B: s.agree_A, agree_B_lo: s.agree_A_lo, agree_B_hi: s.agree_A_hi,
        side_A: s.side_B, side_B: s.side_A,
      });
    }
    const [A, B] = p.powers;
    const movers = p.movers.map((m) => Object.assign({}, m, {
      before: -m.before, after: -m.after, size: -m.size,
    }));
    return Object.assign({}, p, { powers: [B, A], series, movers });
  }

  async function loadPayload(a, b, measure) {
    if (offline) {
      const key = `${a}|${b}|${measure}`;
      const rev = `${b}|${a}|${measure}`;
      if (offlinePairs[key]) return offlinePairs[key];
      if (offlinePairs[rev]) return mirror(offlinePairs[rev]);
      throw new Error(`This file holds no atlas for ${a} and ${b}; export it with --between ${a} ${b}.`);
    }
    const q = new URLSearchParams({ a, b, measure });
    const r = await fetch(`/api/atlas?${q}`);
    const body = await r.json();
    if (!r.ok) throw new Error(body.error || `HTTP ${r.status}`);
    return body;
  }

  async function loadGeometry() {
    const topo = offline ? inline("hw-geometry") : await (await fetch("/static/countries-110m.json")).json();
    return topojson.feature(topo, topo.objects.countries).features;
  }

  // -- map ---------------------------------------------------------------------------
  function drawMap() {
    const box = $("map");
    const width = Math.max(480, Math.min(box.clientWidth || 900, 1100));
    const height = Math.round(width * 0.5);
    const svg = d3.select(box).select("svg").attr("viewBox", `0 0 ${width} ${height}`).attr("width", width).attr("height", height);
    const projection = d3.geoNaturalEarth1().fitSize([width, height], { type: "FeatureCollection", features });
    const path = d3.geoPath(projection);
    paths = svg
      .select("g.countries")
      .selectAll("path")
      .data(features)
      .join("path")
      .attr("class", "country")
      .attr("d", path)
      .attr("stroke", "#ffffff")
      .attr("stroke-width", 0.5)
      .on("pointerenter pointermove", (event, f) => tooltip(event, f))
      .on("pointerleave", () => ($("tooltip").hidden = true))
      .on("click", (event, f) => open(codeOf(f)));
  }

  const codeOf = (f) => (state.payload && state.payload.ids[String(f.id)]) || "";

  function colour() {
    const p = state.payload;
    const i = p.years.indexOf(state.year);
    const [A, B] = p.powers;
    paths
      .attr("data-iso3", (f) => codeOf(f))
      .attr("data-position", (f) => {
        const s = p.series[codeOf(f)];
        const v = s ? s.position[i] : null;
        return v === null || v === undefined ? "" : String(v);
      })
      .attr("fill", (f) => {
        const code = codeOf(f);
        if (code === A.code) return "#67001f";
        if (code === B.code) return "#053061";
        const s = p.series[code];
        const v = s ? s.position[i] : null;
        return v === null || v === undefined ? NO_DATA : color(v);
      })
      .classed("power", (f) => codeOf(f) === A.code || codeOf(f) === B.code);
    d3.select("#map svg").attr("data-year", String(state.year));
  }

  function legend() {
    const [A, B] = state.payload.powers;
    const box = $("legend");
    box.textContent = "";
    const bar = HW.el("div", { class: "legend-bar" });
    const svg = d3.select(bar).append("svg").attr("width", 260).attr("height", 14);
    const grad = svg.append("defs").append("linearGradient").attr("id", "legend-gradient");
    for (let k = 0; k <= 10; k++)
      grad.append("stop").attr("offset", `${k * 10}%`).attr("stop-color", color(-1 + k / 5));
    svg.append("rect").attr("width", 260).attr("height", 14).attr("fill", "url(#legend-gradient)");
    const events = state.payload.count === "n_days";
    const verb = events ? "cooperates with" : "votes as";
    const hint = $("hint");
    if (hint)
      hint.textContent = events
        ? "Hover a country for its event position (95% block-bootstrap interval over days), its net cooperation with each power and their shares of its event volume; click it to open it."
        : "Hover a country for its position (95% bootstrap interval over roll calls), agreement with each power, free agency and side-taking; click it to open it.";
    box.appendChild(HW.el("span", {}, `-1 ${verb} ${A.name}`));
    box.appendChild(bar);
    box.appendChild(HW.el("span", {}, `+1 ${verb} ${B.name}`));
    const nd = HW.el("span", { class: "legend-nodata" }, "grey: no data");
    box.appendChild(nd);
  }

  function tooltip(event, f) {
    const tip = $("tooltip");
    const p = state.payload;
    const code = codeOf(f);
    const i = p.years.indexOf(state.year);
    const [A, B] = p.powers;
    tip.textContent = "";
    const name = p.names[code] || (f.properties && f.properties.name) || "unknown";
    tip.appendChild(HW.el("strong", { class: "tip-name" }, code ? `${name} (${code})` : name));
    const s = p.series[code];
    const line = (text) => tip.appendChild(HW.el("div", {}, text));
    if (code === A.code || code === B.code) line(`one of the two powers (${state.year})`);
    else if (!s || s.position[i] === null) line(`no position in ${state.year}`);
    else {
      line(`position ${HW.fmt(s.position[i])} [${HW.fmt(s.position_lo[i])}, ${HW.fmt(s.position_hi[i])}] in ${state.year}`);
      if (s.n_days) {
        // the events measure: net cooperation and share of the state's event volume
        line(`net cooperation with ${A.name} ${HW.fmt(s.value_A[i], 3)}, with ${B.name} ${HW.fmt(s.value_B[i], 3)} (of its event volume)`);
        line(`share of its events: ${A.name} ${HW.pct(s.share_A[i])}, ${B.name} ${HW.pct(s.share_B[i])}, neither ${HW.pct(s.other_share[i])}`);
        line(`${s.n_days[i]} days with an event with either power`);
      } else {
        line(`agreement with ${A.name} ${HW.fmt(s.agree_A[i])}, with ${B.name} ${HW.fmt(s.agree_B[i])}`);
        line(`free agency ${HW.fmt(s.free_agency[i], 3)}; ${s.n_votes[i]} roll calls`);
        if (s.n_divided[i])
          line(`on ${s.n_divided[i]} votes dividing them: with ${A.name} ${HW.pct(s.side_A[i])}, with ${B.name} ${HW.pct(s.side_B[i])}, neither ${HW.pct(s.side_neither[i])}`);
      }
    }
    tip.hidden = false;
    const box = $("map").getBoundingClientRect();
    tip.style.left = `${Math.min(event.clientX - box.left + 14, box.width - 260)}px`;
    tip.style.top = `${event.clientY - box.top + 14}px`;
  }

  function movers() {
    const p = state.payload;
    const list = $("movers-list");
    list.textContent = "";
    $("movers-year").textContent = String(state.year);
    const rows = p.movers.filter((m) => m.period === state.year).sort((x, y) => Math.abs(y.size) - Math.abs(x.size)).slice(0, 10);
    if (!rows.length) list.appendChild(HW.el("li", { class: "none" }, "No stable shift starts this year."));
    for (const m of rows) {
      const li = HW.el("li", { "data-iso3": m.country });
      const a = HW.el("a", { href: "#" }, p.names[m.country] || m.country);
      a.addEventListener("click", (e) => {
        e.preventDefault();
        open(m.country);
      });
      li.appendChild(a);
      const since = m.earliest !== undefined && m.earliest < m.period ? ` (some time in ${m.earliest}-${m.period})` : "";
      li.appendChild(HW.el("span", { class: "mover-size" }, `${since} ${m.direction} by ${HW.fmt(Math.abs(m.size))} (${HW.fmt(m.before)} → ${HW.fmt(m.after)}; stability ${HW.pct(m.stability)})`));
      list.appendChild(li);
    }
  }

  function setYear(year) {
    state.year = year;
    $("year-label").textContent = String(year);
    colour();
    movers();
  }

  // -- opening a state ------------------------------------------------------------------
  function open(code) {
    const p = state.payload;
    if (!code || !p.series[code]) return;
    if (!offline) {
      const q = new URLSearchParams({ a: state.a, b: state.b, measure: state.measure });
      window.location.href = `/state/${encodeURIComponent(code)}?${q}`;
      return;
    }
    const view = $("state-view");
    view.hidden = false;
    view.textContent = "";
    view.setAttribute("data-iso3", code);
    view.appendChild(HW.el("h2", {}, `${p.names[code]} between ${p.powers[0].name} and ${p.powers[1].name}`));
    const close = HW.el("button", { type: "button", class: "close" }, "Back to the map");
    close.addEventListener("click", () => {
      view.hidden = true;
      $("map").scrollIntoView();
    });
    view.appendChild(close);
    const charts = HW.el("div", { class: "charts" });
    view.appendChild(charts);
    HW.stateCharts(charts, { years: p.years, series: p.series[code], powers: p.powers });
    view.scrollIntoView();
  }

  // -- controls -------------------------------------------------------------------------
  async function load() {
    status(offline ? "" : `Placing every state between ${state.a} and ${state.b}… (the first time takes a few seconds)`, "busy");
    try {
      state.payload = await loadPayload(state.a, state.b, state.measure);
    } catch (err) {
      status(err.message, "error");
      return;
    }
    const years = state.payload.years;
    if (!years.includes(state.year)) state.year = years[years.length - 1];
    const slider = $("year");
    slider.min = String(years[0]);
    slider.max = String(years[years.length - 1]);
    slider.value = String(state.year);
    $("power-a").value = state.a;
    $("power-b").value = state.b;
    $("measure").value = state.measure;
    legend();
    setYear(state.year);
    status("");
    document.body.setAttribute("data-ready", `${state.a}-${state.b}`);
    if (!offline) {
      const q = new URLSearchParams({ a: state.a, b: state.b, measure: state.measure, year: state.year });
      history.replaceState(null, "", `/?${q}`);
    }
  }

  function wire() {
    $("year").addEventListener("input", (e) => setYear(Number(e.target.value)));
    const change = () => {
      const a = $("power-a").value;
      const b = $("power-b").value;
      if (a === b) return status("Choose two different powers.", "error");
      state.a = a;
      state.b = b;
      state.measure = $("measure").value;
      load();
    };
    $("power-a").addEventListener("change", change);
    $("power-b").addEventListener("change", change);
    $("measure").addEventListener("change", change);
    $("swap").addEventListener("click", () => {
      const a = $("power-a").value;
      $("power-a").value = $("power-b").value;
      $("power-b").value = a;
      change();
    });
  }

  async function main() {
    try {
      features = await loadGeometry();
    } catch (err) {
      return status(`The map could not be loaded: ${err.message}`, "error");
    }
    drawMap();
    wire();
    await load();
  }
  main();
})();
