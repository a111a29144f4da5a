"""Consistency checks for the evaluation set in this folder (run from anywhere:
``python tests/data/eval/validate_gold.py``). Not a test module; it only checks the data:

- every YAML file parses; every gold file names an existing document;
- every id exists in graph/reference or graph/curated (states, organisations, coalitions, people,
  offices, curated meetings and declarations); every concept value is a slug in ontology/concepts.ttl;
- meeting ids used by participations and pledges are listed in the gold or curated;
- quoted evidence (office_attributions.text, mentions.text) occurs in the document body, before
  any comments section;
- office_attributions.correct and title mentions agree with the office terms in people.yaml at the
  document's publication date;
- metadata fields and the 300-900 word length of the documents we wrote.
Exit status 1 and a list of problems if anything fails.
"""
import html
import pathlib
import re
import sys

import yaml

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[2]
problems = []


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def concepts():
    text = (ROOT / "ontology/concepts.ttl").read_text(encoding="utf-8")
    schemes = {}
    for m in re.finditer(r'skos:notation "([^"]+)" ;\s*skos:inScheme concept:([\w-]+)', text):
        schemes.setdefault(m.group(2), set()).add(m.group(1))
    return schemes


C = concepts()
states = {s["iso3"] for s in load(ROOT / "graph/reference/states.yaml")}
orgs = {o["id"] for o in load(ROOT / "graph/reference/organizations.yaml")}
coalitions = {c["id"] for c in load(ROOT / "graph/reference/coalitions.yaml")}
people = {p["id"]: p for p in load(ROOT / "graph/reference/people.yaml")}
offices = {o["id"]: o for o in load(ROOT / "graph/reference/offices.yaml")}
publishers = {p["id"] for p in load(ROOT / "graph/reference/publishers.yaml")}
curated_meetings = {m["id"]: m for m in load(ROOT / "graph/curated/meetings.yaml")}
curated_decls = {d["id"]: d for d in load(ROOT / "graph/curated/declarations.yaml")}
agents = states | orgs | coalitions


def check(cond, msg):
    if not cond:
        problems.append(msg)


def as_list(v):
    return v if isinstance(v, list) else [v]


def holder(person, office, day):
    """True/False if the reference terms say whether person held office on day; None if undecidable."""
    terms = [t for t in people[person].get("terms", []) if t["office"] == office]
    for t in terms:
        start, end = t.get("start"), t.get("end")
        if (start is None or str(start) <= day) and (end is None or day < str(end)):
            return True
    return False


def body_of(doc_path, gold):
    raw = doc_path.read_text(encoding="utf-8")
    if doc_path.suffix == ".html":
        raw = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", raw)
        raw = re.sub(r'(?is)<section id="comments".*', " ", raw)
        raw = html.unescape(re.sub(r"<[^>]+>", " ", raw))
    else:
        for marker in ("Reader comments:", "MORE ON THE TOPIC:"):
            if marker in raw:
                raw = raw.split(marker)[0]
    return raw


for meta_path in sorted(HERE.glob("*.meta.yaml")):
    meta = load(meta_path)
    name = meta_path.name[: -len(".meta.yaml")]
    check(set(meta) <= {"title", "publisher", "url", "issued", "type", "language"}, f"{meta_path.name}: unknown keys")
    check(meta.get("title"), f"{meta_path.name}: no title")
    check(meta.get("type") in C["source-type"], f"{meta_path.name}: type {meta.get('type')}")
    check(meta.get("language") == "en", f"{meta_path.name}: language")
    if "publisher" in meta:
        check(meta["publisher"] in publishers, f"{meta_path.name}: publisher {meta['publisher']}")
    if "issued" in meta:
        check(isinstance(meta["issued"], str) and re.fullmatch(r"\d{4}(-\d{2}){0,2}", meta["issued"]), f"{meta_path.name}: issued")
    if not name.startswith("corpus-"):
        check(meta.get("url") == f"https://eval.example/{name}", f"{meta_path.name}: url")

    gold_path = HERE / f"{name}.gold.yaml"
    check(gold_path.exists(), f"{name}: no gold file")
    if not gold_path.exists():
        continue
    g = load(gold_path)
    doc = ROOT / g["document"]
    check(doc.exists(), f"{name}: document {g['document']} missing")
    if not name.startswith("corpus-"):
        check(g["document"] == f"tests/data/eval/{doc.name}" and doc.stem == name, f"{name}: document path")
    body = body_of(doc, g)
    if not name.startswith("corpus-"):
        words = len(body_of(doc, {}).split()) if doc.suffix == ".html" else len(doc.read_text(encoding="utf-8").split())
        check(300 <= words <= 900, f"{name}: {words} words")
    day = meta.get("issued")
    where = gold_path.name

    meeting_ids = set()
    for m in g.get("meetings") or []:
        meeting_ids.add(m["id"])
        check(re.fullmatch(r"\d{4}-\d{2}-\d{2}-[a-z0-9-]+", m["id"]), f"{where}: meeting id {m['id']}")
        check(m["id"].startswith(m["date"]), f"{where}: meeting {m['id']} date {m['date']}")
        if m["id"] in curated_meetings:
            check(str(curated_meetings[m["id"]]["date"]) == m["date"], f"{where}: {m['id']} date differs from curated")
        if m.get("format"):
            check(m["format"] in C["meeting-format"], f"{where}: format {m['format']}")
        for ch in m.get("chairs", []):
            check(ch in people or ch in agents, f"{where}: chair {ch}")
        if "coalition" in m:
            check(m["coalition"] in coalitions, f"{where}: coalition {m['coalition']}")
    known_meetings = meeting_ids | set(curated_meetings)

    for p in g.get("participations") or []:
        check(p["meeting"] in meeting_ids, f"{where}: participation in unlisted meeting {p['meeting']}")
        check(p["participant"] in states | orgs, f"{where}: participant {p['participant']}")
        check(p["attendance"] in ("present", "absent"), f"{where}: attendance {p['attendance']}")
        if "capacity" in p:
            check(p["capacity"] in C["capacity"], f"{where}: capacity {p['capacity']}")
        if "mode" in p:
            check(p["mode"] in ("in-person", "remote"), f"{where}: mode {p['mode']}")
        for r in as_list(p.get("representative", [])):
            check(r in people, f"{where}: representative {r}")

    for s in g.get("signatures") or []:
        check(s["party"] in agents, f"{where}: party {s['party']}")
        check(s["role"] in C["signature-role"], f"{where}: role {s['role']}")
        if "declaration" in s:
            check(s["declaration"] in curated_decls, f"{where}: declaration {s['declaration']}")
            check(str(curated_decls[s["declaration"]]["date"]) == s["declaration_date"], f"{where}: declaration date {s['declaration']}")
        if "signed_by" in s:
            check(s["signed_by"] in people, f"{where}: signed_by {s['signed_by']}")

    for d in g.get("declarations") or []:
        check(d["id"] in curated_decls, f"{where}: declaration {d['id']}")
        if "adopted_at" in d:
            check(d["adopted_at"] in known_meetings, f"{where}: adopted_at {d['adopted_at']}")
        for pr in d.get("provisions", []):
            check(pr["topic"] in C["topic"], f"{where}: provision topic {pr['topic']}")

    for p in g.get("pledges") or []:
        for a in p["pledgers"]:
            check(a in agents, f"{where}: pledger {a}")
        check(p["type"] in C["pledge-type"], f"{where}: pledge type {p['type']}")
        check(p["status"] in C["pledge-status"], f"{where}: status {p['status']}")
        for c in as_list(p.get("condition", [])):
            check(c in C["pledge-condition"], f"{where}: condition {c}")
        if "unit" in p:
            check(p["unit"] in C["unit"], f"{where}: unit {p['unit']}")
            check(isinstance(p.get("quantity"), int), f"{where}: quantity without unit or not a number")
        if "quantity" in p:
            check("unit" in p, f"{where}: quantity without unit")
        if "quantity_qualifier" in p:
            check(p["quantity_qualifier"] in ("exact", "at-least", "up-to", "about", "range"), f"{where}: qualifier")
        if "made_by" in p:
            check(p["made_by"] in people, f"{where}: made_by {p['made_by']}")
        if "made_at" in p:
            check(p["made_at"] in known_meetings, f"{where}: made_at {p['made_at']}")
        if "part_of" in p:
            check(p["part_of"] in curated_decls, f"{where}: part_of {p['part_of']}")

    seen = set()
    for s in g.get("statements") or []:
        check(s["speaker"] in people, f"{where}: speaker {s['speaker']}")
        check(s["topic"] in C["topic"], f"{where}: topic {s['topic']}")
        check(isinstance(s["quote"], bool), f"{where}: quote flag")
        key = (s["speaker"], s["topic"])
        check(key not in seen, f"{where}: duplicate statement {key}")
        seen.add(key)

    for m in g.get("memberships") or []:
        check(m["member"] in agents, f"{where}: member {m['member']}")
        check(m["role"] in C["membership-role"], f"{where}: membership role {m['role']}")

    for o in g.get("office_attributions") or []:
        check(o["person"] in people and o["office"] in offices, f"{where}: office attribution ids {o}")
        check(o["text"] in body, f"{where}: text not in body: {o['text']!r}")
        if day and len(day) >= 7 and o["person"] in people:
            probe = day if len(day) == 10 else day + "-15"
            check(holder(o["person"], o["office"], probe) == o["correct"], f"{where}: correct flag disagrees with terms: {o}")

    for m in g.get("mentions") or []:
        check(m["text"] in body, f"{where}: mention not in body: {m['text']!r}")
        for s in as_list(m.get("state", [])) + m.get("states", []):
            check(s in states, f"{where}: mention state {s}")
        if m["kind"] == "title":
            check(m["office"] in offices, f"{where}: office {m['office']}")
            if m.get("person"):
                check(m["person"] in people, f"{where}: person {m['person']}")
                if day:
                    probe = day if len(day) == 10 else day + "-15"
                    check(holder(m["person"], m["office"], probe), f"{where}: {m['person']} did not hold {m['office']} on {probe}")
        if m["kind"] == "misspelling":
            check(m["person"] in people, f"{where}: person {m['person']}")
        if m["kind"] == "alias" and "organization" in m:
            check(m["organization"] in orgs | coalitions, f"{where}: organization {m['organization']}")

    for n in g.get("unknown_names") or []:
        slug = re.sub(r"[^a-z]+", "-", n.lower()).strip("-")
        check(slug not in people, f"{where}: unknown name {n} is in people.yaml")
        check(n in body, f"{where}: unknown name not in body: {n}")

    com = g.get("comments") or {}
    check("count" in com, f"{where}: comments.count missing")
    if com.get("count"):
        check(com.get("marker") and com["marker"] in doc.read_text(encoding="utf-8"), f"{where}: comments marker")
        for p in (com.get("claim_records") or {}).get("pledges", []):
            for a in p["pledgers"]:
                check(a in agents, f"{where}: comment pledger {a}")

if problems:
    print("\n".join(problems))
    sys.exit(1)
print(f"ok: {len(list(HERE.glob('*.gold.yaml')))} gold files")
