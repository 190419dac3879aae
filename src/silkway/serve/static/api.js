// api.js — the page's calls to silkway serve's JSON API (/api/v1), relative to the page,
// so the page works behind a path prefix. Errors come back as ApiError, built from the
// server's RFC 9457 problem+json (title, detail, matches for an unknown place).

const BASE = "api/v1/";

/** An error answer of the API: `status`, `title`, `detail` and the raw `problem`. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem ?? {};
  }
}

async function request(path, options = {}) {
  let response;
  try {
    response = await fetch(BASE + path, options);
  } catch (err) {
    if (err?.name === "AbortError") throw err; // superseded by a newer request
    throw new ApiError(0, { title: "network", detail: String(err) });
  }
  const type = response.headers.get("content-type") || "";
  const body = type.includes("json") ? await response.json() : await response.text();
  if (!response.ok) throw new ApiError(response.status, typeof body === "object" ? body : { detail: body });
  return body;
}

/** The rows of a place search (`q` in any language), best match first. */
export async function searchPlaces(q, { limit = 8, signal } = {}) {
  const params = new URLSearchParams({ q, limit: String(limit) });
  const body = await request(`places?${params}`, { signal });
  return Array.isArray(body) ? body : (body.places ?? []);
}

/** The `silkway.plan/1` document for a query (the body of POST /plan). */
export function plan(query) {
  return request("plan", {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(query),
  });
}

/** The corridor network as a GeoJSON FeatureCollection (links and places). */
export function network() {
  return request("network.geojson");
}

/** The country outlines as a GeoJSON FeatureCollection. */
export function basemap() {
  return request("basemap.geojson");
}

/** The scenarios the server can plan under (an empty list if it serves none). */
export async function scenarios() {
  try {
    const body = await request("scenarios");
    return Array.isArray(body) ? body : (body.scenarios ?? []);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return [];
    throw err;
  }
}
