// results.js — the plan's options as a list with small comparable bars (time P50 and P90,
// cost, CO2e), borders and transshipments, and one option's leg-by-leg explanation:
// moving time, each wait with its reason, cost, CO2e and the source of each number.

import { date, duration, has, mass, num, placeName, t, usd } from "./i18n.js";

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  node.append(...children.filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

/** A place's name in `lang` from the network's places, else the name the plan gave. */
function nameOf(id, fallback, ctx) {
  const record = ctx.network.placeById.get(id)?.properties;
  return record ? placeName(record, ctx.lang) : fallback || id;
}

function bar(kind, label, value, max, text, p90) {
  const width = (v) => `${Math.max(2, (100 * v) / max).toFixed(1)}%`;
  const track = el("span", { class: "bar-track", "aria-hidden": "true" });
  track.append(el("span", { class: `bar-fill bar-${kind}`, style: `width:${width(value)}` }));
  if (p90 !== undefined) {
    track.append(el("span", { class: "bar-p90", style: `width:${width(p90)}` }));
  }
  return el(
    "div",
    { class: "bar" },
    el("span", { class: "bar-label", text: label }),
    track,
    el("span", { class: "bar-value", text }),
  );
}

/**
 * Render `plan` (silkway.plan/1) into the list `ol`; `onSelect(option)` runs when an
 * option is chosen (click, Enter or Space). Returns the option buttons.
 */
export function renderOptions(ol, plan, ctx, onSelect, selectedRank) {
  const { lang } = ctx;
  const options = plan.options ?? [];
  const maxHours = Math.max(...options.map((o) => o.total_hours.p90), 1);
  const maxCost = Math.max(...options.map((o) => o.cost_usd), 1);
  const maxCo2 = Math.max(...options.map((o) => o.co2e_kg.wtw), 1);
  ol.replaceChildren();
  for (const o of options) {
    const names = o.route.map((id, i) => nameOf(id, o.route_names?.[i], ctx));
    const modes = o.modes.map((m) => t(lang, `mode.${m}`)).join(" + ");
    const time = `${duration(o.total_hours.p50, lang)} · ${t(lang, "option.time.p90")} ${duration(o.total_hours.p90, lang)}`;
    const button = el(
      "button",
      {
        type: "button",
        class: "option",
        "aria-pressed": String(o.rank === selectedRank),
        "data-rank": o.rank,
      },
      el(
        "span",
        { class: "option-head" },
        el("span", { class: "option-rank", text: t(lang, "option.label", { rank: o.rank }) }),
        el("span", { class: "option-modes", text: modes }),
      ),
      el("span", { class: "option-route", text: names.join(" → ") }),
      el(
        "span",
        { class: "bars" },
        bar("time", `${t(lang, "option.time")} (${t(lang, "option.time.p50")})`, o.total_hours.p50, maxHours, time, o.total_hours.p90),
        bar("cost", t(lang, "option.cost"), o.cost_usd, maxCost, usd(o.cost_usd, lang)),
        bar("co2", t(lang, "option.co2"), o.co2e_kg.wtw, maxCo2, mass(o.co2e_kg.wtw, lang)),
      ),
      el(
        "span",
        { class: "option-facts" },
        el("span", { text: `${t(lang, "option.borders")}: ${num(o.borders.length, lang)}` }),
        el("span", { text: `${t(lang, "option.transshipments")}: ${num(o.transshipments, lang)}` }),
        el("span", { text: `${t(lang, "option.distance")}: ${num(o.distance_km, lang)} ${t(lang, "unit.km")}` }),
        o.planned_links?.length ? el("span", { class: "tag", text: t(lang, "option.planned") }) : null,
      ),
    );
    button.addEventListener("click", () => onSelect(o));
    ol.append(el("li", {}, button));
  }
}

function waitText(w, ctx) {
  const { lang } = ctx;
  const key = has(`wait.${w.code}`) ? `wait.${w.code}` : `wait.${w.reason}`;
  const where = w.where && !w.detail ? ` (${nameOf(w.where, "", ctx)})` : "";
  const extra = [w.detail, w.opening, w.closure, w.note].filter(Boolean).join("; ");
  return `${t(lang, key)}${where}: ${duration(w.hours, lang)}${extra ? ` — ${extra}` : ""}`;
}

function sourceItem(s, plan, ctx) {
  const { lang } = ctx;
  const record = plan.sources?.[s.source] ?? {};
  const kind = s.kind || record.kind || "";
  const title = record.title ? `${record.title}${record.date ? ` (${record.date})` : ""}` : "";
  return el(
    "li",
    {},
    el("code", { text: s.parameter }),
    " ← ",
    el("span", { class: `kind kind-${kind}`, text: t(lang, `source.kind.${kind}`) }),
    " ",
    el("code", { class: "source-id", title: title || null, text: s.source }),
    title ? el("span", { class: "source-title", text: ` — ${title}` }) : null,
  );
}

function legItem(leg, i, plan, ctx) {
  const { lang } = ctx;
  const from = nameOf(leg.from, leg.from_name, ctx);
  const to = nameOf(leg.to, leg.to_name, ctx);
  const waits = (leg.waits ?? []).filter((w) => w.hours > 0 || w.code === "service.storm");
  const head = el(
    "h3",
    {},
    el("span", { class: "leg-no", text: `${i + 1}.` }),
    ` ${from} → ${to}`,
  );
  const facts = el(
    "dl",
    { class: "leg-facts" },
    el("dt", { text: t(lang, "explain.mode") }),
    el("dd", {}, el("span", { class: `mode-dot mode-${leg.mode}`, "aria-hidden": "true" }), t(lang, `mode.${leg.mode}`), leg.service ? ` · ${t(lang, "explain.service")} ${leg.service}` : ""),
    el("dt", { text: t(lang, "explain.km") }),
    el("dd", { text: num(leg.km, lang) }),
    el("dt", { text: t(lang, "explain.moving") }),
    el("dd", { text: duration(leg.hours, lang) }),
    el("dt", { text: t(lang, "explain.wait") }),
    el("dd", { text: leg.wait_hours > 0 ? duration(leg.wait_hours, lang) : t(lang, "explain.nowait") }),
    el("dt", { text: t(lang, "explain.cost") }),
    el("dd", { text: usd(leg.cost_usd, lang) }),
    el("dt", { text: t(lang, "explain.co2") }),
    el("dd", { text: mass(leg.co2e_kg.wtw, lang) }),
  );
  const waitList = waits.length
    ? el("ul", { class: "waits" }, ...waits.map((w) => el("li", { text: waitText(w, ctx) })))
    : null;
  const sources = el(
    "details",
    { class: "sources" },
    el("summary", { text: `${t(lang, "explain.sources")} (${(leg.sources ?? []).length})` }),
    el("ul", {}, ...(leg.sources ?? []).map((s) => sourceItem(s, plan, ctx))),
  );
  return el("li", { class: "leg" }, head, facts, waitList, sources);
}

/** The leg-by-leg explanation of `option` into `body`; its heading into `heading`. */
export function renderExplanation(heading, body, option, plan, ctx) {
  const { lang } = ctx;
  heading.textContent = t(lang, "explain.heading", { rank: option.rank });
  const summary = el(
    "p",
    { class: "explain-summary" },
    `${t(lang, "option.time")}: ${duration(option.total_hours.p50, lang)} (${t(lang, "option.time.p90")} ${duration(option.total_hours.p90, lang)}) · `,
    `${t(lang, "option.cost")}: ${usd(option.cost_usd, lang)} · `,
    `${t(lang, "option.co2")}: ${mass(option.co2e_kg.wtw, lang)} · `,
    `${t(lang, "option.arrival")}: ${date(option.arrival?.p50, lang)}`,
  );
  const parts = [summary];
  if (option.borders?.length) {
    parts.push(
      el("h3", { class: "sub", text: t(lang, "explain.borders") }),
      el(
        "ul",
        { class: "plain" },
        ...option.borders.map((b) =>
          el("li", { text: `${b.name} (${nameOf(b.from, "", ctx)} → ${nameOf(b.to, "", ctx)}; ${(b.regimes ?? []).join(", ")})` }),
        ),
      ),
    );
  }
  if (option.transfers?.length) {
    parts.push(
      el("h3", { class: "sub", text: t(lang, "explain.transfers") }),
      el(
        "ul",
        { class: "plain" },
        ...option.transfers.map((x) => el("li", { text: `${nameOf(x.place, "", ctx)}: ${t(lang, `transfer.${x.kind}`)}` })),
      ),
    );
  }
  if (option.advisories?.length) {
    parts.push(
      el("h3", { class: "sub", text: t(lang, "explain.advisories") }),
      el(
        "ul",
        { class: "plain advisories" },
        ...option.advisories.map((a) => el("li", { class: `sev-${a.severity}`, text: `${a.severity}: ${a.text}` })),
      ),
    );
  }
  parts.push(el("ol", { class: "legs" }, ...(option.legs ?? []).map((leg, i) => legItem(leg, i, plan, ctx))));
  body.replaceChildren(...parts);
}
