"""What every browser test shares: the two screen sizes people use, the
screenshots reviewers read in ``docs/screenshots/``, and the accessibility
check (axe-core, through axe-playwright-python) every public page must pass.
"""

import os
import re
from pathlib import Path

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
SIZES = {"phone": PHONE, "desktop": DESKTOP}

REPO = Path(__file__).resolve().parent.parent
# `make screenshots` sets SCREENSHOTS=docs so the pictures land in docs/;
# an ordinary run keeps them under var/ and leaves the checkout unchanged.
SCREENSHOT_DIR = (
    REPO / "docs" / "screenshots"
    if os.environ.get("SCREENSHOTS") == "docs"
    else REPO / "var" / "screenshots"
)

SERIOUS = {"serious", "critical"}


def new_page(browser, size="phone", locale="zh-CN"):
    """A fresh context at one of the two sizes; close it with page.context.close()."""
    context = browser.new_context(
        viewport=SIZES[size],
        locale=locale,
        is_mobile=size == "phone",
        has_touch=size == "phone",
        device_scale_factor=1,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def shoot(page, name):
    """Save a full-page screenshot as <name>-<width>.png and return its path."""
    width = page.viewport_size["width"]
    slug = re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-")
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{slug}-{width}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def serious_violations(page):
    """axe-core's serious and critical violations on the page as it is now,
    as readable lines (rule, impact, the first offending elements)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    lines = []
    for violation in results.response["violations"]:
        if violation.get("impact") in SERIOUS:
            targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
            lines.append(f"{violation['id']} ({violation['impact']}): {targets}")
    return lines


def assert_accessible(page):
    problems = serious_violations(page)
    assert not problems, f"axe-core on {page.url}:\n" + "\n".join(problems)
