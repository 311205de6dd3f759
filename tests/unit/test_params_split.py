"""The form splitter's shortcut gives parse_qsl's pairs exactly, escaped or not."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mockvoso.api.params import _mimetype, _pairs, _split_pairs

# The characters that steer parsing, plus ordinary and non-ASCII ones.
FORM_TEXT = st.text(alphabet="ab=&%+ 1é;2F", max_size=24)


@given(FORM_TEXT)
def test_split_pairs_is_parse_qsl(text: str) -> None:
    assert _split_pairs(text) == parse_qsl(text, keep_blank_values=True)


@pytest.mark.parametrize(
    ("text", "pairs"),
    [
        ("a=1&b=2", [("a", "1"), ("b", "2")]),
        ("a=1&&b", [("a", "1"), ("b", "")]),
        ("a==1&=2", [("a", "=1"), ("", "2")]),
        ("a=%20x&b=1+2", [("a", " x"), ("b", "1 2")]),
        ("", []),
    ],
)
def test_split_pairs_examples(text: str, pairs: list[tuple[str, str]]) -> None:
    assert _split_pairs(text) == pairs


def test_pairs_merge_repeats_and_name_blanks() -> None:
    blanks: set[str] = set()
    assert _pairs("id=1&id=2&x=&y=3", blanks) == {"id": "1,2", "y": "3"}
    assert blanks == {"x"}


@pytest.mark.parametrize(
    ("header", "mimetype"),
    [
        ("application/x-www-form-urlencoded", "application/x-www-form-urlencoded"),
        ("Multipart/Form-Data; boundary=xyz", "multipart/form-data"),
        (" application/json ;charset=utf-8", "application/json"),
        ("", ""),
    ],
)
def test_mimetype_as_werkzeug_reads_it(header: str, mimetype: str) -> None:
    from werkzeug.test import EnvironBuilder
    from werkzeug.wrappers import Request

    environ = EnvironBuilder(method="POST", headers={"Content-Type": header}).get_environ()
    assert Request(environ).mimetype == mimetype
    assert _mimetype(environ) == mimetype
