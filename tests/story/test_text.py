"""The one output-safety rule (`dealquest.story.text.clean`), as a table: what each hostile text
becomes when shown to a player, and when shown to a writer as visible escapes on one line."""

from __future__ import annotations

import json

import pytest

from dealquest.story.text import BIDI_CONTROLS, clean, json_text, plural

# text, clean(text), clean(text, line=True), clean(text, visible=True, line=True)
TABLE = [
    ("plain words", "plain words", "plain words", "plain words"),
    ("", "", "", ""),
    ("\x1bc", "", "", "\\x1bc"),  # RIS: resets (wipes) the terminal
    ("\x1b7save\x1b8 \x1b(0line\x1b(B", "save line", "save line", "\\x1b7save\\x1b8 \\x1b(0line\\x1b(B"),
    ("a\x1b[2Jb", "ab", "ab", "a\\x1b[2Jb"),  # clear screen
    ("\x1b[31mred\x1b[0m", "red", "red", "\\x1b[31mred\\x1b[0m"),
    ("\x1b]0;pwned\x07title", "title", "title", "\\x1b]0;pwned\\x07title"),  # window title
    (
        "\x1b]8;;file:///etc/passwd\x1b\\link\x1b]8;;\x1b\\",
        "link",
        "link",
        "\\x1b]8;;file:///etc/passwd\\x1b\\link\\x1b]8;;\\x1b\\",
    ),
    ("\x1bP+q\x1b\\dcs", "dcs", "dcs", "\\x1bP+q\\x1b\\dcs"),
    ("\x9b2Jc1", "c1", "c1", "\\x9b2Jc1"),  # the 8-bit CSI
    ("\x9d0;t\x9cosc", "osc", "osc", "\\x9d0;t\\x9cosc"),
    (
        "bell\x07 nul\x00 del\x7f nel\x85",
        "bell nul del nel",
        "bell nul del nel",
        "bell\\x07 nul\\x00 del\\x7f nel\\x85",
    ),
    ("back\bspace", "backspace", "backspace", "back\\x08space"),
    ("two\nlines\ttab", "two\nlines\ttab", "two lines tab", "two\\nlines\\ttab"),
    ("cr\r\nlf\rx", "cr\nlf\nx", "cr lf x", "cr\\r\\nlf\\rx"),
    ("exe.\u202etxt", "exe.txt", "exe.txt", "exe.\\u202etxt"),  # right-to-left override
    ("\u2066isolate\u2069", "isolate", "isolate", "\\u2066isolate\\u2069"),
    ("a\u202ab\u202bc\u202cd\u202de\u2067f\u2068g", "abcdefg", "abcdefg", None),
    ("para\u2028line\u2029", "paraline", "paraline", "para\\u2028line\\u2029"),
    ("Arabic \u0627\u0644\u0639\u0631\u0628\u064a\u0629 \u200fmark", None, None, None),  # real RTL text and marks stay
    ("emoji \U0001f469\u200d\U0001f4bb, accents é, CJK 漢字", None, None, None),
    ("[bold]markup[/] {name} %s", None, None, None),  # markup is another layer's job: shown as text
]


@pytest.mark.parametrize(("text", "shown", "one_line", "escaped"), TABLE)
def test_the_output_safety_rule(text: str, shown: str | None, one_line: str | None, escaped: str | None) -> None:
    assert clean(text) == (text if shown is None else shown)
    assert clean(text, line=True) == (text if one_line is None else one_line)
    if escaped is not None:
        assert clean(text, visible=True, line=True) == escaped


@pytest.mark.parametrize("code", [*range(0x20), *range(0x7F, 0xA0), *map(ord, BIDI_CONTROLS), 0x2028, 0x2029])
def test_no_control_character_survives_any_mode(code: int) -> None:
    text = f"a{chr(code)}b"
    assert chr(code) not in clean(text, line=True)
    assert chr(code) not in clean(text, visible=True, line=True)
    if chr(code) not in "\n\t":
        assert chr(code) not in clean(text) and chr(code) not in clean(text, visible=True)
    assert chr(code) not in json_text({"k": text}, indent=2).replace("\n", "")
    assert json.loads(json_text({"k": text}, indent=2)) == {"k": text}  # JSON keeps the data exactly


def test_full_stop_ends_a_sentence_once() -> None:
    from dealquest.story.text import full_stop, sentences

    assert full_stop("one booking") == "one booking."
    assert full_stop("one booking.") == "one booking."
    assert full_stop("What do wards crave?") == "What do wards crave?"
    assert full_stop("Come in tonight!”") == "Come in tonight!”"
    assert full_stop("Undid “Print the flyers.”") == "Undid “Print the flyers.”"
    assert full_stop("locked (Needs the case study.)") == "locked (Needs the case study.)"
    assert full_stop("a list:") == "a list."
    assert full_stop("  ") == ""
    assert sentences("Aim: Close.", "Talk to: the buyer", None, "") == "Aim: Close. Talk to: the buyer."


def test_a_count_takes_its_noun_in_the_singular_only_for_one() -> None:
    # validate once said "(1 scenes, 3 endings)".
    assert [plural(n, "scene") for n in (0, 1, 2)] == ["0 scenes", "1 scene", "2 scenes"]
    assert plural(1, "branch", "branches") == "1 branch" and plural(3, "branch", "branches") == "3 branches"
