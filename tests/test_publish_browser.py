"""The site in a real headless Chromium (Debian's), driven by Selenium and Debian's ChromeDriver.

Opens the index from the running ``ibmkg site --serve``, follows links to a study, a finding
and an ontology term, checks the text and the pictures, that no page logs a console error,
and that every ``href`` and ``src`` of the visited pages resolves; screenshots go to
``build/screenshots/``. No browser is downloaded: without Chromium the test is skipped, and
with ``CI=true`` it fails.
"""

from __future__ import annotations

import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urldefrag

import pytest

from site_fixtures import BuiltSite, Served

_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
          "--disable-background-networking", "--disable-component-update", "--disable-sync",
          "--window-size=1280,1600")


@pytest.fixture()
def browser(chromium_paths: tuple[str, str]) -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium, chromedriver = chromium_paths
    with tempfile.TemporaryDirectory(prefix="ibmkg-chromium-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for flag in (*_FLAGS, f"--user-data-dir={profile}"):
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(options=options, service=Service(executable_path=chromedriver))
        try:
            yield driver
        finally:
            driver.quit()


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            status: int = response.status
            return status
    except urllib.error.HTTPError as err:
        return err.code


def _check_page(driver: object, served: Served, shots: Path, name: str,
                checked: set[str]) -> None:
    from selenium.webdriver.common.by import By

    driver.save_screenshot(str(shots / f"{name}.png"))  # type: ignore[attr-defined]
    errors = [entry for entry in driver.get_log("browser")  # type: ignore[attr-defined]
              if entry["level"] == "SEVERE"]
    assert errors == [], f"{name}: console errors {errors}"
    targets = [e.get_attribute("href") for e in driver.find_elements(  # type: ignore[attr-defined]
        By.CSS_SELECTOR, "[href]")]
    targets += [e.get_attribute("src") for e in driver.find_elements(  # type: ignore[attr-defined]
        By.CSS_SELECTOR, "[src]")]
    for target in targets:
        if not target or not target.startswith(served.base):
            continue  # external links are not followed: tests talk to 127.0.0.1 only
        url = urldefrag(target)[0]
        if url not in checked:
            checked.add(url)
            assert _status(url) == 200, f"{name}: broken link {target}"


def test_index_study_finding_and_ontology_term_in_chromium(
        browser: object, site_server: Served, built_site: BuiltSite) -> None:
    from selenium.webdriver.common.by import By

    driver: object = browser
    shots = built_site.layout.build / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    checked: set[str] = set()
    driver.get(site_server.base + "/")  # type: ignore[attr-defined]
    assert driver.current_url.endswith("/index.html")  # type: ignore[attr-defined]
    body = driver.find_element(By.TAG_NAME, "body").text  # type: ignore[attr-defined]
    assert "Table I, rebuilt from the graph" in body and "Stored questions" in body
    for picture in ("evidence-map.svg", "timeline.svg"):
        image = driver.find_element(By.CSS_SELECTOR, f'img[src="{picture}"]')  # type: ignore[attr-defined]
        assert driver.execute_script(  # type: ignore[attr-defined]
            "return arguments[0].complete && arguments[0].naturalWidth > 300", image)
        assert len(image.get_attribute("alt")) > 100
    _check_page(driver, site_server, shots, "index", checked)

    driver.find_element(By.LINK_TEXT, "Cherin et al. (7)").click()  # type: ignore[attr-defined]
    assert driver.find_element(By.TAG_NAME, "h1").text == "Cherin et al. 2002"  # type: ignore[attr-defined]
    _check_page(driver, site_server, shots, "study", checked)

    driver.find_element(By.LINK_TEXT, "Dysphagia ameliorated in all four patients").click()  # type: ignore[attr-defined]
    page = driver.find_element(By.TAG_NAME, "main").text  # type: ignore[attr-defined]
    assert "Dysphagia was ameliorated in all patients." in page
    assert "Table I, column Key results" in page
    _check_page(driver, site_server, shots, "finding", checked)

    driver.find_element(By.LINK_TEXT, "effect finding").click()  # type: ignore[attr-defined]
    assert driver.find_element(By.TAG_NAME, "h1").text == "effect finding"  # type: ignore[attr-defined]
    _check_page(driver, site_server, shots, "ontology-term", checked)
    driver.find_element(By.LINK_TEXT, "ontology documentation").click()  # type: ignore[attr-defined]
    assert "/ontology/doc.html#" in driver.current_url  # type: ignore[attr-defined]
    assert len(checked) > 100
    assert {p.name for p in shots.glob("*.png")} >= {"index.png", "study.png", "finding.png",
                                                      "ontology-term.png"}
