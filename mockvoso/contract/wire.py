"""The contract's input value kinds (BoolWord, IdList, Timestamp, ...): what the fields read."""

from __future__ import annotations

from typing import Any

from mockvoso.records import CALL_TYPES
from mockvoso.schemas.fields import TIMESTAMP_PATTERN

# Every kind below follows the parameter parser (mockvoso/api/params.py) and the fields
# (mockvoso/schemas/fields.py): an empty value means "not given"; a JSON number is read
# as its text (146.0 as 146); a JSON boolean or array is taken only where a kind lists
# it. The kinds describe a value as a query string or form carries it too, so they leave
# out JSON null ("not given" as well): the generator adds it to the JSON bodies only.
# A kind must call valid exactly what the server accepts, so that a client's generated
# tests neither expect a refusal nor meet one they did not expect.

_BLANKS = "[ \\t]*"  # what a comma list's items are trimmed of (fields._BLANK)


def _any_case(word: str) -> str:
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else c for c in word)


def _words(words: tuple[str, ...]) -> str:
    """`^(w1|w2|...)?$` in any case; empty means not given."""
    return "^(" + "|".join(_any_case(w) for w in words) + ")?$"


def _comma_list(item: str) -> str:
    """Items matching `item`, comma-separated, blanks around them and blank items allowed,
    at least one real item; or empty (not given)."""
    real = f"{_BLANKS}({item}){_BLANKS}"
    return f"^(({_BLANKS},)*{real}(,{_BLANKS}(({item}){_BLANKS})?)*)?$"


_BOOL_WORDS = ("1", "0", "true", "false", "yes", "no", "y", "n", "on", "off")
_CALL_TYPE = "|".join(_any_case(t) for t in CALL_TYPES)


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


# The kinds as a query string or form carries them: text only (a number there is text, so
# a kind saying "integer" would invite `146.0` or `1e+16` in a query). A boolean is sent
# as `true`/`false`, which the boolean kinds read.
TEXT_KINDS: dict[str, dict[str, Any]] = {
    "ParamValue": {
        "description": (
            "A parameter value: a string (forms and query strings carry only strings), or in a\n"
            "JSON body a number (read as its text; 146.0 is 146), a boolean (read as `1`/`0`),\n"
            "null (not given) or an array of strings/numbers (joined with commas). Nested\n"
            "objects, and arrays holding anything else, are refused (400).\n"
        ),
        "anyOf": [
            {"type": ["string", "number", "boolean", "null"]},
            {"type": "array", "items": {"type": ["string", "number"]}},
        ],
    },
    "BoolWord": {
        "description": (
            "A Convoso boolean: `1`/`0`, `true`/`false`, `yes`/`no`, `Y`/`N`, `on`/`off` in any\n"
            "case.\n"
        ),
        "anyOf": [{"type": "string", "pattern": _words(_BOOL_WORDS)}, {"type": "boolean"}],
    },
    "CheckDup": {
        "description": "`0` to `3`, or a boolean word (`true` = 1, `false` = 0; see BoolWord).\n",
        "anyOf": [
            {
                "type": "string",
                "pattern": _words(("0", "1", "2", "3", "true", "false", "yes", "no", "y", "n")),
            },
            {"type": "boolean"},
        ],
    },
    "Order": {
        "description": "`asc` or `desc`, any case.",
        "type": "string",
        "pattern": _words(("asc", "desc")),
    },
    "Timestamp": {
        "description": (
            "`YYYY-MM-DD HH:MM:SS` (a `T` separator is accepted too) or a bare `YYYY-MM-DD` (the\n"
            "start of that day for a lower bound, its end for an upper bound): a real calendar\n"
            "date, years 0001 to 9999 (the pattern says which).\n"
        ),
        "type": "string",
        "pattern": TIMESTAMP_PATTERN,
        "examples": ["2026-01-01 00:00:00", "2026-01-01"],
    },
    "IdList": {
        "description": (
            "One id or several, comma-separated (`1,2,3`; blanks around an id and empty items\n"
            "are skipped); repeated keys (`id=1&id=2`) are joined the same way. Digits only.\n"
        ),
        "type": "string",
        "pattern": _comma_list("[0-9]+"),
    },
    "TextList": {
        "description": (
            "One value or several, comma-separated (blanks around a value and empty items are\n"
            "skipped; at least one value); repeated keys are joined the same way.\n"
        ),
        "type": "string",
        "pattern": "^$|[^, \\t]",
    },
    "CallTypeList": {
        "description": (
            f"Call types, comma-separated, any case: {', '.join(f'`{t}`' for t in CALL_TYPES)}.\n"
        ),
        "type": "string",
        "pattern": _comma_list(_CALL_TYPE),
        "examples": ["INBOUND", "OUTBOUND,MANUAL"],
    },
}

# The same kinds in a JSON body, where they differ: numbers, booleans and arrays.
JSON_KINDS: dict[str, dict[str, Any]] = {
    "BoolWordJson": {
        "description": "BoolWord, or in a JSON body also the numbers 1/0.\n",
        "anyOf": [_ref("BoolWord"), {"enum": [0, 1]}],
    },
    "CheckDupJson": {
        "description": "CheckDup, or in a JSON body also the numbers 0 to 3.\n",
        "anyOf": [_ref("CheckDup"), {"enum": [0, 1, 2, 3]}],
    },
    "IdListJson": {
        "description": (
            "IdList, or in a JSON body an id as a number, or an array of ids (none empty).\n"
        ),
        "anyOf": [
            _ref("IdList"),
            {"type": "integer", "minimum": 0},
            {
                "type": "array",
                "minItems": 1,
                "items": {
                    "anyOf": [
                        {"type": "string", "pattern": "^[0-9]+$"},
                        {"type": "integer", "minimum": 0},
                    ]
                },
            },
        ],
    },
    "TextListJson": {
        "description": (
            "TextList, or in a JSON body a number, or an array of values (each taken as sent;\n"
            "none empty).\n"
        ),
        "anyOf": [
            _ref("TextList"),
            {"type": "number"},
            {
                "type": "array",
                "minItems": 1,
                "items": {"anyOf": [{"type": "string", "minLength": 1}, {"type": "number"}]},
            },
        ],
    },
    "CallTypeListJson": {
        "description": "CallTypeList, or in a JSON body an array of call types (any case).\n",
        "anyOf": [
            _ref("CallTypeList"),
            {
                "type": "array",
                "minItems": 1,
                "items": {"type": "string", "pattern": f"^({_CALL_TYPE})$"},
            },
        ],
    },
}

INPUT_COMPONENTS: dict[str, dict[str, Any]] = {**TEXT_KINDS, **JSON_KINDS}
