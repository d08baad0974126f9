"""The report in a real browser: headless Debian chromium loads it from disk.

Checks: no console error, no request other than the report's own file:// URL, every figure
rendered (as an SVG with a size), hostile statement text shown as text and absent from the
DOM as elements, and a screenshot written. Skipped when chromium or playwright is missing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def page_report(prk_report, tmp_path_factory):
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (apt-get install chromium)")
    rep, out, _ = prk_report
    shot = tmp_path_factory.mktemp("screens") / "report.png"
    console, requests, errors = [], [], []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.on("console", lambda m: console.append((m.type, m.text)))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("request", lambda r: requests.append(r.url))
            page.on("dialog", lambda d: (errors.append(f"dialog: {d.message}"), d.dismiss()))
            page.goto(out.resolve().as_uri(), wait_until="load")
            page.wait_for_timeout(300)
            dom = {
                "figures": page.locator("figure.hw-figure").count(),
                "svgs": page.locator("figure.hw-figure > svg").count(),
                "sized": page.evaluate(
                    "Array.from(document.querySelectorAll('figure.hw-figure > svg'))"
                    ".filter(s => s.getBoundingClientRect().width > 100"
                    " && s.getBoundingClientRect().height > 50).length"
                ),
                "scripts": page.locator("script").count(),
                "imgs": page.locator("img").count(),
                "handlers": page.evaluate(
                    "Array.from(document.querySelectorAll('*')).filter(e => "
                    "Array.from(e.attributes).some(a => a.name.startsWith('on'))).length"
                ),
                "text": page.inner_text("body"),
                "sections": page.locator("section.report-section").count(),
            }
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
    return rep, out, shot, console, requests, errors, dom


def test_no_console_errors(page_report):
    *_, console, _, errors, _ = page_report
    assert [m for m in console if m[0] in ("error", "warning")] == []
    assert errors == []


def test_no_network_requests(page_report):
    _, out, _, _, requests, _, _ = page_report
    assert requests == [out.resolve().as_uri()]


def test_all_figures_present(page_report):
    rep, *_, dom = page_report
    expected = sum(len(s.figures) for s in rep.sections)
    assert expected >= 4
    assert dom["figures"] == dom["svgs"] == dom["sized"] == expected
    assert dom["sections"] == len(rep.sections)


def test_hostile_text_is_text(page_report, malicious_title):
    *_, dom = page_report
    assert malicious_title in dom["text"]  # shown literally
    assert dom["scripts"] == 0 and dom["imgs"] == 0 and dom["handlers"] == 0


def test_screenshot_written(page_report):
    shot = page_report[2]
    assert shot.exists() and shot.stat().st_size > 10_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
