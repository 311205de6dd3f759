"""marshmallow fields for Convoso's loose wire values: 1/0/yes/no booleans, comma lists, dates."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from marshmallow import ValidationError, fields

_TRUE = frozenset({"1", "true", "yes", "y", "on"})
_FALSE = frozenset({"0", "false", "no", "n", "off"})
# re.ASCII: \d would otherwise also match full-width and other scripts' digits.
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}$", re.ASCII)


# One wording for every number or id of the wrong type, whichever action reads it.
TOO_MANY_DIGITS = "Not a valid whole number: too many digits."


def not_a_whole_number(text: str) -> str:
    """`Not a valid whole number: 'abc'.`: the value is named, as clients log it."""
    return f"Not a valid whole number: {text!r}."


def is_digits(text: str) -> bool:
    """0-9 only: str.isdigit() alone also takes "²", on which int() raises, and other
    scripts' digits, which int() accepts but Convoso would not."""
    return text.isascii() and text.isdigit()


class ConvosoBool(fields.Field):
    """1/0/true/false/yes/no/Y/N in any case (Convoso clients send all of them)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValidationError("Not a valid boolean: use 1/0, true/false, yes/no or Y/N.")


class YesNo(ConvosoBool):
    """A boolean input stored the way Convoso answers it: "Y" or "N"."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        return "Y" if super()._deserialize(value, attr, data, **kwargs) else "N"


class WholeNumber(fields.Field):
    """A non-negative integer given as digits ("12", not "12.0" or "-1")."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        text = str(value).strip()
        if not is_digits(text):
            raise ValidationError(not_a_whole_number(text))
        try:
            return int(text)
        except ValueError:  # more digits than int() converts (4300 by default)
            raise ValidationError(TOO_MANY_DIGITS) from None


class CommaList(fields.Field):
    """A comma-separated multi-value filter (`user=a@x.com,b@x.com`), blanks dropped."""

    def __init__(self, *, digits: bool = False, upper: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.digits = digits
        self.upper = upper

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> list[str]:
        items = [part.strip() for part in str(value).split(",")]
        items = [item for item in items if item]
        if not items:
            raise ValidationError("Must name at least one value.")
        if self.digits:
            bad = [item for item in items if not is_digits(item)]
            if bad:
                raise ValidationError(not_a_whole_number(bad[0]))
            try:
                items = [str(int(item)) for item in items]
            except ValueError:  # more digits than int() converts (4300 by default)
                raise ValidationError(TOO_MANY_DIGITS) from None
        if self.upper:
            items = [item.upper() for item in items]
        return items


class Timestamp(fields.Field):
    """`YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DD`, returned as `YYYY-MM-DD HH:MM:SS`.

    A bare date means the start of the day for a lower bound and its end for an upper
    bound, which is what clients that send bare dates expect.
    """

    def __init__(self, *, bound: str = "start", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.bound = bound

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = str(value).strip()
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


class Choice(fields.Field):
    """One of a few words, any case (`order=DESC`), returned lower-case."""

    def __init__(self, choices: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.choices = tuple(c.lower() for c in choices)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = str(value).strip().lower()
        if text not in self.choices:
            raise ValidationError(f"Must be one of: {', '.join(self.choices)}.")
        return text
