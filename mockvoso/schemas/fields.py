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
        if type(value) is JsonList:
            raise ValidationError("Not a valid boolean: send one value, not an array.")
        text = str(value).lower()
        if text in TRUE_WORDS:
            return self._answer(True)
        if text in FALSE_WORDS:
            return self._answer(False)
        raise ValidationError("Not a valid boolean: use 1/0, true/false, yes/no or Y/N.")

    def _answer(self, flag: bool) -> Any:
        """What the loaded arguments hold for the word (a subclass may store it otherwise)."""
        return flag

    # openapi(): the value as a query string or form carries it (text); openapi_json():
    # as a JSON body may send it, where it differs (mockvoso/contract/wire.py).
    def openapi(self) -> dict[str, Any]:
        return {"$ref": "#/components/schemas/BoolWord"}

    def openapi_json(self) -> dict[str, Any]:
        return {"$ref": "#/components/schemas/BoolWordJson"}


class YesNo(ConvosoBool):
    """A boolean input stored the way Convoso answers it: "Y" or "N"."""

    def _answer(self, flag: bool) -> str:
        return "Y" if flag else "N"


def at_most(top: int) -> str:
    """A regular expression for the numbers 0..top without leading zeros: shorter numbers,
    then for each digit of top a smaller digit there after top's own prefix, then top."""
    digits = str(top)
    if set(digits) == {"9"}:
        return f"[0-9]{{1,{len(digits)}}}"
    shorter = [f"[0-9]{{1,{len(digits) - 1}}}"] if len(digits) > 1 else []
    same = []
    for i, d in enumerate(digits):
        low = 1 if i == 0 and shorter else 0  # a leading 0 is a shorter number
        if int(d) > low:
            rest = len(digits) - i - 1
            same.append(f"{digits[:i]}[{low}-{int(d) - 1}]" + (f"[0-9]{{{rest}}}" if rest else ""))
    return "|".join([*shorter, *same, digits])


class WholeNumber(fields.Field):
    """A non-negative integer given as digits ("12", not "12.5" or "-1"); a JSON body may
    send the number itself (the parser passes 146.0 on as "146": JSON has one number type)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        text = plain(value, "whole number")
        if not is_digits(text):
            raise ValidationError(not_a_whole_number(text))
        try:
            return int(text)
        except ValueError:  # more digits than int() converts (4300 by default)
            raise ValidationError(TOO_MANY_DIGITS) from None

    def _top(self) -> int | None:
        bounds = [v.max for v in self.validators if isinstance(v, validate.Range)]
        return min((int(b) for b in bounds if b is not None), default=None)

    def openapi(self) -> dict[str, Any]:
        # Forms and queries send digits. An upper bound is written into the pattern:
        # `maximum` binds numbers only, and "02000" is a string.
        top = self._top()
        if top is None:
            return {"type": "string", "pattern": "^([0-9]+)?$"}
        return {"type": "string", "pattern": f"^(0*({at_most(top)}))?$"}

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


# Decimal digits of the largest float (1.8e308): a length bound above it is no number bound.
_FLOAT_DIGITS = 308


class Text(fields.String):
    """Free text. A JSON body may send a number (as text: `"phone_number": 5305550123`);
    a JSON array or boolean is refused."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        return super()._deserialize(plain(value, "string"), attr, data, **kwargs)

    def _pattern(self) -> str | None:
        patterns = [str(v.regex.pattern) for v in self.validators if isinstance(v, validate.Regexp)]
        if len(patterns) > 1:
            raise ValueError("Text: one Regexp at most (the contract states one pattern)")
        return patterns[0] if patterns else None

    def openapi(self) -> dict[str, Any]:
        pattern = self._pattern()
        return {"type": "string", **({"pattern": pattern} if pattern else {})}

    def openapi_json(self) -> dict[str, Any]:
        # With a pattern, a fraction (read as "1.5") or an exponent could break it: only
        # whole numbers are promised then.
        pattern = self._pattern()
        form: dict[str, Any] = {
            "type": ["string", "integer" if pattern else "number"],
            **({"pattern": pattern} if pattern else {}),
        }
        bounds = [v.max for v in self.validators if isinstance(v, validate.Length)]
        top = min((b for b in bounds if b is not None), default=None)
        # A number is read as its digits (1e300 as 301 of them), so a length bound is also
        # a bound on numbers. A bound past a float's range (10^308) is left out: tools
        # that read the contract turn bounds into floats, and only an integer literal of
        # that many digits could break it.
        if top is not None and top < _FLOAT_DIGITS:
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
                raise ValidationError(not_a_whole_number(bad[0]))
            try:
                items = [str(int(item)) for item in items]
            except ValueError:  # more digits than int() converts (4300 by default)
                raise ValidationError(TOO_MANY_DIGITS) from None
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
        return {"type": "string", "pattern": f"^({_any_case_words(self.choices)})?$"}


def _any_case_words(words: tuple[str, ...]) -> str:
    """`w1|w2|...` in any case: each letter a [xX] class."""
    return "|".join(
        "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in word)
        for word in words
    )


class Vocabulary(Choice):
    """A word from a small vocabulary in any case, answered as its canonical form
    (`recipient=Personal` -> "USERONLY"); several words may share one meaning."""

    def __init__(self, words: dict[str, str], **kwargs: Any) -> None:
        super().__init__(tuple(words), **kwargs)
        self.words = {word.lower(): meaning for word, meaning in words.items()}

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        return self.words[super()._deserialize(value, attr, data, **kwargs)]

    def openapi(self) -> dict[str, Any]:
        return {
            "type": "string",
            "pattern": f"^({_any_case_words(self.choices)})?$",
            "description": "Any case.",
        }


_OFFSET = re.compile(r"^([+-]?)([0-9]{1,2})(?:\.([0-9]{1,2}))?$", re.ASCII)
# What the contract calls a valid offset: at most 14 hours (the field's own bound), or a
# zone name shaped like the IANA ones (Area/Location) or UTC.
_OFFSET_PATTERN = r"[+-]?((0?[0-9]|1[0-3])(\.[0-9]{1,2})?|14(\.00?)?)"
_ZONE_PATTERN = r"UTC|[A-Z][A-Za-z_]+(/[A-Z][A-Za-z0-9_+-]+)+"


class UtcOffset(fields.Field):
    """A time zone: Convoso's decimal hours from UTC ("-7.00", "5.5", "+0") or an IANA
    name ("America/Los_Angeles", which walmat/convoso-sdk sends); returns a tzinfo."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> tzinfo:
        text = plain(value, "time zone")
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
            "description": (
                'Hours from UTC as a decimal ("-7.00", at most 14) or an IANA zone name (a name\n'
                "the server's time-zone database does not know is a 400)."
            ),
            "pattern": f"^({_OFFSET_PATTERN}|{_ZONE_PATTERN})?$",
            "examples": ["-7.00", "America/Los_Angeles"],
        }

    def openapi_json(self) -> dict[str, Any]:
        # A JSON number is read as its text: whole hours promise it (a fraction may come
        # out in exponent notation, so only strings promise those).
        return {"anyOf": [self.openapi(), {"type": "integer", "minimum": -14, "maximum": 14}]}


_AMOUNT = re.compile(r"^-?[0-9]{1,12}(\.[0-9]{1,4})?$", re.ASCII)


class Amount(fields.Field):
    """A money amount in decimal notation ("150.75", "-20", at most 4 decimals), kept as
    its text so no float rounding creeps in."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = plain(value, "amount")
        if not _AMOUNT.match(text):
            raise ValidationError('Not a valid amount: use digits with a "." ("150.75").')
        return text

    def openapi(self) -> dict[str, Any]:
        return {"type": "string", "pattern": r"^(-?[0-9]{1,12}(\.[0-9]{1,4})?)?$"}

    def openapi_json(self) -> dict[str, Any]:
        # A JSON number is read as its text; whole numbers of up to 12 digits always read
        # right (a fraction may come out in exponent notation, so only strings promise it).
        bound = 10**12
        return {
            "anyOf": [
                self.openapi(),
                {"type": "integer", "exclusiveMinimum": -bound, "exclusiveMaximum": bound},
            ]
        }


class Checked(fields.String):
    """A value the action checks itself, so that a bad one gets the action's documented
    Convoso code instead of an HTTP 400 (DNC's 6006/6007/6026, status's 6061, ...).

    A string, or a JSON number (read as its digits): clients send ids both ways. A JSON
    array or boolean is a 400, as for every single-valued parameter.
    """

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        return super()._deserialize(plain(value, "string"), attr, data, **kwargs)

    def openapi(self) -> dict[str, Any]:
        return {"type": "string"}

    def openapi_json(self) -> dict[str, Any]:
        return {"type": ["string", "number"]}


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
        text = plain(value, "date")
        if not _DAY_OR_SECOND_RE.match(text):
            raise ValidationError("Not a valid date: use YYYY-MM-DD or YYYY-MM-DD HH:MM:SS.")
        return text.replace("T", " ")

    def openapi(self) -> dict[str, Any]:
        return {
            "type": "string",
            # Empty means not given, like every parameter.
            "pattern": f"^({_DAY_OR_SECOND[1:-1]})?$",
            "description": "A day (`YYYY-MM-DD`) or one second (`YYYY-MM-DD HH:MM:SS`).",
        }
