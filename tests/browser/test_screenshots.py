"""docs/screenshots.py, which makes the docs' screenshots from the running app: run into a temporary folder for a
shot at each size, each PNG real (the viewport's size, not blank, a map drawn on it) and small."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CHROMIUM, ROOT

pytestmark = pytest.mark.browser

if not Path(CHROMIUM).exists():
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)

SHOTS = {"plan-wangcang-390": (390, 844), "guide-2-core": (1440, 900)}


@pytest.mark.slow
def test_the_screenshot_script_writes_real_pngs(tmp_path):
    from PIL import Image

    subprocess.run([sys.executable, "docs/screenshots.py", "--out", str(tmp_path), "--only", *SHOTS],
                   cwd=ROOT, check=True, timeout=600)
    assert sorted(p.stem for p in tmp_path.glob("*.png")) == sorted(SHOTS)
    for name, size in SHOTS.items():
        path = tmp_path / f"{name}.png"
        img = Image.open(path)
        assert img.size == size, (name, img.size)
        assert path.stat().st_size < 250_000, (name, path.stat().st_size)  # a palette PNG, not megabytes
        rgb = img.convert("RGB")
        colours = rgb.getcolors(maxcolors=1 << 16) or []
        assert len(colours) > 30, (name, len(colours))  # not a blank or single-colour page
        # the map drawn: the core's red outline (#cb181d-ish) somewhere in the picture
        assert any(r > 150 and g < 80 and b < 80 for _, (r, g, b) in colours), name


def test_every_shot_the_docs_show_is_one_the_script_makes():
    """The docs link only shots the script writes (so rerunning it refreshes all of them), and each is in docs/img."""
    spec = importlib.util.spec_from_file_location("screenshots", ROOT / "docs" / "screenshots.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks its module up
    spec.loader.exec_module(module)
    made = {shot.name for shot in module.SHOTS}
    shown = set()
    for doc in [ROOT / "README.md", *(ROOT / "docs").glob("*.md")]:
        shown |= set(re.findall(r"img/([\w-]+)\.png", doc.read_text(encoding="utf-8")))
    assert shown and shown <= made, shown - made
    assert all((ROOT / "docs" / "img" / f"{name}.png").is_file() for name in made)
