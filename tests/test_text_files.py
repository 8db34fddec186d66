"""Text files are read and written as UTF-8 by name, never in the system's code page.

On a Windows set up in English the default is cp1252 and on a Chinese one cp936:
a recovery-key file or a JSON setting read without `encoding=` fails there, or worse,
reads wrong.  This holds for the tests too, which run on Windows in both code pages.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# A child's output read as text is decoded in the code page unless named: fpdesk and
# poppler write UTF-8.
SUBPROCESS = {"run", "check_output", "Popen"}


def _text_io_without_encoding(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or any(k.arg == "encoding" for k in node.keywords):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        positional = {"read_text": 1, "write_text": 2}.get(name)  # where encoding may stand
        if positional and isinstance(func, ast.Attribute) and len(node.args) < positional:
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}")
        elif name == "open" and _text_mode(node):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} open")
        elif name in SUBPROCESS and any(
            k.arg in ("text", "universal_newlines") for k in node.keywords
        ):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}(text=True)")
    return found


def _text_mode(call: ast.Call) -> bool:
    """open(...) in text mode (no 'b' in a literal mode); a computed mode is not judged."""
    if isinstance(call.func, ast.Attribute) and call.func.attr == "open":
        args = call.args  # path.open(mode); a bare x.open() is as often a dialog's
        if not args and not call.keywords:
            return False
    else:
        args = call.args[1:]  # open(path, mode)
    mode = args[0] if args else next((k.value for k in call.keywords if k.arg == "mode"), None)
    if mode is None:
        return True
    return isinstance(mode, ast.Constant) and isinstance(mode.value, str) and "b" not in mode.value


def test_every_text_file_and_pipe_names_its_encoding() -> None:
    offenders = [
        place
        for folder in ("src", "tests", "benchmarks", "scripts", "installer")
        for path in sorted((ROOT / folder).rglob("*.py"))
        for place in _text_io_without_encoding(path)
    ]
    assert offenders == []
