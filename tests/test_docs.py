"""The README stays true: its set-up commands, every CLI command, the credits."""

import re
from pathlib import Path

from geodata.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_setup_commands():
    block = re.search(r"```bash\n(.*?)```", README, re.S).group(1).strip().splitlines()
    assert "streamlit run dashboard/app.py" in block[0] and "scripts/setup.sh" in block[0]
    assert "pytest" in block[1] and "scripts/setup.sh" in block[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "scripts/setup.sh --browser" in ci and "pytest" in ci


def test_readme_shows_every_cli_command():
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    for name in sub.choices:
        assert f"python3 -m geodata {name}" in README, f"README misses the {name} command"


def test_readme_credits_the_data():
    for needle in ("GeoNames", "CC BY 4.0", "Natural Earth", "1:10m"):
        assert needle in README


def test_readme_names_every_dashboard_page():
    app = (ROOT / "dashboard" / "main.py").read_text(encoding="utf-8")
    titles = re.findall(r'st\.Page\([^)]*?title="([^"]+)"', app)
    assert titles, "no st.Page titles found in dashboard/main.py"
    for title in titles:
        assert f"**{title}**" in README, f"README misses the dashboard page {title!r}"


def test_readme_layout_names_every_module():
    """A newcomer finds every module from the README's layout table (ARCHITECTURE.md has the map)."""
    layout = README[README.index("## Layout"):README.index("## The dashboard")]
    for package in ("geodata", "dashboard"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if path.name in ("__init__.py", "__main__.py") or "views" in path.parts:
                continue
            assert f"`{path.name}`" in layout, f"README's layout table misses {path.relative_to(ROOT)}"
    assert (ROOT / "ARCHITECTURE.md").is_file()
