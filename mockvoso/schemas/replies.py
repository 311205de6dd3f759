"""Building blocks of the output schemas: the success bodies the contract describes."""

from __future__ import annotations

from typing import Any, ClassVar, Self, cast

from marshmallow import RAISE, Schema, fields, validate

# Wire patterns the output schemas share (re.ASCII is implied: [0-9], not \d).
DIGITS = r"^[0-9]+$"
TIMESTAMP = r"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$"


class Reply(Schema):
    """A JSON object with exactly its declared keys (additionalProperties: false).

    OPENAPI holds what marshmallow cannot say (a description, additionalProperties of a
    type); the generator merges it into the schema's component.
    """

    OPENAPI: ClassVar[dict[str, Any]] = {}

    class Meta:
        unknown = RAISE
        ordered = True

    @classmethod
    def from_dict(
        cls, fields: dict[str, fields.Field], *, name: str = "GeneratedSchema"
    ) -> type[Self]:
        """As marshmallow's, typed as what it builds (a subclass of cls), so a built
        reply keeps OPENAPI and the other Reply attributes for the type checker."""
        return cast("type[Self]", super().from_dict(fields, name=name))


def success() -> fields.Field:
    """`"success": true`: the contract's `const: true`."""
    return fields.Constant(True, required=True)


def text(description: str | None = None, *, pattern: str | None = None) -> fields.Field:
    """A string or null (Convoso sends ids and counters as strings in many places)."""
    return fields.String(
        required=True,
        allow_none=True,
        validate=validate.Regexp(pattern) if pattern else None,
        metadata={"description": description} if description else {},
    )


def string(description: str | None = None, *, pattern: str | None = None) -> fields.Field:
    return fields.String(
        required=True,
        validate=validate.Regexp(pattern) if pattern else None,
        metadata={"description": description} if description else {},
    )


def integer(
    description: str | None = None, *, minimum: int | None = None, maximum: int | None = None
) -> fields.Field:
    return fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(min=minimum, max=maximum)
        if (minimum, maximum) != (None, None)
        else None,
        metadata={"description": description} if description else {},
    )


def nested(
    schema: type[Schema], *, many: bool = False, description: str | None = None
) -> fields.Field:
    return fields.Nested(
        schema,
        many=many,
        required=True,
        metadata={"description": description} if description else {},
    )


class Ok(Reply):
    """A success with nothing to say: `{"success": true}`."""

    success = success()
