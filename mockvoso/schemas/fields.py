"""marshmallow fields for Convoso's loose wire values: 1/0/yes/no booleans, comma lists, dates."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from marshmallow import ValidationError, fields, validate

_TRUE = frozenset({"1", "true", "yes", "y", "on"})
_FALSE = frozenset({"0", "false", "no", "n", "off"})
# re.ASCII: \d would otherwise also match full-width and other scripts' digits.
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}$", re.ASCII)
# What a comma list's items are trimmed of: exactly the characters the contract's
# patterns name (str.strip() would also take \x1c-\x1f, which ECMA's \s does not).
_BLANK = " \t"


class JsonBool(str):
    """A JSON `true`/`false` as the parameter parser passes it on ("1"/"0"): only boolean
    fields and custom fields take it, so `{"list_id": true}` is refused, not read as 1."""

    __slots__ = ()


class JsonList(str):
    """A JSON array as the parameter parser passes it on: its items joined with commas
    (what the journal and custom fields show), and `items` exactly as sent. Only
    comma-list fields and custom fields take it."""

    items: tuple[str, ...]

    def __new__(cls, items: tuple[str, ...]) -> JsonList:
        self = super().__new__(cls, ",".join(items))
        self.items = items
        return self


def plain(value: Any, what: str) -> str:
    """The value of a single-valued, non-boolean field: a JSON array or boolean is refused."""
    if type(value) is JsonList:
        raise ValidationError(f"Not a valid {what}: send one value, not an array.")
    if type(value) is JsonBool:
        raise ValidationError(f"Not a valid {what}: not a boolean.")
    return str(value)


# The calendar in a regular expression (years 0001-9999, month lengths, leap days), so the
# contract's Timestamp pattern admits exactly the dates the server accepts: a pattern that
# only says "4-2-2 digits" calls 0000-00-00 valid, and the server refuses it.
_YEAR = "([0-9]{3}[1-9]|[0-9]{2}[1-9]0|[0-9][1-9]00|[1-9]000)"
_LEAP_YEAR = "([0-9]{2}(0[48]|[2468][048]|[13579][26])|(0[48]|[2468][048]|[13579][26])00)"
_MONTH_DAY = "((0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])|(0[13-9]|1[0-2])-(29|30)|(0[13578]|1[02])-31)"
CALENDAR_DATE = f"({_YEAR}-{_MONTH_DAY}|{_LEAP_YEAR}-02-29)"
CLOCK_TIME = "([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
# Empty means "not given" (like every parameter), hence the outer `(...)?`.
TIMESTAMP_PATTERN = f"^({CALENDAR_DATE}([ T]{CLOCK_TIME})?)?$"


def about(description: str, *examples: Any) -> dict[str, Any]:
    """A field's `metadata` for the contract: its prose and, optionally, example values."""
    meta: dict[str, Any] = {"description": description}
    if examples:
        meta["examples"] = list(examples)
    return meta


def is_digits(text: str) -> bool:
    """0-9 only: str.isdigit() alone also takes "²", on which int() raises, and other
    scripts' digits, which int() accepts but Convoso would not."""
    return text.isascii() and text.isdigit()


class ConvosoBool(fields.Field):
    """1/0/true/false/yes/no/Y/N in any case (Convoso clients send all of them)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if type(value) is JsonList:
            raise ValidationError("Not a valid boolean: send one value, not an array.")
        text = str(value).lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValidationError("Not a valid boolean: use 1/0, true/false, yes/no or Y/N.")

    # openapi(): the value as a query string or form carries it (text); openapi_json():
    # as a JSON body may send it, where it differs (mockvoso/contract/wire.py).
    def openapi(self) -> dict[str, Any]:
        return {"$ref": "#/components/schemas/BoolWord"}

    def openapi_json(self) -> dict[str, Any]:
        return {"$ref": "#/components/schemas/BoolWordJson"}


class YesNo(ConvosoBool):
    """A boolean input stored the way Convoso answers it: "Y" or "N"."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        return "Y" if super()._deserialize(value, attr, data, **kwargs) else "N"


class WholeNumber(fields.Field):
    """A non-negative integer given as digits ("12", not "12.5" or "-1"); a JSON body may
    send the number itself (the parser passes 146.0 on as "146": JSON has one number type)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        text = plain(value, "whole number")
        if not is_digits(text):
            raise ValidationError("Not a valid whole number.")
        try:
            return int(text)
        except ValueError:  # more digits than int() converts (4300 by default)
            raise ValidationError("Not a valid whole number: too many digits.") from None

    def _top(self) -> int | None:
        return max((v.max for v in self.validators if isinstance(v, validate.Range)), default=None)

    def openapi(self) -> dict[str, Any]:
        # Forms and queries send digits. An upper bound is written into the pattern:
        # `maximum` binds numbers only, and "02000" is a string.
        top = self._top()
        if top is None:
            return {"type": "string", "pattern": "^([0-9]+)?$"}
        if len(str(top)) != str(top).count("9"):
            raise ValueError(f"WholeNumber: no pattern for an upper bound of {top}")
        return {"type": "string", "pattern": f"^(0*[0-9]{{1,{len(str(top))}}})?$"}

    def openapi_json(self) -> dict[str, Any]:
        # A JSON body may also send the number itself (146.0 is 146 too).
        top = self._top()
        bounds = {"minimum": 0} if top is None else {"minimum": 0, "maximum": top}
        return {**self.openapi(), "type": ["integer", "string"], **bounds}


class Paging(WholeNumber):
    """limit/offset: any value reaches the action, which answers a bad one with its own
    Convoso code at HTTP 200 (7230/7231), so the contract calls no value of it invalid."""

    def openapi(self) -> dict[str, Any]:
        return {"type": "string"}

    def openapi_json(self) -> dict[str, Any]:
        return {"$ref": "#/components/schemas/ParamValue"}


class Text(fields.String):
    """Free text. A JSON body may send a number (as text: `"phone_number": 5305550123`);
    a JSON array or boolean is refused."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        return super()._deserialize(plain(value, "string"), attr, data, **kwargs)

    def openapi(self) -> dict[str, Any]:
        return {"type": "string"}

    def openapi_json(self) -> dict[str, Any]:
        form: dict[str, Any] = {"type": ["string", "number"]}
        top = max((v.max for v in self.validators if isinstance(v, validate.Length)), default=None)
        # A number is read as its digits (1e300 as 301 of them), so a length bound is also
        # a bound on numbers. Past 4300 digits Python's JSON parser refuses the number
        # anyway (a 400), so a bound that large says nothing and is left out.
        if top is not None and top < 4300:
            form |= {"exclusiveMaximum": 10**top, "exclusiveMinimum": -(10 ** (top - 1))}
        return form


class CommaList(fields.Field):
    """A comma-separated multi-value filter (`user=a@x.com,b@x.com`), blanks dropped."""

    def __init__(self, *, digits: bool = False, upper: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.digits = digits
        self.upper = upper

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> list[str]:
        if type(value) is JsonBool:
            raise ValidationError("Not a valid list: not a boolean.")
        if type(value) is JsonList:
            # A JSON array's items are taken as sent: none may be empty.
            items = list(value.items)
            if not items or "" in items:
                raise ValidationError("Must name at least one value, and no empty one.")
        else:
            items = [part.strip(_BLANK) for part in str(value).split(",")]
            items = [item for item in items if item]
        if not items:
            raise ValidationError("Must name at least one value.")
        if self.digits:
            bad = [item for item in items if not is_digits(item)]
            if bad:
                raise ValidationError(f"Not a valid id: {bad[0]!r}.")
            try:
                items = [str(int(item)) for item in items]
            except ValueError:  # more digits than int() converts (4300 by default)
                raise ValidationError("Not a valid id: too many digits.") from None
        if self.upper:
            items = [item.upper() for item in items]
        return items

    def _kind(self) -> str:
        if self.digits:
            return "IdList"
        if any(isinstance(v, validate.ContainsOnly) for v in self.validators):
            return "CallTypeList"
        return "TextList"

    def openapi(self) -> dict[str, Any]:
        return {"$ref": f"#/components/schemas/{self._kind()}"}

    def openapi_json(self) -> dict[str, Any]:
        return {"$ref": f"#/components/schemas/{self._kind()}Json"}


class Timestamp(fields.Field):
    """`YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DD`, returned as `YYYY-MM-DD HH:MM:SS`.

    A bare date means the start of the day for a lower bound and its end for an upper
    bound, which is what clients that send bare dates expect.
    """

    def __init__(self, *, bound: str = "start", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.bound = bound

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = plain(value, "date")
        if _DATE.match(text):
            text += " 00:00:00" if self.bound == "start" else " 23:59:59"
        elif _DATETIME.match(text):
            text = text.replace("T", " ")
        else:
            raise ValidationError("Not a valid date: use YYYY-MM-DD HH:MM:SS or YYYY-MM-DD.")
        try:
            datetime.strptime(text, "%Y-%m-%d %H:%M:%S")
        except ValueError as exc:
            raise ValidationError("Not a valid calendar date.") from exc
        return text

    def openapi(self) -> dict[str, Any]:
        return {"$ref": "#/components/schemas/Timestamp"}


class Choice(fields.Field):
    """One of a few words, any case (`order=DESC`), returned lower-case."""

    def __init__(self, choices: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.choices = tuple(c.lower() for c in choices)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = plain(value, "choice").lower()
        if text not in self.choices:
            raise ValidationError(f"Must be one of: {', '.join(self.choices)}.")
        return text

    def openapi(self) -> dict[str, Any]:
        if self.choices == ("asc", "desc"):
            return {"$ref": "#/components/schemas/Order"}
        # Any case: each letter a [xX] class (empty means not given).
        words = "|".join(
            "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in word)
            for word in self.choices
        )
        return {"type": "string", "pattern": f"^({words})?$"}
