"""Static images for reports: a PNG of any view (taken in headless Chromium) and a timeline.

The timeline (matplotlib) shows membership growth — members of each coalition day by day,
from the membership claims — above meeting attendance: the participants present at each
meeting, coloured by meeting series.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

from .browser import chromium, open_view
from .export import replacing
from .networks import Facts, Scope


def screenshot(page_path: Path, png: Path, width: int = 1600, height: int = 1000) -> Path:
    """A PNG of a view page as Chromium draws it offline."""
    with chromium() as browser, replacing(png) as partial:
        opened = open_view(browser, page_path, width=width, height=height)
        opened.page.screenshot(path=str(partial), type="png")
    return png


def membership_steps(facts: Facts) -> dict[str, list[tuple[date, int]]]:
    """Coalition name → (day, members that day) at each day the count changes."""
    changes: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    seen = set()
    for m in facts.memberships:
        key = (m["coalition"], m["member"])
        if key in seen or not m.get("start"):
            continue    # a member counted once, however many sources date its joining
        seen.add(key)
        changes[m["coalition"]][m["start"]] += 1
        if m.get("end"):
            changes[m["coalition"]][m["end"]] -= 1
    steps = {}
    for coalition, by_day in changes.items():
        total, points = 0, []
        for day in sorted(by_day):
            total += by_day[day]
            points.append((date.fromisoformat(day), total))
        steps[facts.name(coalition)] = points
    return steps


def attendance_by_meeting(facts: Facts, scope: Scope) -> list[tuple[date, int, str]]:
    """(day, participants present, series name) for each meeting in scope."""
    present: dict[str, set[str]] = defaultdict(set)
    info: dict[str, tuple[str, str]] = {}
    for r in facts.participations:
        if not scope.admits(r["date"], r.get("series"), r["claim"], facts.weak):
            continue
        info[r["meeting"]] = (r["date"], facts.name(r.get("series")) or "no series")
        if r.get("attendance") != "attendance:absent":
            present[r["meeting"]].add(r["participant"])
    return sorted((date.fromisoformat(d), len(present[m]), s) for m, (d, s) in info.items())


def timeline(facts: Facts, png: Path, scope: Scope = Scope()) -> Path:
    """Membership growth above attendance per meeting, as one PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .views import PALETTE

    figure, (top, bottom) = plt.subplots(2, 1, figsize=(11, 7), sharex=True, gridspec_kw={"height_ratios": [1, 1.2]})
    for name, points in sorted(membership_steps(facts).items()):
        days, counts = zip(*points)
        top.step(days, counts, where="post", label=name, linewidth=2)
    top.set_ylabel("members")
    top.set_title(f"Membership growth and meeting attendance — {scope.describe()}")
    top.legend(loc="upper left", fontsize=8)
    top.grid(alpha=0.3)
    meetings = attendance_by_meeting(facts, scope)
    for number, series in enumerate(sorted({s for _, _, s in meetings})):
        chosen = [(d, n) for d, n, s in meetings if s == series]
        bottom.bar([d for d, _ in chosen], [n for _, n in chosen], width=3, label=series,
                   color=PALETTE[number % len(PALETTE)])
    bottom.set_ylabel("participants present")
    bottom.legend(loc="upper left", fontsize=8, ncol=2)
    bottom.grid(alpha=0.3)
    figure.autofmt_xdate()
    figure.tight_layout()
    with replacing(png) as partial:
        figure.savefig(partial, dpi=100, format="png", metadata={"Software": None})
    plt.close(figure)
    return png
