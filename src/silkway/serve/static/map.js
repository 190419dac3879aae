// map.js — the MapLibre map: an offline basemap of country outlines (no tiles, glyphs or
// sprites, so no text layers: names show in HTML popups), the corridor links coloured by
// mode (planned ones dashed), the marked places, and the selected option's route.

import { Map as MapLibreMap, NavigationControl, Popup, ScaleControl } from "maplibre-gl";
import { countryName, num, placeName, t } from "./i18n.js";

/** Line colour of each mode (also the legend's). */
export const MODE_COLORS = {
  rail: "#b3412e",
  road: "#d98e04",
  sea: "#1f6fb2",
  ferry: "#0f9b8e",
  air: "#8a55b8",
  pipeline: "#6b7a3a",
};

/** Fill colour of each kind of marked place (also the legend's), in precedence order. */
export const PLACE_COLORS = {
  gauge_change: "#f2c230",
  seaport: "#1f6fb2",
  airport: "#8a55b8",
  border_crossing: "#d7263d",
  other: "#5c6670",
};

/** Ring colour of a border-crossing place, whatever its fill. */
export const BORDER_RING = "#d7263d";

const ROUTE_COLOR = "#e4007c";
const EMPTY = { type: "FeatureCollection", features: [] };

function truthy(value) {
  return value === true || value === "true" || value === 1;
}

/** The category a place is filled as (its first flag in PLACE_COLORS' order) and its
 * flags; a border crossing also gets a red ring (`_border`), so no flag hides another. */
function placeCategory(p) {
  const kind = p.place_kind || p.kind || "";
  const flags = {
    gauge_change: truthy(p.gauge_change) || truthy(p.is_gauge_change),
    border_crossing:
      truthy(p.border_crossing) || truthy(p.is_border_crossing) || kind === "border_crossing",
    seaport: truthy(p.seaport) || truthy(p.is_seaport) || kind === "seaport",
    airport: truthy(p.airport) || truthy(p.is_airport) || kind === "airport",
  };
  const found = Object.keys(PLACE_COLORS).find((k) => flags[k]);
  return { category: found ?? "other", flags };
}

/**
 * Split the network GeoJSON into links and places, indexed by id, with the properties
 * the layers use (`_planned`, `_cat`) added.
 */
export function prepareNetwork(geojson) {
  const links = [];
  const places = [];
  const linkById = new Map();
  const placeById = new Map();
  for (const f of geojson.features ?? []) {
    const p = { ...f.properties };
    if (f.geometry?.type === "Point") {
      p.place_kind = p.place_kind || p.kind;
      const { category, flags } = placeCategory(p);
      p._cat = category;
      p._flags = Object.keys(flags).filter((k) => flags[k]).join(" ");
      p._border = flags.border_crossing;
      const feature = { ...f, id: undefined, properties: p };
      places.push(feature);
      placeById.set(p.id, feature);
    } else if (f.geometry) {
      p._planned = p.status === "planned";
      const feature = { ...f, id: undefined, properties: p };
      links.push(feature);
      linkById.set(p.id, feature);
    }
  }
  return {
    links: { type: "FeatureCollection", features: links },
    places: { type: "FeatureCollection", features: places },
    linkById,
    placeById,
  };
}

function style(basemap) {
  return {
    version: 8,
    sources: { basemap: { type: "geojson", data: basemap } },
    layers: [
      { id: "sea", type: "background", paint: { "background-color": "#d6e6f0" } },
      {
        id: "countries",
        type: "fill",
        source: "basemap",
        paint: { "fill-color": "#f7f4ec", "fill-outline-color": "#b9b4a6" },
      },
      {
        id: "borders",
        type: "line",
        source: "basemap",
        paint: { "line-color": "#a9a395", "line-width": 0.6 },
      },
    ],
  };
}

const modeColor = ["match", ["get", "mode"], ...Object.entries(MODE_COLORS).flat(), "#555"];
const placeColor = ["match", ["get", "_cat"], ...Object.entries(PLACE_COLORS).flat(), "#555"];

/**
 * The map in `container`, drawn over `basemap`, with `network` (from prepareNetwork).
 * `getLang` returns the interface language for popups. Resolves once the map is loaded.
 */
export function createMap(container, { basemap, network, getLang }) {
  const map = new MapLibreMap({
    container,
    style: style(basemap),
    bounds: extent(network.places.features.map((f) => f.geometry.coordinates)) ?? [[-10, 20], [130, 60]],
    fitBoundsOptions: { padding: 24 },
    minZoom: 1,
    maxZoom: 12,
    attributionControl: { compact: true, customAttribution: t(getLang(), "attribution") },
  });
  map.addControl(new NavigationControl({ showCompass: false }), "top-right");
  map.addControl(new ScaleControl({ unit: "metric" }), "bottom-left");

  return new Promise((resolve, reject) => {
    map.once("error", (e) => reject(e.error ?? e));
    map.on("load", () => {
      addLayers(map, network);
      attachPopups(map, network, getLang);
      resolve(map);
    });
  });
}

function addLayers(map, network) {
  map.addSource("links", { type: "geojson", data: network.links });
  map.addSource("places", { type: "geojson", data: network.places });
  map.addSource("route", { type: "geojson", data: EMPTY });
  map.addLayer({
    id: "links-operational",
    type: "line",
    source: "links",
    filter: ["!", ["get", "_planned"]],
    layout: { "line-cap": "round", "line-join": "round" },
    paint: {
      "line-color": modeColor,
      "line-width": ["interpolate", ["linear"], ["zoom"], 2, 1.4, 6, 3],
      "line-opacity": ["match", ["get", "mode"], "air", 0.3, 0.85],
    },
  });
  map.addLayer({
    id: "links-planned",
    type: "line",
    source: "links",
    filter: ["get", "_planned"],
    layout: { "line-join": "round" },
    paint: {
      "line-color": modeColor,
      "line-width": ["interpolate", ["linear"], ["zoom"], 2, 1.6, 6, 3.2],
      "line-dasharray": [2, 1.5],
    },
  });
  map.addLayer({
    id: "route-casing",
    type: "line",
    source: "route",
    filter: ["==", ["geometry-type"], "LineString"],
    layout: { "line-cap": "round", "line-join": "round" },
    paint: { "line-color": "#ffffff", "line-width": 9, "line-opacity": 0.9 },
  });
  map.addLayer({
    id: "route-line",
    type: "line",
    source: "route",
    filter: ["==", ["geometry-type"], "LineString"],
    layout: { "line-cap": "round", "line-join": "round" },
    paint: { "line-color": ROUTE_COLOR, "line-width": 5 },
  });
  map.addLayer({
    id: "places",
    type: "circle",
    source: "places",
    paint: {
      "circle-color": placeColor,
      "circle-radius": [
        "interpolate", ["linear"], ["zoom"],
        2, ["match", ["get", "_cat"], "other", 2.2, 3.6],
        6, ["match", ["get", "_cat"], "other", 4, 6.5],
      ],
      "circle-stroke-color": ["case", ["get", "_border"], BORDER_RING, "#ffffff"],
      "circle-stroke-width": [
        "case", ["get", "_border"], 2, ["match", ["get", "_cat"], "other", 0.6, 1.2],
      ],
    },
  });
  map.addLayer({
    id: "route-places",
    type: "circle",
    source: "route",
    filter: ["==", ["geometry-type"], "Point"],
    paint: {
      "circle-color": "#ffffff",
      "circle-radius": ["match", ["get", "role"], "end", 7, 4.5],
      "circle-stroke-color": ROUTE_COLOR,
      "circle-stroke-width": ["match", ["get", "role"], "end", 3.5, 2],
    },
  });
}

function escapeHtml(text) {
  return String(text ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function linkHtml(p, network, lang) {
  const from = network.placeById.get(p.from)?.properties;
  const to = network.placeById.get(p.to)?.properties;
  const name =
    from && to ? `${placeName(from, lang)} – ${placeName(to, lang)}` : placeName(p, lang) || p.id;
  const status = p._planned
    ? `${t(lang, "link.status.planned")}${p.open_year ? `, ${t(lang, "link.opens", { year: p.open_year })}` : ""}`
    : t(lang, "link.status.operational");
  const rows = [
    `${escapeHtml(t(lang, `mode.${p.mode}`))} · ${escapeHtml(status)}`,
    p.km ? `${num(p.km, lang)} ${escapeHtml(t(lang, "unit.km"))}` : "",
    p.gauge_mm ? `${num(p.gauge_mm, lang)} mm` : "",
  ].filter(Boolean);
  return `<strong>${escapeHtml(name)}</strong><br>${rows.join(" · ")}<br><code>${escapeHtml(p.id)}</code>`;
}

function placeHtml(p, lang) {
  const flags = (p._flags || "").split(" ").filter(Boolean).map((f) => t(lang, `flag.${f}`));
  const kind = t(lang, `kind.${p.place_kind}`);
  const parts = [kind, countryName(p.country, lang), ...flags.filter((f) => f !== kind)];
  return `<strong>${escapeHtml(placeName(p, lang))}</strong><br>${escapeHtml([...new Set(parts)].join(" · "))}<br><code>${escapeHtml(p.id)}</code>`;
}

function attachPopups(map, network, getLang) {
  const popup = new Popup({ closeButton: false, closeOnClick: false, maxWidth: "280px" });
  const layers = ["places", "route-places", "links-operational", "links-planned"];
  const show = (e) => {
    const hit = map.queryRenderedFeatures(e.point, { layers })[0];
    if (!hit) {
      popup.remove();
      map.getCanvas().style.cursor = "";
      return;
    }
    map.getCanvas().style.cursor = "pointer";
    const p = hit.properties;
    const lang = getLang();
    let html;
    if (hit.layer.id === "route-places") {
      const place = network.placeById.get(p.id)?.properties;
      html = place ? placeHtml(place, lang) : escapeHtml(p.id);
    } else {
      html = hit.layer.id === "places" ? placeHtml(p, lang) : linkHtml(p, network, lang);
    }
    popup.setLngLat(e.lngLat).setHTML(html).addTo(map);
  };
  map.on("mousemove", show);
  map.on("click", show);
  map.getCanvas().addEventListener("mouseleave", () => popup.remove());
}

function near(a, b) {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

/**
 * The route of a plan option as GeoJSON: each leg's line (the network link's geometry,
 * in travel order; a straight line where the network has none) and the places it passes.
 */
export function routeFeatures(option, network) {
  const features = [];
  const coordsOf = (id) => network.placeById.get(id)?.geometry.coordinates;
  for (const [i, leg] of (option.legs ?? []).entries()) {
    const a = coordsOf(leg.from);
    const b = coordsOf(leg.to);
    let line = network.linkById.get(leg.link)?.geometry.coordinates;
    if (line && a && near(line[0], a) > near(line[line.length - 1], a)) line = [...line].reverse();
    if (!line && a && b) line = [a, b];
    if (!line) continue;
    features.push({
      type: "Feature",
      geometry: { type: "LineString", coordinates: line },
      properties: { seq: i + 1, mode: leg.mode, link: leg.link ?? "" },
    });
  }
  const route = option.route ?? [];
  for (const [i, id] of route.entries()) {
    const c = coordsOf(id);
    if (!c) continue;
    const role = i === 0 || i === route.length - 1 ? "end" : "via";
    features.push({ type: "Feature", geometry: { type: "Point", coordinates: c }, properties: { id, role } });
  }
  return { type: "FeatureCollection", features };
}

/** The `[[west, south], [east, north]]` of `[lon, lat]` points (null for none). */
function extent(coords) {
  if (!coords.length) return null;
  let [w, s, e, n] = [180, 90, -180, -90];
  for (const [x, y] of coords) [w, s, e, n] = [Math.min(w, x), Math.min(s, y), Math.max(e, x), Math.max(n, y)];
  return [[w, s], [e, n]];
}

/** Draw `option`'s route (null: none) and fit the view to it, leaving `overlayRight`
 * pixels on the right free (the explanation panel, where it covers the map). */
export function showRoute(map, option, network, { overlayRight = 0 } = {}) {
  const data = option ? routeFeatures(option, network) : EMPTY;
  map.getSource("route").setData(data);
  const coords = data.features.flatMap((f) =>
    f.geometry.type === "Point" ? [f.geometry.coordinates] : f.geometry.coordinates,
  );
  const bounds = extent(coords);
  if (!bounds) return;
  const width = map.getContainer().clientWidth;
  const side = Math.min(overlayRight, width / 2);
  const pad = width < 500 ? 24 : 48;
  map.fitBounds(bounds, {
    padding: { top: pad, bottom: pad, left: pad, right: pad + side },
    duration: 0,
    maxZoom: 7,
  });
}
