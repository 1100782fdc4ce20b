"""Which column of a programme spreadsheet is which field.

A header is found by its name in English or in any language of the site
(``HEADERS``: a few words per field and language, compared without case,
spaces or punctuation), or by a small mapping file. A translation is a column
with the language after the field (``title_ko``, ``title.ko``, ``제목 (ko)``)
or, in an XLSX workbook, a sheet named after the language (docs/editing.md,
"Importing a programme").

A mapping file (YAML) names the headers a spreadsheet uses::

    sheet: Programme            # the sheet to read (XLSX), default: the first
    columns:
      title: Session name
      start: Begins
      title.ko: Korean title
    ignore: [Internal notes]    # columns to leave out
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ..errors import BuildError, Problem, did_you_mean
from ..load import decode_text
from ..yaml_strict import YamlProblem, parse
from .programme import ITEM_TITLE_HEADERS

# Field names as the import uses them; 'description' is the Markdown body.
FIELDS = (
    "id", "title", "date", "start", "end", "duration", "kind", "room", "speakers", "moderators",
    "countries", "summary", "description",
)
TRANSLATABLE = ("title", "summary", "description")

# Header words per field and language. English is always accepted; other languages when the site has them.
HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    "id": {"en": ("id", "slug", "key")},
    "title": {
        "en": ("title", *ITEM_TITLE_HEADERS, "programme item", "item"),
        "ko": ("제목", "세션", "세션명", "프로그램"), "th": ("หัวข้อ", "ชื่อเรื่อง"), "vi": ("tiêu đề", "tên phiên"),
        "id": ("judul", "sesi"), "ms": ("tajuk", "sesi"), "km": ("ចំណងជើង",), "lo": ("ຫົວຂໍ້",), "my": ("ခေါင်းစဉ်",),
        "fil": ("pamagat",), "fr": ("titre",), "es": ("título",), "de": ("titel",), "ja": ("タイトル", "題名"), "zh": ("标题", "題目"),
    },
    "date": {
        "en": ("date", "day"), "ko": ("날짜", "일자"), "th": ("วันที่",), "vi": ("ngày",), "id": ("tanggal",),
        "ms": ("tarikh",), "km": ("កាលបរិច្ឆេទ",), "lo": ("ວັນທີ",), "my": ("ရက်စွဲ",), "fil": ("petsa",),
        "fr": ("date", "jour"), "es": ("fecha",), "de": ("datum",), "ja": ("日付",), "zh": ("日期",),
    },
    "start": {
        "en": ("start", "start time", "starts", "begin", "begins", "from"), "ko": ("시작", "시작 시간", "시작시간"),
        "th": ("เริ่ม", "เวลาเริ่ม"), "vi": ("bắt đầu", "giờ bắt đầu"), "id": ("mulai", "waktu mulai"),
        "ms": ("mula", "masa mula"), "km": ("ចាប់ផ្តើម", "ម៉ោងចាប់ផ្តើម"), "lo": ("ເລີ່ມ", "ເວລາເລີ່ມ"), "my": ("စတင်ချိန်",),
        "fil": ("simula",), "fr": ("début", "heure de début"), "es": ("inicio", "hora de inicio"), "de": ("beginn",),
        "ja": ("開始", "開始時刻"), "zh": ("开始", "开始时间"),
    },
    "end": {
        "en": ("end", "end time", "ends", "until", "to"), "ko": ("종료", "종료 시간", "종료시간"),
        "th": ("สิ้นสุด", "เวลาสิ้นสุด"), "vi": ("kết thúc", "giờ kết thúc"), "id": ("selesai", "waktu selesai"),
        "ms": ("tamat", "masa tamat"), "km": ("បញ្ចប់", "ម៉ោងបញ្ចប់"), "lo": ("ສິ້ນສຸດ", "ເວລາສິ້ນສຸດ"), "my": ("ပြီးဆုံးချိန်",),
        "fil": ("wakas", "katapusan"), "fr": ("fin", "heure de fin"), "es": ("fin", "hora de fin"), "de": ("ende",),
        "ja": ("終了", "終了時刻"), "zh": ("结束", "结束时间"),
    },
    "duration": {
        "en": ("duration", "length", "minutes"), "ko": ("소요 시간", "소요시간"), "th": ("ระยะเวลา",), "vi": ("thời lượng",),
        "id": ("durasi",), "ms": ("tempoh",), "km": ("រយៈពេល",), "lo": ("ໄລຍະເວລາ",), "my": ("ကြာချိန်",), "fil": ("tagal",),
        "fr": ("durée",), "es": ("duración",), "de": ("dauer",), "ja": ("時間",), "zh": ("时长",),
    },
    "kind": {
        "en": ("kind", "type", "format", "category"), "ko": ("유형", "구분", "종류"), "th": ("ประเภท",), "vi": ("loại", "hình thức"),
        "id": ("jenis", "tipe"), "ms": ("jenis",), "km": ("ប្រភេទ",), "lo": ("ປະເພດ",), "my": ("အမျိုးအစား",), "fil": ("uri",),
        "fr": ("type",), "es": ("tipo",), "de": ("art", "typ"), "ja": ("種類",), "zh": ("类型",),
    },
    "room": {
        "en": ("room", "venue", "location", "hall"), "ko": ("장소", "회의실"), "th": ("ห้อง", "สถานที่"), "vi": ("phòng", "địa điểm"),
        "id": ("ruang", "ruangan", "tempat"), "ms": ("bilik", "dewan", "tempat"), "km": ("បន្ទប់", "ទីកន្លែង"),
        "lo": ("ຫ້ອງ", "ສະຖານທີ່"), "my": ("အခန်း", "နေရာ"), "fil": ("silid", "lugar"), "fr": ("salle", "lieu"),
        "es": ("sala", "lugar"), "de": ("raum", "saal", "ort"), "ja": ("会場", "部屋"), "zh": ("会场", "房间"),
    },
    "speakers": {
        "en": ("speakers", "speaker", "presenters", "presenter", "persons"), "ko": ("발표자", "연사"),
        "th": ("ผู้บรรยาย", "วิทยากร"), "vi": ("diễn giả", "người phát biểu"), "id": ("pembicara",),
        "ms": ("penceramah", "pembentang"), "km": ("វាគ្មិន",), "lo": ("ຜູ້ບັນຍາຍ",), "my": ("ဟောပြောသူ",),
        "fil": ("tagapagsalita",), "fr": ("intervenants", "orateurs"), "es": ("ponentes",), "de": ("referenten", "sprecher"),
        "ja": ("講演者", "登壇者"), "zh": ("演讲者", "发言人"),
    },
    "moderators": {
        "en": ("moderators", "moderator", "chair", "chairs"), "ko": ("좌장", "사회자"), "th": ("ผู้ดำเนินรายการ",),
        "vi": ("người điều phối", "chủ tọa"), "id": ("moderator",), "ms": ("moderator", "pengerusi"),
        "km": ("អ្នកសម្របសម្រួល",), "lo": ("ຜູ້ດຳເນີນລາຍການ",), "my": ("ဆွေးနွေးပွဲ ဦးဆောင်သူ",), "fil": ("tagapagpadaloy",),
        "fr": ("modérateurs", "modérateur"), "es": ("moderadores",), "de": ("moderation",), "ja": ("司会",), "zh": ("主持人",),
    },
    "countries": {
        "en": ("countries", "country"), "ko": ("국가", "참가국"), "th": ("ประเทศ",), "vi": ("quốc gia",), "id": ("negara",),
        "ms": ("negara",), "km": ("ប្រទេស",), "lo": ("ປະເທດ",), "my": ("နိုင်ငံ",), "fil": ("bansa",), "fr": ("pays",),
        "es": ("países",), "de": ("länder",), "ja": ("国",), "zh": ("国家",),
    },
    "summary": {
        "en": ("summary", "abstract"), "ko": ("요약", "개요"), "th": ("สรุป", "บทคัดย่อ"), "vi": ("tóm tắt",),
        "id": ("ringkasan",), "ms": ("ringkasan",), "km": ("សេចក្តីសង្ខេប",), "lo": ("ສະຫຼຸບ",), "my": ("အကျဉ်းချုပ်",),
        "fil": ("buod",), "fr": ("résumé",), "es": ("resumen",), "de": ("zusammenfassung",), "ja": ("概要",), "zh": ("摘要",),
    },
    "description": {
        "en": ("description", "details", "text", "body"), "ko": ("설명", "내용"), "th": ("รายละเอียด", "คำอธิบาย"),
        "vi": ("mô tả", "nội dung"), "id": ("deskripsi", "keterangan"), "ms": ("keterangan", "penerangan"),
        "km": ("ការពិពណ៌នា",), "lo": ("ລາຍລະອຽດ",), "my": ("ဖော်ပြချက်",), "fil": ("paglalarawan",), "fr": ("description",),
        "es": ("descripción",), "de": ("beschreibung",), "ja": ("説明",), "zh": ("说明", "描述"),
    },
}

_SUFFIX = re.compile(r"^(?P<head>.+?)\s*(?:[_.]\s*|\s*\(\s*|\s*\[\s*|\s+-\s+)(?P<lang>[A-Za-z]{2,3}(?:-[A-Za-z0-9]+)?)\s*[\)\]]?$")


def normalize(header: str) -> str:
    """Headers compare without case, accents' composition, spaces or punctuation."""
    text = unicodedata.normalize("NFKC", header).casefold()
    return "".join(char for char in text if char.isalnum() or unicodedata.category(char).startswith("M"))


def header_words(languages: Iterable[str]) -> dict[str, str]:
    """Normalized header word → field, for English and ``languages``."""
    wanted = {"en", *languages, *(lang.split("-")[0] for lang in languages)}
    words: dict[str, str] = {}
    for name, by_lang in HEADERS.items():
        for lang, synonyms in by_lang.items():
            if lang in wanted:
                for word in synonyms:
                    words.setdefault(normalize(word), name)
    for name in FIELDS:
        words.setdefault(normalize(name), name)
    return words


def header_in(name: str, lang: str) -> str:
    """The header an export writes for ``name`` in ``lang`` (English when the table has none)."""
    base = lang.split("-")[0]
    found = HEADERS.get(name, {}).get(lang) or HEADERS.get(name, {}).get(base)
    return found[0] if found else name


@dataclass(frozen=True)
class Column:
    """What one column holds: a field, in the source language (lang None) or a translation."""

    field: str
    lang: str | None = None


@dataclass
class Mapping:
    """A mapping file: headers named by the organizer, columns to leave out, the sheet to read."""

    columns: dict[str, Column] = field(default_factory=dict)  # normalized header → column
    ignore: set[str] = field(default_factory=set)  # normalized headers
    sheet: str | None = None


def read_mapping(path: Path, shown: str, languages: Iterable[str]) -> Mapping:
    problems: list[Problem] = []
    text = decode_text(path.read_bytes(), shown, problems)
    if text is None:
        raise BuildError(problems)
    try:
        parsed = parse(text)
    except YamlProblem as problem:
        raise BuildError([Problem(shown, problem.line, problem.message, problem.column)]) from None
    data = parsed.data if isinstance(parsed.data, dict) else {}
    mapping = Mapping()
    known = set(languages)
    for key in data:
        if key not in ("columns", "ignore", "sheet"):
            line, column = parsed.locate((key,))
            problems.append(Problem(shown, line, f"unknown key {key!r}: a mapping file has columns, ignore and sheet", column))
    columns = data.get("columns") or {}
    if not isinstance(columns, dict):
        line, column = parsed.locate(("columns",))
        problems.append(Problem(shown, line, "columns: expected 'field: header' lines", column))
        columns = {}
    for name, header in columns.items():
        line, column = parsed.locate(("columns", name))
        target, _, lang = str(name).partition(".")
        if target not in FIELDS or (lang and (target not in TRANSLATABLE or lang not in known)):
            hint = did_you_mean(target, FIELDS)
            problems.append(Problem(
                shown, line, f"columns: {name!r} is not a field{hint} (fields: {', '.join(FIELDS)}; "
                f"translations: {', '.join(TRANSLATABLE)} followed by .LANG)", column,
            ))
            continue
        if not isinstance(header, str) or not header.strip():
            problems.append(Problem(shown, line, f"columns: {name}: expected the header text", column))
            continue
        mapping.columns[normalize(header)] = Column(target, lang or None)
    ignore = data.get("ignore") or []
    mapping.ignore = {normalize(str(header)) for header in (ignore if isinstance(ignore, list) else [ignore])}
    sheet = data.get("sheet")
    mapping.sheet = str(sheet) if sheet else None
    if problems:
        raise BuildError(problems)
    return mapping


def column_of(header: str, words: dict[str, str], languages: Iterable[str], mapping: Mapping) -> Column | None:
    """The column a header names, or None (unknown)."""
    key = normalize(header)
    if key in mapping.columns:
        return mapping.columns[key]
    if key in words:
        return Column(words[key])
    match = _SUFFIX.match(header.strip())
    if match:
        lang = _language(match["lang"], languages)
        name = words.get(normalize(match["head"]))
        if lang is not None and name in TRANSLATABLE:
            return Column(name, lang)
    return None


def _language(code: str, languages: Iterable[str]) -> str | None:
    for lang in languages:
        if lang.casefold() == code.casefold():
            return lang
    return None
