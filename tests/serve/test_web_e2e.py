"""End-to-end tests of silkway serve's web page in headless Chromium.

A real ``silkway serve`` runs in a subprocess on a free loopback port; Playwright for
Python drives Debian's ``/usr/bin/chromium`` (no ``playwright install``). Every test
fails if the page requests a URL that is not on that server, logs a console error or
throws. The expected figures come from the API itself (``/api/v1/places`` and the
``silkway.plan/1`` document the page received), never from the page's own output.
Screenshots go to ``test-output/web/`` (gitignored) for people to look at.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "test-output" / "web"
LAPTOP = {"width": 1366, "height": 860}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 60_000


def _load_bench() -> ModuleType:
    """``benchmarks/web.py``: its server and Chromium settings are these tests' too."""
    spec = importlib.util.spec_from_file_location("web_bench", ROOT / "benchmarks" / "web.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BENCH = _load_bench()
CHROMIUM: Path = BENCH.CHROMIUM

if not CHROMIUM.exists():  # .ci/run installs it; elsewhere say how to get it
    if os.environ.get("CI"):
        raise RuntimeError(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)", allow_module_level=True)
playwright_sync = pytest.importorskip("playwright.sync_api")


def _get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """The base URL of a ``silkway serve`` started for these tests."""
    OUT.mkdir(parents=True, exist_ok=True)
    try:
        with BENCH.running_server(log=OUT / "server.log") as base:
            yield base
    except RuntimeError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_sync.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=BENCH.CHROMIUM_ARGS)
        yield b
        b.close()


class Guard:
    """What a page did that it must not: requests off the server, console errors."""

    def __init__(self, base: str) -> None:
        self.host = urlsplit(base).netloc
        self.foreign: list[str] = []
        self.errors: list[str] = []

    def request(self, request: Any) -> None:
        url = request.url
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob"):
            return
        if parts.scheme not in ("http", "https") or parts.netloc != self.host:
            self.foreign.append(url)

    def console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text}")

    def page_error(self, error: Any) -> None:
        self.errors.append(f"pageerror: {error}")

    def check(self) -> None:
        assert not self.foreign, f"the page requested URLs outside the server: {self.foreign}"
        assert not self.errors, f"the page logged errors: {self.errors}"


def _open(browser: Any, base: str, viewport: dict[str, int], query: str = "") -> tuple[Any, Guard]:
    guard = Guard(base)
    context = browser.new_context(viewport=viewport, locale="en-GB", timezone_id="UTC")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.on("request", guard.request)
    page.on("console", guard.console)
    page.on("pageerror", guard.page_error)
    page.goto(base + query)
    page.wait_for_selector("body[data-ready='true']")
    return page, guard


@pytest.fixture
def laptop(browser: Any, server: str) -> Iterator[tuple[Any, Guard]]:
    page, guard = _open(browser, server, LAPTOP)
    yield page, guard
    page.context.close()
    guard.check()


@pytest.fixture
def phone(browser: Any, server: str) -> Iterator[tuple[Any, Guard]]:
    page, guard = _open(browser, server, PHONE)
    yield page, guard
    page.context.close()
    guard.check()


def _place(base: str, q: str) -> dict[str, Any]:
    """The best match of a place search, straight from the API."""
    rows = _get_json(base + "api/v1/places?" + urllib.parse.urlencode({"q": q, "limit": 1}))
    rows = rows["places"] if isinstance(rows, dict) else rows
    assert rows, q
    place: dict[str, Any] = rows[0]
    return place


def _choose(page: Any, field: str, text: str, *, keyboard: bool = True) -> None:
    """Type ``text`` into a place field and take the first suggestion."""
    page.fill(f"#{field}", "")
    page.type(f"#{field}", text, delay=20)
    page.wait_for_selector(f"#{field}-list li")
    if keyboard:
        page.press(f"#{field}", "ArrowDown")
        page.press(f"#{field}", "Enter")
    else:
        page.click(f"#{field}-list li >> nth=0")
    page.wait_for_selector(f"#{field}[data-id]", state="attached")


def _plan(page: Any, origin: str, destination: str) -> dict[str, Any]:
    """Plan with the form; the ``silkway.plan/1`` document the page received."""
    _choose(page, "origin", origin)
    _choose(page, "destination", destination, keyboard=False)
    page.fill("#depart", "2026-12-07")
    with page.expect_response(lambda r: r.url.endswith("/api/v1/plan")) as answer:
        page.click("#submit")
    assert answer.value.status == 200, answer.value.text()
    plan: dict[str, Any] = answer.value.json()
    assert plan["schema"] == "silkway.plan/1"
    page.wait_for_selector("#options .option")
    return plan


def _route_on_map(page: Any) -> dict[str, Any]:
    info: dict[str, Any] = page.evaluate(
        """() => {
          const map = window.silkway.map;
          const data = map.getSource('route').serialize().data;
          return {
            lines: data.features.filter((f) => f.geometry.type === 'LineString')
                                .map((f) => f.geometry.coordinates),
            points: data.features.filter((f) => f.geometry.type === 'Point')
                                 .map((f) => f.properties.id),
          };
        }"""
    )
    return info


def _close(a: list[float], b: list[float], tol: float = 0.05) -> bool:
    return abs(a[0] - b[0]) <= tol and abs(a[1] - b[1]) <= tol


def test_page_shows_the_network_offline(laptop: tuple[Any, Guard], server: str) -> None:
    page, _ = laptop
    counts = page.evaluate(
        """() => {
          const map = window.silkway.map;
          const n = (layers) => map.queryRenderedFeatures({layers}).length;
          const shown = map.queryRenderedFeatures({layers: ['places']});
          const cats = new Set(shown.map((f) => f.properties._cat));
          if (shown.some((f) => f.properties._border)) cats.add('border ring');
          return {operational: n(['links-operational']), planned: n(['links-planned']),
                  places: n(['places']), countries: n(['countries']), cats: [...cats]};
        }"""
    )
    network = _get_json(server + "api/v1/network.geojson")
    links = [f for f in network["features"] if f["geometry"]["type"] != "Point"]
    assert counts["operational"] > 0 and counts["places"] > 0 and counts["countries"] > 0
    if any(f["properties"]["status"] == "planned" for f in links):
        assert counts["planned"] > 0, "planned links are drawn (dashed)"
    marks = {
        "border_crossing": "border ring",
        "gauge_change": "gauge_change",
        "seaport": "seaport",
        "airport": "airport",
    }
    for flag, mark in marks.items():
        if any(f["properties"].get(flag) for f in network["features"]):
            assert mark in counts["cats"], f"places flagged {flag} are marked"
    # every control has a name a screen reader can read
    unnamed = page.evaluate(
        """() => [...document.querySelectorAll('input, select, button, [role=combobox]')]
            .filter((el) => el.offsetParent !== null || el.closest('details'))
            .filter((el) => !(el.labels?.length || el.getAttribute('aria-label')
                               || el.getAttribute('aria-labelledby') || el.textContent.trim()))
            .map((el) => el.outerHTML.slice(0, 80))"""
    )
    assert unnamed == []
    # hovering a link shows its names in a popup
    box = page.locator("#map canvas").bounding_box()
    assert box is not None
    shown = False
    for x in range(int(box["x"]) + 200, int(box["x"] + box["width"]) - 50, 7):
        page.mouse.move(x, box["y"] + box["height"] * 0.45)
        if page.locator(".maplibregl-popup").count():
            shown = True
            break
    assert shown, "hovering the network shows a popup"
    assert page.locator(".maplibregl-popup code").inner_text().strip()
    page.screenshot(path=OUT / "network.png")


def test_plan_xian_to_istanbul_shows_options_and_route(
    laptop: tuple[Any, Guard], server: str
) -> None:
    page, _ = laptop
    plan = _plan(page, "Xi'an", "Istanbul")
    options = plan["options"]
    assert options, "the bundled network joins Xi'an and Istanbul"
    assert page.locator("#options .option").count() == len(options)
    # each option shows its P50 and P90 time, cost and CO2e bars
    assert page.locator("#options .option >> nth=0 >> .bar").count() == 3
    origin, destination = _place(server, "Xi'an"), _place(server, "Istanbul")
    assert plan["query"]["origin"]["id"] == origin["id"]
    assert plan["query"]["destination"]["id"] == destination["id"]
    # the first option's route is on the map: one line per leg, from origin to destination
    route = _route_on_map(page)
    first = options[0]
    assert len(route["lines"]) == len(first["legs"])
    assert route["points"] == first["route"]
    assert _close(route["lines"][0][0], [origin["lon"], origin["lat"]])
    assert _close(route["lines"][-1][-1], [destination["lon"], destination["lat"]])
    for a, b in zip(route["lines"], route["lines"][1:], strict=False):
        assert _close(a[-1], b[0]), "legs join end to start"
    # drawn, not only handed to the map (its worker tiles the data asynchronously)
    page.wait_for_function(
        "window.silkway.map.queryRenderedFeatures({layers: ['route-line']}).length > 0"
    )
    page.screenshot(path=OUT / "plan.png")


def test_explanation_gives_waits_and_sources(laptop: tuple[Any, Guard], server: str) -> None:
    page, _ = laptop
    plan = _plan(page, "Xi'an", "Istanbul")
    option = plan["options"][-1]
    button = page.locator(f"#options .option[data-rank='{option['rank']}']")
    button.focus()
    page.keyboard.press("Enter")
    panel = page.locator("#explain")
    panel.wait_for(state="visible")
    assert button.get_attribute("aria-pressed") == "true"
    assert str(option["rank"]) in page.locator("#explain-heading").inner_text()
    legs = panel.locator("li.leg")
    assert legs.count() == len(option["legs"])
    for i, leg in enumerate(option["legs"]):
        item = legs.nth(i)
        shown_sources = item.locator(".sources li")
        assert shown_sources.count() == len(leg["sources"])
        text = item.inner_text() + item.locator(".sources").text_content()
        for s in leg["sources"]:
            assert s["source"] in text and s["parameter"] in text
        for w in leg["waits"]:
            if w["hours"] > 0 and w.get("detail"):
                assert w["detail"] in text, f"leg {i + 1}: the reason of a wait"
    # the map shows the chosen option's route
    route = _route_on_map(page)
    assert route["points"] == option["route"]
    page.screenshot(path=OUT / "explanation.png")
    page.keyboard.press("Escape")
    assert not panel.is_visible()


def test_language_switch_to_russian_and_chinese(laptop: tuple[Any, Guard], server: str) -> None:
    page, _ = laptop
    plan = _plan(page, "Xi'an", "Istanbul")
    english = {
        sel: page.locator(sel).inner_text()
        for sel in ("#submit", "label[for=origin]", "#results-heading", ".subtitle")
    }
    origin = _place(server, "Xi'an")
    destination = _place(server, "Istanbul")
    scripts = {"ru": re.compile("[А-Яа-яЁё]"), "zh": re.compile("[\u4e00-\u9fff]")}
    for lang in ("ru", "zh"):
        page.select_option("#lang", lang)
        assert page.evaluate("document.documentElement.lang").startswith(lang)
        for sel, text in english.items():
            now = page.locator(sel).inner_text()
            assert now != text and scripts[lang].search(now), (lang, sel, now)
        # the place names are the network's names in that language
        assert page.input_value("#origin") == origin[f"name_{lang}"]
        assert page.input_value("#destination") == destination[f"name_{lang}"]
        route_text = page.locator("#options .option >> nth=0 >> .option-route").inner_text()
        assert route_text.startswith(origin[f"name_{lang}"])
        assert route_text.endswith(destination[f"name_{lang}"])
        assert page.locator("#options .option").count() == len(plan["options"])
        page.locator("#options .option >> nth=0").click()
        heading = page.locator("#explain-heading").inner_text()
        assert scripts[lang].search(heading)
        page.screenshot(path=OUT / f"lang-{lang}.png")
    page.select_option("#lang", "en")
    assert page.locator("#submit").inner_text() == english["#submit"]


def test_phone_width_by_keyboard(phone: tuple[Any, Guard], server: str) -> None:
    page, _ = phone
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "no sideways scrolling at phone width"
    _choose(page, "origin", "Xi'an")
    _choose(page, "destination", "Istanbul")
    page.fill("#depart", "2026-12-07")
    page.focus("#cargo")
    with page.expect_response(lambda r: r.url.endswith("/api/v1/plan")) as answer:
        page.keyboard.press("Enter")  # submits the form
    plan = answer.value.json()
    page.wait_for_selector("#options .option")
    assert page.locator("#options .option").count() == len(plan["options"])
    map_box = page.locator("#map").bounding_box()
    assert map_box is not None and 0 < map_box["width"] <= PHONE["width"]
    assert map_box["height"] >= 250
    assert _route_on_map(page)["points"] == plan["options"][0]["route"]
    # a focused control shows a visible focus ring
    page.focus("#submit")
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.locator("#options .option >> nth=0").click()
    page.locator("#explain").wait_for(state="visible")
    page.screenshot(path=OUT / "phone.png", full_page=True)


def test_unknown_place_offers_the_closest_matches(laptop: tuple[Any, Guard], server: str) -> None:
    page, guard = laptop
    _choose(page, "origin", "Xi'an")
    page.fill("#destination", "Istanbol")  # typed, not chosen
    page.press("#destination", "Escape")
    with page.expect_response(lambda r: r.url.endswith("/api/v1/plan")) as answer:
        page.click("#submit")
    problem = answer.value.json()
    assert answer.value.status >= 400
    # the browser logs the failed request itself; nothing else may be logged
    status = answer.value.status
    guard.errors[:] = [e for e in guard.errors if f"status of {status}" not in e]
    error = page.locator("#form-error")
    error.wait_for(state="visible")
    assert problem["detail"] in error.inner_text()
    matches = [m for m in problem.get("matches", []) if isinstance(m, str)]
    assert matches, "the API lists the closest matches"
    assert error.locator("button.match").all_inner_texts() == matches
    assert page.get_attribute("#destination", "aria-invalid") == "true"
    # a suggestion puts its place into the field
    error.locator("button.match >> nth=0").click()
    page.wait_for_selector("#destination[data-id]", state="attached")
    chosen = page.get_attribute("#destination", "data-id")
    assert chosen and f"({chosen})" in matches[0]
    assert page.input_value("#destination") == _place(server, chosen)["name_en"]
    assert error.is_hidden()
    page.screenshot(path=OUT / "unknown-place.png")


def test_form_options_reach_the_plan(laptop: tuple[Any, Guard], server: str) -> None:
    """Countries to avoid, modes, planned links, sort order, train type and scenario go
    into the request, and the plan the server answers follows them."""
    page, _ = laptop
    listed = _get_json(server + "api/v1/scenarios")
    names = [s["name"] for s in listed["scenarios"] if s["name"] != "baseline"]
    _choose(page, "origin", "Xi'an")
    _choose(page, "destination", "Istanbul")
    page.fill("#depart", "2026-12-07")
    page.select_option("#sort", "cost")
    page.uncheck("#modes input[value='air']")
    page.check("#include-planned")
    page.click(".more summary")
    page.check("#avoid input[value='RU']")
    page.select_option("#train", "block")
    if names:
        assert page.is_visible("#scenario")
        page.select_option("#scenario", names[0])
    with page.expect_response(lambda r: r.url.endswith("/api/v1/plan")) as answer:
        page.click("#submit")
    sent = answer.value.request.post_data_json
    plan = answer.value.json()
    assert answer.value.status == 200, plan
    assert sent["avoid_countries"] == ["RU"] and sent["sort"] == "cost"
    assert "air" not in sent["modes"] and "rail" in sent["modes"]
    assert sent["include_planned"] is True and sent["train"] == "block"
    query = plan["query"]
    assert query["avoid_countries"] == ["RU"] and query["sort"] == "cost"
    assert query["include_planned"] is True and query["train"] == "block"
    assert plan["network"]["scenarios"] == names[:1]
    for option in plan["options"]:
        assert "RU" not in option["countries"]
        assert "air" not in option["modes"]
    assert page.locator("#options .option").count() == len(plan["options"])
    # with no mode allowed the page asks for one and sends nothing
    for box in page.locator("#modes input").all():
        box.uncheck()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.click("#submit")
    error = page.locator("#form-error")
    assert error.is_visible() and error.inner_text().strip()
    assert not [u for u in requests if u.endswith("/api/v1/plan")]
