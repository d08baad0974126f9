// hedgewatch charts: interactive line charts (hover values, brush to zoom a time range).
// Every string from data is inserted with textContent; no inline styles or handlers in markup
// (the page's Content-Security-Policy forbids them); styles are set through the CSSOM.
"use strict";
(function (global) {
  const HW = global.HW || (global.HW = {});

  HW.el = function (tag, attrs, text) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  };

  HW.fmt = function (v, digits) {
    if (v === null || v === undefined || Number.isNaN(v)) return "n/a";
    return Number(v).toFixed(digits === undefined ? 2 : digits);
  };

  HW.pct = function (v) {
    return v === null || v === undefined ? "n/a" : Math.round(100 * v) + "%";
  };

  // lineChart(container, {years, series: [{key, label, color, values, lo, hi}], y: [min, max],
  //   yLabel, zero, height}) -> {setDomain([x0, x1]), node}
  HW.lineChart = function (container, spec) {
    const width = Math.max(320, Math.min(container.clientWidth || 720, 900));
    const height = spec.height || 240;
    const ctxHeight = 46;
    const m = { top: 12, right: 16, bottom: 26, left: 46 };
    const years = spec.years;
    const fig = HW.el("figure", { class: "hw-chart", "data-key": spec.key || "" });
    if (spec.title) fig.appendChild(HW.el("figcaption", { class: "chart-title" }, spec.title));
    container.appendChild(fig);
    const svg = d3
      .select(fig)
      .append("svg")
      .attr("viewBox", `0 0 ${width} ${height + ctxHeight + 18}`)
      .attr("width", width)
      .attr("height", height + ctxHeight + 18)
      .attr("role", "img")
      .attr("aria-label", spec.title || "chart");
    const full = d3.extent(years);
    const x = d3.scaleLinear().domain(full).range([m.left, width - m.right]);
    const x2 = d3.scaleLinear().domain(full).range([m.left, width - m.right]);
    const y = d3.scaleLinear().domain(spec.y).range([height - m.bottom, m.top]);
    const y2 = d3.scaleLinear().domain(spec.y).range([height + ctxHeight, height + 10]);
    const clipId = "clip-" + Math.random().toString(36).slice(2);
    svg
      .append("clipPath")
      .attr("id", clipId)
      .append("rect")
      .attr("x", m.left)
      .attr("y", m.top)
      .attr("width", width - m.left - m.right)
      .attr("height", height - m.top - m.bottom);
    const gx = svg.append("g").attr("transform", `translate(0,${height - m.bottom})`);
    const gy = svg.append("g").attr("transform", `translate(${m.left},0)`);
    gy.call(d3.axisLeft(y).ticks(5));
    if (spec.yLabel)
      svg
        .append("text")
        .attr("class", "axis-label")
        .attr("transform", `translate(12,${(height - m.bottom + m.top) / 2}) rotate(-90)`)
        .attr("text-anchor", "middle")
        .text(spec.yLabel);
    const plot = svg.append("g").attr("clip-path", `url(#${clipId})`);
    if (spec.zero !== undefined)
      plot
        .append("line")
        .attr("class", "zero")
        .attr("x1", m.left)
        .attr("x2", width - m.right)
        .attr("y1", y(spec.zero))
        .attr("y2", y(spec.zero));
    // Years without votes (a hole such as 2022-2024) break the lines and bands: a null
    // point between two years more than one apart.
    const withGaps = (rows) => {
      const out = [];
      rows.forEach((r, i) => {
        if (i > 0 && r[0] - rows[i - 1][0] > 1) out.push([rows[i - 1][0] + 1, null, null]);
        out.push(r);
      });
      return out;
    };
    const pts = (arr) => withGaps(years.map((yr, i) => [yr, arr ? arr[i] : null]));
    const ok = (d) => d[1] !== null && d[1] !== undefined;
    const bands = [];
    const lines = [];
    for (const s of spec.series) {
      if (s.lo && s.hi) {
        const band = withGaps(years.map((yr, i) => [yr, s.lo[i], s.hi[i]]));
        const area = plot
          .append("path")
          .datum(band)
          .attr("class", "band")
          .attr("fill", s.color)
          .attr("fill-opacity", 0.15);
        bands.push(area);
      }
      const line = plot
        .append("path")
        .datum(pts(s.values))
        .attr("class", "line")
        .attr("fill", "none")
        .attr("stroke", s.color)
        .attr("stroke-width", 1.8);
      lines.push(line);
    }
    // A year standing alone between holes (2025 after 2022-2024) makes no line segment: it
    // is drawn as a dot, with its interval as a bar.
    const missingRow = [0, null];
    const dots = [];
    for (const s of spec.series) {
      const rows = withGaps(
        years.map((yr, i) => [yr, s.values ? s.values[i] : null, s.lo ? s.lo[i] : null, s.hi ? s.hi[i] : null])
      );
      const single = rows.filter((d, i) => ok(d) && !ok(rows[i - 1] || missingRow) && !ok(rows[i + 1] || missingRow));
      const g = plot.append("g").attr("class", "alone");
      const withBar = single.filter((d) => d[2] !== null && d[3] !== null && d[2] !== undefined && d[3] !== undefined);
      const bar = g.selectAll("line").data(withBar).join("line").attr("stroke", s.color).attr("stroke-width", 2).attr("stroke-opacity", 0.35);
      const dot = g.selectAll("circle").data(single).join("circle").attr("r", 3).attr("fill", s.color);
      dots.push({ bar, dot });
    }
    const draw = () => {
      gx.call(d3.axisBottom(x).ticks(Math.min(10, x.domain()[1] - x.domain()[0] + 1)).tickFormat(d3.format("d")));
      for (const b of bands)
        b.attr(
          "d",
          d3
            .area()
            .defined((d) => d[1] !== null && d[2] !== null && d[1] !== undefined)
            .x((d) => x(d[0]))
            .y0((d) => y(d[1]))
            .y1((d) => y(d[2]))
        );
      for (const l of lines) l.attr("d", d3.line().defined(ok).x((d) => x(d[0])).y((d) => y(d[1])));
      for (const { bar, dot } of dots) {
        bar.attr("x1", (d) => x(d[0])).attr("x2", (d) => x(d[0])).attr("y1", (d) => y(d[2])).attr("y2", (d) => y(d[3]));
        dot.attr("cx", (d) => x(d[0])).attr("cy", (d) => y(d[1]));
      }
    };
    draw();
    // Legend
    const legend = HW.el("div", { class: "legend" });
    for (const s of spec.series) {
      const item = HW.el("span", { class: "legend-item" });
      const sw = HW.el("span", { class: "swatch" });
      sw.style.background = s.color;
      item.appendChild(sw);
      item.appendChild(document.createTextNode(s.label));
      legend.appendChild(item);
    }
    fig.appendChild(legend);
    // Hover: a rule and a readout of every series at the nearest year.
    const readout = HW.el("div", { class: "readout", "aria-live": "polite" });
    fig.appendChild(readout);
    const rule = plot.append("line").attr("class", "rule").attr("y1", m.top).attr("y2", height - m.bottom).attr("visibility", "hidden");
    const overlay = svg
      .append("rect")
      .attr("class", "hover-area")
      .attr("x", m.left)
      .attr("y", m.top)
      .attr("width", width - m.left - m.right)
      .attr("height", height - m.top - m.bottom)
      .attr("fill", "transparent");
    const show = (event) => {
      const [px] = d3.pointer(event);
      const yr = Math.round(x.invert(px));
      const i = years.indexOf(yr);
      if (i < 0) return;
      rule.attr("x1", x(yr)).attr("x2", x(yr)).attr("visibility", "visible");
      readout.textContent = "";
      readout.appendChild(HW.el("strong", {}, yr));
      for (const s of spec.series) {
        const v = s.values[i];
        let text = ` ${s.label}: ${s.percent ? HW.pct(v) : HW.fmt(v)}`;
        if (s.lo && s.hi && v !== null) text += ` [${HW.fmt(s.lo[i])}, ${HW.fmt(s.hi[i])}]`;
        readout.appendChild(HW.el("span", { class: "readout-item" }, text));
      }
      fig.setAttribute("data-hover-year", String(yr));
    };
    overlay.on("pointermove", show).on("pointerenter", show);
    overlay.on("pointerleave", () => rule.attr("visibility", "hidden"));
    // Overview strip with a brush: drag to zoom the time range; double-click to reset.
    const ctxG = svg.append("g").attr("class", "context");
    for (const s of spec.series)
      ctxG
        .append("path")
        .datum(pts(s.values))
        .attr("fill", "none")
        .attr("stroke", s.color)
        .attr("stroke-width", 1)
        .attr("d", d3.line().defined(ok).x((d) => x2(d[0])).y((d) => y2(d[1])));
    ctxG
      .append("g")
      .attr("transform", `translate(0,${height + ctxHeight})`)
      .call(d3.axisBottom(x2).ticks(6).tickFormat(d3.format("d")));
    const api = {
      node: fig,
      setDomain(domain) {
        const d = domain || full;
        x.domain(d);
        fig.setAttribute("data-domain", `${Math.round(d[0])}-${Math.round(d[1])}`);
        draw();
      },
    };
    const brush = d3
      .brushX()
      .extent([
        [m.left, height + 8],
        [width - m.right, height + ctxHeight],
      ])
      .on("end", (event) => {
        if (!event.selection) return api.setDomain(null);
        const [a, b] = event.selection.map(x2.invert);
        if (b - a >= 1) api.setDomain([a, b]);
      });
    const gb = ctxG.append("g").attr("class", "brush").call(brush);
    svg.on("dblclick", () => {
      gb.call(brush.move, null);
      api.setDomain(null);
    });
    fig.appendChild(HW.el("p", { class: "hint" }, "Hover for values; drag on the strip below to zoom a time range, double-click to reset."));
    api.setDomain(null);
    return api;
  };

  // The charts of one state between two powers: position, agreement, free agency, sides.
  HW.stateCharts = function (container, full) {
    // Only the years in which the state has a value (a member from 1991 starts in 1991).
    const events = Boolean(full.series.n_days);
    const counts = events ? full.series.n_days : full.series.n_votes;
    const have = counts.map((v, i) => (v === null ? -1 : i)).filter((i) => i >= 0);
    const i0 = have.length ? have[0] : 0;
    const i1 = have.length ? have[have.length - 1] + 1 : full.years.length;
    const s = {};
    for (const [k, v] of Object.entries(full.series)) s[k] = v.slice(i0, i1);
    const d = { years: full.years.slice(i0, i1), powers: full.powers };
    const [A, B] = d.powers;
    const red = "#c0392b";
    const blue = "#2264a8";
    const position = () =>
      HW.lineChart(container, {
        key: "position",
        title: `Position between ${A.name} (-1) and ${B.name} (+1)`,
        years: d.years,
        y: [-1.05, 1.05],
        zero: 0,
        yLabel: "position",
        series: [{ label: "position", color: "#1b1b1b", values: s.position, lo: s.position_lo, hi: s.position_hi }],
      });
    if (events) {
      const hi = d3.max([...s.value_A, ...s.value_B].filter((v) => v !== null).map(Math.abs)) || 0.1;
      return [
        position(),
        HW.lineChart(container, {
          key: "cooperation",
          title: "Net cooperation with each power, per unit of the state's event volume",
          years: d.years,
          y: [-Math.max(0.1, hi) * 1.05, Math.max(0.1, hi) * 1.05],
          zero: 0,
          yLabel: "net / volume",
          series: [
            { label: `with ${A.name}`, color: red, values: s.value_A },
            { label: `with ${B.name}`, color: blue, values: s.value_B },
          ],
        }),
        HW.lineChart(container, {
          key: "shares",
          title: "Share of the state's event volume",
          years: d.years,
          y: [0, 1.02],
          yLabel: "share of volume",
          series: [
            { label: `with ${A.name}`, color: red, values: s.share_A, percent: true },
            { label: `with ${B.name}`, color: blue, values: s.share_B, percent: true },
            { label: "with neither", color: "#7d8c2a", values: s.other_share, lo: s.other_share_lo, hi: s.other_share_hi, percent: true },
          ],
        }),
      ];
    }
    return [
      position(),
      HW.lineChart(container, {
        key: "agreement",
        title: "Agreement with each power",
        years: d.years,
        y: [0, 1.02],
        yLabel: "agreement",
        series: [
          { label: `with ${A.name}`, color: red, values: s.agree_A, lo: s.agree_A_lo, hi: s.agree_A_hi },
          { label: `with ${B.name}`, color: blue, values: s.agree_B, lo: s.agree_B_lo, hi: s.agree_B_hi },
        ],
      }),
      HW.lineChart(container, {
        key: "sides",
        title: `Side taken on the votes that divided ${A.name} and ${B.name}`,
        years: d.years,
        y: [0, 1.02],
        yLabel: "share of votes",
        series: [
          { label: `with ${A.name}`, color: red, values: s.side_A, percent: true },
          { label: `with ${B.name}`, color: blue, values: s.side_B, percent: true },
          { label: "with neither", color: "#7d8c2a", values: s.side_neither, percent: true },
        ],
      }),
      HW.lineChart(container, {
        key: "free",
        title: "Free agency (distance from the segment between the powers)",
        years: d.years,
        y: [0, Math.max(0.2, d3.max(s.free_agency_hi.filter((v) => v !== null)) || 0.2)],
        yLabel: "free agency",
        series: [{ label: "free agency", color: "#8e44ad", values: s.free_agency, lo: s.free_agency_lo, hi: s.free_agency_hi }],
      }),
    ];
  };
})(window);
