#!/usr/bin/env python3
"""Write synthetic news articles (about 5 KB each) about coalition meetings, for benchmarks.

Usage:  python scripts/generate_documents.py OUT_DIR [--count 1000] [--seed 7]

The articles are built from the project's own reference data (states, their leaders in
office on the date, capitals) with varied phrasings of attendance, pledges, declarations
and quotations, so extraction does real work on them. Each gets a <name>.meta.yaml sidecar.
The same seed gives the same files.
"""

from __future__ import annotations

import argparse
import random
from datetime import date, timedelta
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]

OPENINGS = [
    "{city}, {when} — Leaders of the coalition of the willing met in {city} today to discuss security guarantees for Ukraine.",
    "{city}, {when} — The coalition of the willing held a meeting in {city} today, its latest on support for Ukraine.",
]
FILLER = [
    "Analysts said the meeting showed how far the group had come since its first summit, although many "
    "questions about the size and the mandate of a future force remained open, and officials declined to "
    "give figures. The talks lasted several hours and ended with a press conference in the evening.",
    "Diplomats described the atmosphere as constructive. Much of the discussion was about how a ceasefire "
    "could be monitored, who would pay for it and how quickly any force could be put together once the "
    "fighting stops, a question on which governments have been cautious in public.",
    "The discussions come as negotiations over a settlement continue in several capitals. Officials stressed "
    "that nothing had been decided about deployments and that parliaments would have their say.",
]
PARAGRAPHS = [
    "The meeting brought together the leaders of {states}. {absent} was absent.",
    "Leaders from {states} attended in person, while {remote} joined by video link.",
    "Ambassadors from {states2} were also present.",
    "{leader}, the {adjective} leader, said the coalition was ready to deploy troops to Ukraine after a ceasefire.",
    "{country} announced €{amount} million in military support for Ukraine this year.",
    "{country} will not send troops to Ukraine, {leader} said, but it could help with training.",
    "\"We will keep the pressure on Moscow until there is a real peace,\" {leader} said.",
    "{leader} stressed that sanctions on Russia must not be lifted before a peace deal.",
    "The leaders of {two} signed a joint statement on monitoring a future ceasefire.",
    "{country} does not rule out sending soldiers once peace has been achieved, subject to a parliamentary vote.",
    "Analysts said the meeting showed how far the group had come since the first summit, although "
    "many questions about the size and the mandate of a future force remained open, and officials "
    "declined to give figures. The talks lasted several hours and ended with a press conference.",
]


OFFICES = {o["id"]: o for o in yaml.safe_load((ROOT / "graph/reference/offices.yaml").read_text())}
PEOPLE = yaml.safe_load((ROOT / "graph/reference/people.yaml").read_text())


def leaders_on(day: date) -> dict[str, str]:
    """State → name of a head of state or government in office on ``day``."""
    offices, result = OFFICES, {}
    for person in PEOPLE:
        for term in person.get("terms", []):
            office = offices.get(term["office"], {})
            start, end = term.get("start"), term.get("end")
            if office.get("kind") in ("head-of-state", "head-of-government") \
                    and (not start or str(start) <= day.isoformat()) and (not end or day.isoformat() < str(end)):
                result.setdefault(office["office_of"], person["name"])
    return result


def article(rng: random.Random, states: list[dict], day: date) -> str:
    leaders = leaders_on(day)
    named = [s for s in states if s["iso3"] in leaders]
    host = rng.choice([s for s in named if s.get("capital")])
    city = host["capital"].split(",")[0]
    when = f"{day.day} {day.strftime('%B')} {day.year}"
    lines = [f"Coalition leaders meet in {city}", "", rng.choice(OPENINGS).format(city=city.upper(), when=when)
             .replace(city.upper() + ",", city.upper() + ",", 1).replace(f"in {city.upper()}", f"in {city}")]
    while len("\n".join(lines)) < 4800:
        sample = rng.sample(named, 6)
        state = sample[0]
        lines.append("")
        if rng.random() < 0.5:
            lines.append(rng.choice(FILLER))
            continue
        lines.append(rng.choice(PARAGRAPHS).format(
            states=", ".join(s["name"] for s in sample[:4]) + " and " + sample[4]["name"],
            states2=", ".join(s["name"] for s in sample[3:5]) + " and " + sample[5]["name"],
            absent=sample[5]["name"], remote=sample[4]["name"], two=f"{sample[1]['name']} and {sample[2]['name']}",
            leader=leaders[state["iso3"]], adjective=(state.get("demonyms") or [state["name"]])[0],
            country=state["name"], amount=rng.randrange(50, 900, 50)))
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    states = yaml.safe_load((ROOT / "graph/reference/states.yaml").read_text())
    args.out.mkdir(parents=True, exist_ok=True)
    for number in range(args.count):
        day = date(2025, 3, 1) + timedelta(days=rng.randrange(300))
        name = f"generated-{number:05d}"
        (args.out / f"{name}.txt").write_text(article(rng, states, day), encoding="utf-8")
        meta = {"title": f"Generated article {number}", "issued": day.isoformat(), "type": "news-report",
                "url": f"https://generated.invalid/{name}"}
        (args.out / f"{name}.txt.meta.yaml").write_text(yaml.safe_dump(meta), encoding="utf-8")


if __name__ == "__main__":
    main()
