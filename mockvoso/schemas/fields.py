"""marshmallow fields for Convoso's loose wire values: 1/0/yes/no booleans, comma lists, dates."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from marshmallow import ValidationError, fields, validate

from mockvoso.wire import FALSE_WORDS, TRUE_WORDS

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

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        text = str(value).strip().lower()
        if text in TRUE_WORDS:
            return self._answer(True)
        if text in FALSE_WORDS:
            return self._answer(False)
        raise ValidationError("Not a valid boolean: use 1/0, true/false, yes/no or Y/N.")

    def _answer(self, flag: bool) -> Any:
        """What the loaded arguments hold for the word (a subclass may store it otherwise)."""
        return flag

    def openapi(self) -> dict[str, Any]:
        return {"$ref": "#/components/schemas/BoolWord"}


class YesNo(ConvosoBool):
    """A boolean input stored the way Convoso answers it: "Y" or "N"."""

    def _answer(self, flag: bool) -> str:
        return "Y" if flag else "N"


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

    def openapi(self) -> dict[str, Any]:
        # JSON bodies may send the number itself; forms and queries send its digits.
        return {"type": ["integer", "string"], "minimum": 0, "pattern": "^[0-9]+$"}


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

    def openapi(self) -> dict[str, Any]:
        if self.digits:
            return {"$ref": "#/components/schemas/IdList"}
        if any(isinstance(v, validate.ContainsOnly) for v in self.validators):
            return {"$ref": "#/components/schemas/CallTypeList"}
        return {"$ref": "#/components/schemas/TextList"}


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

    def openapi(self) -> dict[str, Any]:
        return {"$ref": "#/components/schemas/Timestamp"}


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

    def openapi(self) -> dict[str, Any]:
        if self.choices == ("asc", "desc"):
            return {"$ref": "#/components/schemas/Order"}
        return {"type": "string", "enum": [*self.choices, *(c.upper() for c in self.choices)]}


class Vocabulary(Choice):
    """A word from a small vocabulary in any case, answered as its canonical form
    (`recipient=Personal` -> "USERONLY"); several words may share one meaning."""

    def __init__(self, words: dict[str, str], **kwargs: Any) -> None:
        super().__init__(tuple(words), **kwargs)
        self.words = {word.lower(): meaning for word, meaning in words.items()}

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        return self.words[super()._deserialize(value, attr, data, **kwargs)]

    def openapi(self) -> dict[str, Any]:
        spellings = [w for c in self.choices for w in (c, c.upper(), c.capitalize())]
        return {
            "type": "string",
            "enum": list(dict.fromkeys(spellings)),
            "description": "Any case.",
        }


_OFFSET = re.compile(r"^([+-]?)([0-9]{1,2})(?:\.([0-9]{1,2}))?$", re.ASCII)


class UtcOffset(fields.Field):
    """A time zone: Convoso's decimal hours from UTC ("-7.00", "5.5", "+0") or an IANA
    name ("America/Los_Angeles", which walmat/convoso-sdk sends); returns a tzinfo."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> tzinfo:
        text = str(value).strip()
        match = _OFFSET.match(text)
        if match:
            sign, hours, fraction = match.groups()
            # Decimal hours, as the name says: "-7.00" is 7 h, "5.50" is 5 h 30 min.
            offset = float(f"{hours}.{fraction or '0'}")
            if offset > 14:
                raise ValidationError("Not a valid UTC offset: at most 14 hours.")
            minutes = round(offset * 60)
            return timezone(timedelta(minutes=-minutes if sign == "-" else minutes))
        if "/" in text or text.upper() == "UTC":
            try:
                return ZoneInfo(text)
            except (ZoneInfoNotFoundError, ValueError, OSError):
                pass
        raise ValidationError('Not a valid time zone: use hours from UTC ("-7.00") or a tz name.')

    def openapi(self) -> dict[str, Any]:
        return {
            "type": "string",
            "description": 'Hours from UTC as a decimal ("-7.00") or an IANA zone name.',
            "examples": ["-7.00", "America/Los_Angeles"],
        }


_AMOUNT = re.compile(r"^-?[0-9]{1,12}(\.[0-9]{1,4})?$", re.ASCII)


class Amount(fields.Field):
    """A money amount in decimal notation ("150.75", "-20", at most 4 decimals), kept as
    its text so no float rounding creeps in."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        if isinstance(value, bool):
            raise ValidationError("Not a valid amount.")
        text = str(value).strip()
        if not _AMOUNT.match(text):
            raise ValidationError('Not a valid amount: use digits with a "." ("150.75").')
        return text

    def openapi(self) -> dict[str, Any]:
        return {"type": ["number", "string"], "pattern": _AMOUNT.pattern}


class Checked(fields.String):
    """A value the action checks itself, so that a bad one gets the action's documented
    Convoso code instead of an HTTP 400 (DNC's 6006/6007/6026, status's 6061, ...).

    A string, or a JSON number (read as its digits): clients send ids both ways.
    """

    def openapi(self) -> dict[str, Any]:
        return {"type": ["string", "integer"]}


# A day or one second, shaped like a calendar date; the one pattern the field checks and
# the contract states (a filter on a day that does not exist, say February 30th, simply
# matches nothing, so no calendar check is needed).
_DAY_OR_SECOND = (
    r"^[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
    r"([ T]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9])?$"
)
_DAY_OR_SECOND_RE = re.compile(_DAY_OR_SECOND, re.ASCII)


class DayOrTimestamp(fields.Field):
    """`YYYY-MM-DD` (a whole day) or `YYYY-MM-DD HH:MM:SS` (one second), a `T` read as a
    space: dnc/search and sms-opt-out/search's `insert_date` (sources disagree on which)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = str(value).strip()
        if not _DAY_OR_SECOND_RE.match(text):
            raise ValidationError("Not a valid date: use YYYY-MM-DD or YYYY-MM-DD HH:MM:SS.")
        return text.replace("T", " ")

    def openapi(self) -> dict[str, Any]:
        return {
            "type": "string",
            "pattern": _DAY_OR_SECOND,
            "description": "A day (`YYYY-MM-DD`) or one second (`YYYY-MM-DD HH:MM:SS`).",
        }
