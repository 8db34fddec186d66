"""search: the search box from the command line (the same function the window calls)."""

from __future__ import annotations

import argparse
from typing import Any

from fpdesk.commands.common import CommandError, emit, opened, subcommand
from fpdesk.core import codes
from fpdesk.core.i18n import Text, current_language
from fpdesk.store.search import Hit, search

DEFAULT_LIMIT = 20
MAX_LIMIT = 1000


def add_commands(sub: Any) -> None:
    with subcommand(
        sub,
        "search",
        "find persons and households by name, pinyin, ID or household code / 查找",
        run_search,
        description=(
            "查找人员和户：姓名、拼音全拼或首字母（zs、zhangsan 都能找到张三）、"
            "身份证号（整号或末几位）、户编码。 / Find persons and households by name, "
            "full pinyin or initials, ID number (whole or last digits), household code."
        ),
    ) as parser:
        parser.add_argument("query", metavar="QUERY", help="what to look for / 查找内容")
        parser.add_argument(
            "--limit",
            type=int,
            default=DEFAULT_LIMIT,
            help=f"at most this many results (default {DEFAULT_LIMIT}) / 最多显示几条",
        )
        parser.add_argument("--village", help="only this village (12-digit code) / 只查本村")


def run_search(args: argparse.Namespace) -> int:
    if not 1 <= args.limit <= MAX_LIMIT:
        raise CommandError(
            Text(
                f"--limit 应在 1 到 {MAX_LIMIT} 之间。",
                f"--limit must be between 1 and {MAX_LIMIT}.",
            ),
            status=2,
        )
    with opened(args) as register:
        hits = search(register, args.query, limit=args.limit, village_code=args.village)
    emit(args, [as_dict(hit) for hit in hits], as_text(hits))
    return 0


def as_dict(hit: Hit) -> dict[str, Any]:
    """A hit for --json: its fields, and why it matched in both languages."""
    data: dict[str, Any] = hit._asdict()
    data["why_text"] = {"zh": hit.why_text.zh, "en": hit.why_text.en}
    return data


_STATUS = {
    "here": Text("在册", "here"),
    "in": Text("流入", "moved in"),
    "out": Text("流出", "away"),
    "dead": Text("死亡", "dead"),
    "household": Text("户", "household"),
}


def as_text(hits: list[Hit]) -> str:
    """One line per hit, in the user's language; the ID number masked as in lists."""
    if not hits:
        return str(Text("没有找到。", "Nothing found."))
    language = current_language()
    lines = []
    for hit in hits:
        sex = codes.label("sex", hit.sex, language) if hit.sex is not None else ""
        fields = [
            hit.name or "-",
            sex,
            hit.birth_date or "",
            hit.id_number_masked,
            hit.household_code,
            hit.address,
            _STATUS[hit.status].get(language),
            hit.why_text.get(language),
        ]
        lines.append("  ".join(field for field in fields if field))
    return "\n".join(lines)
