"""The HTML story player in a real browser: Debian's chromium, headless, driven by selenium.
Opens an exported story, presses the keys a presentation clicker sends and clicks the buttons,
and checks that the visible step and caption change and that the console has no error.

Marked ``browser``; skipped where chromium or chromedriver is absent (Debian:
``apt install chromium chromium-driver``)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cld_editor.analysis.story_gen import story_from_loops
from cld_editor.formats.native import load_diagram

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "resources" / "examples" / "experience-loop.cld.json"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")


@pytest.fixture
def browser():
    if not (CHROMIUM and DRIVER):
        pytest.skip("chromium and chromedriver are not installed")
    webdriver = pytest.importorskip("selenium.webdriver")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,860"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(DRIVER))
    try:
        yield driver
    finally:
        driver.quit()


def visible_step(driver) -> tuple[str, str]:
    sections = driver.find_elements("css selector", "section.step")
    shown = [s for s in sections if s.is_displayed()]
    assert len(shown) == 1, "exactly one step is visible"
    return shown[0].get_attribute("id"), shown[0].find_element("css selector", "p.caption").text


def test_the_player_steps_with_keys_and_buttons_without_console_errors(browser, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    from cld_editor.ui.story.story_export import write_story

    diagram = load_diagram(EXAMPLE)
    out = tmp_path / "story.html"
    write_story(diagram, story_from_loops(diagram), out)
    browser.get(out.as_uri())
    counter = browser.find_element("id", "counter")
    assert visible_step(browser) == ("step-1", "R1 Turnover spiral: reinforcing")
    assert counter.text == "1 / 3"
    keys = ActionChains(browser)
    keys.send_keys(Keys.ARROW_RIGHT).perform()
    assert visible_step(browser) == ("step-2", "R2 Virtuous cycle: reinforcing")
    assert counter.text == "2 / 3"
    ActionChains(browser).send_keys(Keys.SPACE).perform()
    assert visible_step(browser) == ("step-3", "B1 Workload squeeze: balancing")
    ActionChains(browser).send_keys(Keys.PAGE_DOWN).perform()  # past the end: stays
    assert visible_step(browser)[0] == "step-3"
    assert browser.find_element("id", "next").get_attribute("disabled") == "true"
    ActionChains(browser).send_keys(Keys.ARROW_LEFT).perform()
    assert visible_step(browser)[0] == "step-2"
    browser.find_element("id", "prev").click()
    assert visible_step(browser)[0] == "step-1"
    browser.find_element("id", "next").click()
    assert visible_step(browser)[0] == "step-2"
    ActionChains(browser).send_keys(Keys.END).perform()
    browser.find_element("id", "prev").click()  # to step 2, the button keeps its place
    ActionChains(browser).send_keys(Keys.SPACE).perform()  # steps once, not also presses Prev
    assert visible_step(browser)[0] == "step-3"
    ActionChains(browser).send_keys(Keys.END).perform()
    assert visible_step(browser)[0] == "step-3"
    ActionChains(browser).send_keys(Keys.HOME).perform()
    assert visible_step(browser)[0] == "step-1"
    svg = browser.find_element("css selector", "section.step:not([hidden]) svg")
    assert svg.size["width"] > 400 and svg.size["height"] > 200  # the picture is shown
    errors = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
    assert errors == []


def test_the_player_opens_at_the_step_in_the_address(browser, tmp_path):
    from cld_editor.ui.story.story_export import write_story

    diagram = load_diagram(EXAMPLE)
    out = tmp_path / "story.html"
    write_story(diagram, story_from_loops(diagram), out)
    browser.get(out.as_uri() + "#3")
    assert visible_step(browser)[0] == "step-3"
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
