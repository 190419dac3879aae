// form.js — the plan form: place fields with autocomplete (any language, names shown in
// the interface language; an ARIA combobox driven by the keyboard too), the mode and
// country choices, and the query sent to POST /api/v1/plan.

import { searchPlaces } from "./api.js";
import { countryName, placeName, t } from "./i18n.js";

const MODES = ["rail", "road", "sea", "ferry", "air"];

/**
 * Autocomplete on `input` (role=combobox) with its `list` (role=listbox). The chosen
 * place is kept on the input (`input.dataset.id` and `chosen()`); typing clears it.
 */
export class PlaceField {
  constructor(input, list, status, getLang) {
    this.input = input;
    this.list = list;
    this.status = status;
    this.getLang = getLang;
    this.place = null;
    this.rows = [];
    this.active = -1;
    this.timer = 0;
    this.controller = null;
    input.addEventListener("input", () => {
      this.place = null;
      delete input.dataset.id;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.search(), 150);
    });
    input.addEventListener("keydown", (e) => this.onKey(e));
    input.addEventListener("blur", () => setTimeout(() => this.close(), 150));
    list.addEventListener("mousedown", (e) => e.preventDefault()); // keep focus on input
    list.addEventListener("click", (e) => {
      const li = e.target.closest("li[data-index]");
      if (li) this.choose(Number(li.dataset.index));
    });
  }

  /** The chosen place record, or null when the text was typed and not chosen. */
  chosen() {
    return this.place;
  }

  /** What to send for this field: the chosen place's id, else the typed text. */
  value() {
    return this.place?.id ?? this.input.value.trim();
  }

  /** Set the field to a place record (null clears it). */
  set(place) {
    this.place = place;
    if (place) this.input.dataset.id = place.id;
    else delete this.input.dataset.id;
    this.input.value = place ? placeName(place, this.getLang()) : "";
  }

  /** Show the chosen place's name in the current language (after a language switch). */
  relabel() {
    if (this.place) this.input.value = placeName(this.place, this.getLang());
  }

  async search() {
    const q = this.input.value.trim();
    if (!q) return this.close();
    this.controller?.abort();
    this.controller = new AbortController();
    try {
      this.rows = await searchPlaces(q, { limit: 8, signal: this.controller.signal });
    } catch (err) {
      if (err?.name === "AbortError") return;
      this.rows = [];
    }
    if (this.input.value.trim() === q) this.render();
  }

  render() {
    const lang = this.getLang();
    this.active = -1;
    this.list.replaceChildren();
    for (const [i, row] of this.rows.entries()) {
      const li = document.createElement("li");
      li.id = `${this.list.id}-${i}`;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.dataset.index = String(i);
      const name = document.createElement("span");
      name.textContent = placeName(row, lang);
      const other = [row.name_en, row.name_ru, row.name_zh].filter((n) => n && n !== name.textContent);
      const meta = document.createElement("small");
      meta.textContent = [t(lang, `kind.${row.kind}`), countryName(row.country, lang), other[0]]
        .filter(Boolean)
        .join(" · ");
      li.append(name, meta);
      this.list.append(li);
    }
    const open = this.rows.length > 0;
    this.list.hidden = !open;
    this.input.setAttribute("aria-expanded", String(open));
    this.input.removeAttribute("aria-activedescendant");
    this.status.textContent = open
      ? t(lang, "ac.count", { n: this.rows.length })
      : this.input.value.trim()
        ? t(lang, "ac.none")
        : "";
  }

  close() {
    this.list.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
  }

  choose(index) {
    const row = this.rows[index];
    if (!row) return;
    this.set(row);
    this.close();
  }

  highlight(index) {
    const items = [...this.list.children];
    if (!items.length) return;
    this.active = (index + items.length) % items.length;
    for (const [i, li] of items.entries()) li.setAttribute("aria-selected", String(i === this.active));
    this.input.setAttribute("aria-activedescendant", items[this.active].id);
    items[this.active].scrollIntoView({ block: "nearest" });
  }

  onKey(e) {
    const open = !this.list.hidden;
    if (e.key === "ArrowDown") {
      e.preventDefault();
      if (!open && this.rows.length) this.render();
      this.highlight(this.active + 1);
    } else if (e.key === "ArrowUp" && open) {
      e.preventDefault();
      this.highlight(this.active - 1);
    } else if (e.key === "Enter" && open) {
      e.preventDefault();
      this.choose(this.active >= 0 ? this.active : 0);
    } else if (e.key === "Escape" && open) {
      e.preventDefault();
      this.close();
    }
  }
}

function checkbox(name, value, text, checked) {
  const label = document.createElement("label");
  label.className = "chip";
  const box = document.createElement("input");
  box.type = "checkbox";
  box.name = name;
  box.value = value;
  box.checked = checked;
  const span = document.createElement("span");
  span.textContent = text;
  label.append(box, span);
  return label;
}

/** Fill the mode checkboxes (all allowed at first) in `lang`, keeping what is ticked. */
export function renderModes(container, modes, lang) {
  const ticked = new Set(
    [...container.querySelectorAll("input")].filter((b) => b.checked).map((b) => b.value),
  );
  const fresh = container.children.length === 0;
  container.replaceChildren(
    ...modes.map((m) => checkbox("modes", m, t(lang, `mode.${m}`), fresh || ticked.has(m))),
  );
}

/** Fill the countries-to-avoid checkboxes, sorted by name in `lang`, keeping the ticks. */
export function renderCountries(container, codes, lang) {
  const ticked = new Set(
    [...container.querySelectorAll("input")].filter((b) => b.checked).map((b) => b.value),
  );
  const named = codes.map((c) => [c, countryName(c, lang)]);
  named.sort((a, b) => a[1].localeCompare(b[1], lang));
  container.replaceChildren(...named.map(([c, n]) => checkbox("avoid", c, `${n} (${c})`, ticked.has(c))));
}

/** The modes of the network's links, in the page's usual order. */
export function networkModes(network) {
  const found = new Set(network.links.features.map((f) => f.properties.mode));
  return [...MODES.filter((m) => found.has(m)), ...[...found].filter((m) => !MODES.includes(m))];
}

/** The countries of the network's places (ISO codes, sorted). */
export function networkCountries(network) {
  return [...new Set(network.places.features.map((f) => f.properties.country).filter(Boolean))].sort();
}

function allTicked(form, name) {
  return [...form.querySelectorAll(`input[name="${name}"]`)].every((b) => b.checked);
}

/** The body of POST /api/v1/plan from the form's fields. */
export function readQuery(form, origin, destination) {
  const ticked = (name) => [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((b) => b.value);
  const query = {
    origin: origin.value(),
    destination: destination.value(),
    cargo: form.cargo.value.trim() || "1xFEU",
    depart: form.depart.value || undefined,
    sort: form.sort.value,
    // every mode ticked: leave it to the server (all modes, whatever the network has)
    modes: allTicked(form, "modes") ? undefined : ticked("modes"),
    avoid_countries: ticked("avoid"),
    include_planned: form.include_planned.checked,
    train: form.train.value,
  };
  const scenario = form.scenario.value;
  if (scenario) query.scenario = [scenario];
  return query;
}
