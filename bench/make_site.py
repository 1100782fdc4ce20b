#!/usr/bin/env python3
"""Write a synthetic content folder that follows the content contract.

    python bench/make_site.py --sessions 1000 --languages 10 --translated 0.5 --out /tmp/synthetic

N sessions, N/4 people, N/2 exhibits, N/10 news items and five pages, in L
languages with the given share of items translated into each non-default
language. Bodies are realistic Markdown (~500 words: headings, lists, a
table, site-relative links). The same arguments always give the same bytes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
from pathlib import Path

LANGUAGES = ["en", "ko", "th", "vi", "id", "ms", "km", "lo", "my", "fil", "ja", "fr", "de", "es", "ar"]
COUNTRIES = ["KR", "BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN"]
KINDS = ["roundtable", "plenary", "workshop", "briefing", "ceremony", "bilateral"]
WORDS = (
    "government innovation public service digital citizen engagement capacity local regional development "
    "platform data open transparent accountable policy cooperation exchange programme partnership network "
    "ministry agency municipality reform pilot evaluation result outcome impact people peace prosperity "
    "infrastructure identity payment health education transport safety disaster resilience inclusion access"
).split()
# A few scripts so the Markdown and the fonts see more than Latin text.
SCRIPT_WORDS = {
    "ko": "정부 혁신 공공 서비스 시민 참여 디지털 협력 지방 발전 정책".split(),
    "th": "รัฐบาล นวัตกรรม บริการ ประชาชน ดิจิทัล ความร่วมมือ ท้องถิ่น นโยบาย".split(),
    "km": "រដ្ឋាភិបាល នវានុវត្តន៍ សេវា ពលរដ្ឋ ឌីជីថល កិច្ចសហប្រតិបត្តិការ".split(),
    "ar": "الحكومة الابتكار الخدمة المواطن الرقمية التعاون السياسة".split(),
}


def words(rng: random.Random, count: int, lang: str) -> str:
    pool = SCRIPT_WORDS.get(lang, WORDS)
    return " ".join(rng.choice(pool) for _ in range(count))


def sentence(rng: random.Random, lang: str) -> str:
    text = words(rng, rng.randint(8, 18), lang)
    return text[:1].upper() + text[1:] + "."


def body(rng: random.Random, lang: str, links: list[str]) -> str:
    """About 500 words of Markdown."""
    parts = []
    for section in range(3):
        parts.append(f"## {words(rng, 3, lang).capitalize()}")
        parts.append(" ".join(sentence(rng, lang) for _ in range(5)))
        if section == 0:
            parts.append("\n".join(f"- {words(rng, 6, lang)}" for _ in range(4)))
        if section == 1:
            parts.append("| Item | Value | Note |\n| --- | --- | --- |\n" + "\n".join(
                f"| {words(rng, 2, lang)} | {rng.randint(1, 999)} | {words(rng, 3, lang)} |" for _ in range(4)
            ))
        if links:
            target = rng.choice(links)
            parts.append(f"See [{words(rng, 2, lang)}]({target}) and *{words(rng, 2, lang)}*. " + " ".join(sentence(rng, lang) for _ in range(4)))
    return "\n\n".join(parts) + "\n"


def write(path: Path, front: list[str], text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("---\n" + "\n".join(front) + "\n---\n" + text, encoding="utf-8")


def make_site(out: Path, sessions: int, languages: int, translated: float, seed: int) -> Path:
    rng = random.Random(seed)
    langs = LANGUAGES[:languages]
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    days = max(3, sessions // 40)
    start = dt.date(2030, 3, 4)
    rooms = [f"room-{index}" for index in range(1, max(2, sessions // (days * 8)) + 2)]
    people = [f"person-{index}" for index in range(max(1, sessions // 4))]
    exhibits = [f"exhibit-{index}" for index in range(max(1, sessions // 2))]
    news = [f"news-{index}" for index in range(max(1, sessions // 10))]
    pages = ["about", "venue", "press", "contact", "faq"]
    links = ["/schedule/", "/exhibition/", "/people/", "/about/"] + [f"/people/{pid}/" for pid in people[:20]]

    (out / "site.yaml").write_text(
        "\n".join(
            [
                "title:",
                *(f"  {lang}: Synthetic Summit {lang.upper()}" for lang in langs),
                "tagline: A generated programme for benchmarks",
                f"languages: [{', '.join(langs)}]",
                "timezone: Asia/Seoul",
                f'dates: {{start: "{start}", end: "{start + dt.timedelta(days=days - 1)}"}}',
                "base_url: https://bench.example.org/summit/",
                "venue: {name: Convention Centre, city: Busan, country: KR}",
                "organizer: {name: Benchmark Ministry, url: 'https://example.org/'}",
                f"countries: [{', '.join(COUNTRIES)}]",
                "rooms:",
                *(f"  {room}: {{name: Room {room[5:]}}}" for room in rooms),
                "exhibition:",
                "  sections:",
                "    north: {title: North hall}",
                "    south: {title: South hall}",
                "nav: [schedule, exhibition, people, news, about, venue]",
                "",
            ]
        ),
        encoding="utf-8",
    )

    def translations(folder: str, item_id: str, fields: dict[str, str]) -> None:
        for lang in langs[1:]:
            if rng.random() < translated:
                front = [f"{key}: {value!r}" for key, value in fields.items()]
                write(out / folder / f"{item_id}.{lang}.md", [f'{line.split(": ", 1)[0]}: "{line.split(": ", 1)[1][1:-1]}"' for line in front], body(rng, lang, links))

    slots: dict[tuple[int, str], int] = {}
    for index in range(sessions):
        day = index % days
        room = rooms[index % len(rooms)]
        slot = slots.get((day, room), 0)
        slots[(day, room)] = slot + 1
        begin = dt.datetime.combine(start + dt.timedelta(days=day), dt.time(8, 0)) + dt.timedelta(minutes=50 * slot)
        if begin.hour >= 23:
            begin = begin.replace(hour=22, minute=0)
        end = begin + dt.timedelta(minutes=45)
        if end.date() != begin.date():
            end = begin.replace(hour=23, minute=59)
        speakers = rng.sample(people, k=min(len(people), rng.randint(1, 3)))
        title = words(rng, 5, "en").capitalize()
        write(
            out / "sessions" / f"session-{index}.md",
            [
                f'title: "{title}"',
                f'start: "{begin:%Y-%m-%d %H:%M}"',
                f'end: "{end:%Y-%m-%d %H:%M}"',
                f"kind: {rng.choice(KINDS)}",
                f"room: {room}",
                f"speakers: [{', '.join(speakers)}]",
                f"moderators: [{rng.choice(people)}]",
                f"countries: [{', '.join(rng.sample(COUNTRIES, k=2))}]",
                f'summary: "{words(rng, 10, "en").capitalize()}."',
            ],
            body(rng, "en", links),
        )
        translations("sessions", f"session-{index}", {"title": title + " (t)", "summary": words(rng, 8, "en")})
    for person in people:
        name = words(rng, 2, "en").title()
        write(out / "people" / f"{person}.md", [f'name: "{name}"', f'role: "{words(rng, 3, "en").title()}"', f"country: {rng.choice(COUNTRIES)}"], sentence(rng, "en") + "\n")
        translations("people", person, {"name": name})
    for exhibit in exhibits:
        title = words(rng, 4, "en").capitalize()
        write(out / "exhibits" / f"{exhibit}.md", [f'title: "{title}"', f"section: {rng.choice(['north', 'south'])}", f"country: {rng.choice(COUNTRIES)}", f'summary: "{words(rng, 10, "en")}"'], body(rng, "en", links))
        translations("exhibits", exhibit, {"title": title + " (t)"})
    for index, item in enumerate(news):
        title = words(rng, 6, "en").capitalize()
        date = start - dt.timedelta(days=len(news) - index)
        write(out / "news" / f"{item}.md", [f'title: "{title}"', f'date: "{date}"'], body(rng, "en", links))
        translations("news", item, {"title": title + " (t)"})
    for page in pages:
        write(out / "pages" / f"{page}.md", [f'title: "{page.title()}"'], body(rng, "en", links))
        translations("pages", page, {"title": page.title() + " (t)"})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--languages", type=int, default=3)
    parser.add_argument("--translated", type=float, default=0.5, help="share of items translated into each other language")
    parser.add_argument("--seed", type=int, default=2019)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    make_site(args.out, args.sessions, args.languages, args.translated, args.seed)
    files = sum(1 for _ in args.out.rglob("*.md"))
    print(f"wrote {files} Markdown files to {args.out}")


if __name__ == "__main__":
    main()
