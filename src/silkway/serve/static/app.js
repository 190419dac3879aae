// app.js — the page's entry module: loads the network and basemap, builds the map and
// the form, sends plans and shows their options, and switches the interface language.
// The page's state lives in one object here; `window.silkway` exposes it for tests.

import * as api from "./api.js";
import { LANGUAGES, t, translatePage } from "./i18n.js";
import {
  PlaceField,
  networkCountries,
  networkModes,
  readQuery,
  renderCountries,
  renderModes,
} from "./form.js";
import { BORDER_RING, MODE_COLORS, PLACE_COLORS, createMap, prepareNetwork, showRoute } from "./map.js";
import { renderExplanation, renderOptions } from "./results.js";

const $ = (id) => document.getElementById(id);

const state = {
  lang: "en",
  network: null,
  map: null,
  plan: null,
  selected: null,
};

function initialLanguage() {
  const asked = new URLSearchParams(location.search).get("lang");
  if (LANGUAGES.includes(asked)) return asked;
  const saved = localStorage.getItem("silkway.lang");
  if (LANGUAGES.includes(saved)) return saved;
  const browser = (navigator.language || "en").slice(0, 2);
  return LANGUAGES.includes(browser) ? browser : "en";
}

function ctx() {
  return { lang: state.lang, network: state.network };
}

function renderLegend() {
  const { lang } = state;
  const item = (swatchClass, style, text) => {
    const li = document.createElement("li");
    const sw = document.createElement("span");
    sw.className = swatchClass;
    sw.setAttribute("aria-hidden", "true");
    sw.style.cssText = style;
    li.append(sw, document.createTextNode(text));
    return li;
  };
  const modes = state.network ? networkModes(state.network) : Object.keys(MODE_COLORS);
  $("legend-items").replaceChildren(
    ...modes.map((m) => item("sw-line", `background:${MODE_COLORS[m] ?? "#555"}`, t(lang, `mode.${m}`))),
    item("sw-line sw-dashed", "", t(lang, "legend.planned")),
    item("sw-line sw-route", "", t(lang, "legend.route")),
    item("sw-dot", `background:${PLACE_COLORS.border_crossing};border:2px solid ${BORDER_RING}`, t(lang, "flag.border_crossing")),
    ...["gauge_change", "seaport", "airport"].map((k) =>
      item("sw-dot", `background:${PLACE_COLORS[k]}`, t(lang, `flag.${k}`)),
    ),
  );
}

function renderResults() {
  const { lang, plan } = state;
  const status = $("results-status");
  if (!plan) return;
  const n = plan.options?.length ?? 0;
  const sortName = t(lang, `sort.${plan.query?.sort ?? "time"}`).toLowerCase();
  status.removeAttribute("data-i18n");
  status.textContent = n ? t(lang, "results.count", { n, sort: sortName }) : t(lang, "results.none");
  if (n && plan.complete === false) status.textContent += ` ${t(lang, "results.incomplete")}`;
  const notes = $("plan-warnings");
  notes.replaceChildren(
    ...(plan.warnings ?? []).map((w) => Object.assign(document.createElement("li"), { textContent: w })),
  );
  notes.hidden = notes.children.length === 0;
  renderOptions($("options"), plan, ctx(), selectOption, state.selected?.rank);
  if (state.selected) {
    renderExplanation($("explain-heading"), $("explain-body"), state.selected, plan, ctx());
  }
}

function selectOption(option) {
  state.selected = option;
  for (const b of document.querySelectorAll("#options .option")) {
    b.setAttribute("aria-pressed", String(Number(b.dataset.rank) === option.rank));
  }
  renderExplanation($("explain-heading"), $("explain-body"), option, state.plan, ctx());
  const panel = $("explain");
  panel.hidden = false;
  if (state.map) showRoute(state.map, option, state.network, { overlayRight: overlayWidth(panel) });
  panel.focus({ preventScroll: true });
  panel.scrollIntoView({ block: "nearest" });
}

/** How much of the map's right side `panel` covers (0 where it sits below the map). */
function overlayWidth(panel) {
  return getComputedStyle(panel).position === "absolute" ? panel.offsetWidth + 10 : 0;
}

function closeExplanation() {
  $("explain").hidden = true;
  const back = document.querySelector(`#options .option[data-rank="${state.selected?.rank}"]`);
  back?.focus();
}

/** Show `err` under the form: a string is the page's own message (a field to fill),
 * an ApiError the server's problem (with its closest matches for an unknown place). */
function showError(err, fields) {
  const box = $("form-error");
  const { lang } = state;
  box.replaceChildren();
  if (typeof err === "string") {
    box.textContent = err;
  } else if (err instanceof api.ApiError && err.status === 0) {
    box.textContent = t(lang, "error.network");
  } else {
    const detail = err?.problem?.detail || err?.problem?.title || err?.message || String(err);
    // a 4xx detail is written for users (unknown place, no route); anything else is ours
    box.textContent = err?.status >= 400 && err.status < 500 ? detail : t(lang, "error.generic", { detail });
    const matches = (err?.problem?.matches ?? []).filter((m) => typeof m === "string");
    if (matches.length) {
      // the field whose text the server could not place, else the first not chosen
      const asked = err.problem.query;
      const target =
        fields.find((f) => asked && f.value() === asked) ?? fields.find((f) => !f.chosen()) ?? fields[0];
      const p = document.createElement("p");
      p.append(`${t(lang, "error.matches")} `);
      for (const m of matches) {
        const b = document.createElement("button");
        b.type = "button";
        b.className = "match";
        b.textContent = m;
        b.addEventListener("click", () => pickMatch(target, m));
        p.append(b, " ");
      }
      box.append(p);
      target.input.setAttribute("aria-invalid", "true");
    }
  }
  box.hidden = false;
}

/** Put a match the server suggested ("Istanbul (TR_IST)") into `field`: the place of
 * that id if a search finds it, else the text, with its suggestions open. */
async function pickMatch(field, match) {
  const id = /\(([^()\s]+)\)$/.exec(match)?.[1];
  const rows = id ? await api.searchPlaces(id, { limit: 5 }).catch(() => []) : [];
  const place = rows.find((r) => r.id === id);
  field.set(place ?? null);
  field.input.focus();
  if (place) {
    field.input.removeAttribute("aria-invalid");
    $("form-error").hidden = true;
  } else {
    field.input.value = match;
    field.search();
  }
}

async function submitPlan(event, fields) {
  event.preventDefault();
  const form = event.target;
  const [origin, destination] = fields;
  $("form-error").hidden = true;
  for (const f of fields) {
    if (!f.value()) {
      f.input.setAttribute("aria-invalid", "true");
      showError(t(state.lang, "error.choose"), fields);
      f.input.focus();
      return;
    }
    f.input.removeAttribute("aria-invalid");
  }
  if (!form.querySelector('input[name="modes"]:checked')) {
    showError(t(state.lang, "error.modes"), fields);
    form.querySelector('input[name="modes"]')?.focus();
    return;
  }
  const button = $("submit");
  button.disabled = true;
  button.textContent = t(state.lang, "form.planning");
  form.setAttribute("aria-busy", "true");
  try {
    state.plan = await api.plan(readQuery(form, origin, destination));
    state.selected = null;
    $("explain").hidden = true;
    renderResults();
    const first = state.plan.options?.[0];
    if (first) {
      if (state.map) showRoute(state.map, first, state.network);
    } else if (state.map) {
      showRoute(state.map, null, state.network);
    }
    $("results").focus({ preventScroll: true });
  } catch (err) {
    showError(err, fields);
  } finally {
    button.disabled = false;
    button.textContent = t(state.lang, "form.submit");
    form.removeAttribute("aria-busy");
  }
}

function setLanguage(lang, fields) {
  state.lang = lang;
  localStorage.setItem("silkway.lang", lang);
  $("lang").value = lang;
  translatePage(document, lang);
  for (const f of fields) f.relabel();
  if (state.network) {
    renderModes($("modes"), networkModes(state.network), lang);
    renderCountries($("avoid"), networkCountries(state.network), lang);
  }
  updateAvoidSummary();
  renderLegend();
  renderResults();
}

function updateAvoidSummary() {
  const ticked = [...document.querySelectorAll('#avoid input:checked')].map((b) => b.value);
  $("avoid-summary").textContent = ticked.length ? ticked.join(", ") : t(state.lang, "form.avoid.none");
}

async function loadScenarios() {
  const list = await api.scenarios();
  const select = $("scenario");
  const none = document.createElement("option");
  none.value = "";
  none.dataset.i18n = "form.scenario.none";
  none.textContent = t(state.lang, "form.scenario.none");
  const rows = list
    .map((s) => (typeof s === "string" ? { name: s } : s))
    .filter((s) => s.name && s.name !== "baseline");
  select.replaceChildren(
    none,
    ...rows.map((s) => {
      const o = document.createElement("option");
      o.value = s.name;
      o.textContent = s.name;
      if (s.title) o.title = s.title;
      return o;
    }),
  );
  $("scenario-field").hidden = rows.length === 0;
}

async function main() {
  const fields = [
    new PlaceField($("origin"), $("origin-list"), $("ac-status"), () => state.lang),
    new PlaceField($("destination"), $("destination-list"), $("ac-status"), () => state.lang),
  ];
  $("depart").value = new Date().toISOString().slice(0, 10);
  $("lang").addEventListener("change", (e) => setLanguage(e.target.value, fields));
  $("plan-form").addEventListener("submit", (e) => submitPlan(e, fields));
  $("swap").addEventListener("click", () => {
    const [a, b] = fields.map((f) => [f.chosen(), f.input.value]);
    for (const [f, [place, text]] of [[fields[0], b], [fields[1], a]]) {
      f.set(place);
      if (!place) f.input.value = text;
    }
  });
  $("explain-close").addEventListener("click", closeExplanation);
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && !$("explain").hidden && !e.target.closest?.(".place-field")) {
      closeExplanation();
    }
  });
  $("avoid").addEventListener("change", updateAvoidSummary);
  setLanguage(initialLanguage(), fields);

  const [netJson, basemap] = await Promise.all([api.network(), api.basemap()]);
  state.network = prepareNetwork(netJson);
  setLanguage(state.lang, fields);
  loadScenarios().catch((err) => console.warn("scenarios:", err));
  state.map = await createMap($("map"), { basemap, network: state.network, getLang: () => state.lang });
  if (!state.map.loaded()) await new Promise((done) => state.map.once("idle", done));
  $("map-status").remove();
  window.silkway = { state, map: state.map };
  document.body.dataset.ready = "true";
}

main().catch((err) => {
  const status = $("map-status");
  if (status) status.textContent = t(state.lang, "error.generic", { detail: String(err?.message ?? err) });
  throw err;
});
