"""Action: one Convoso action's declaration (name, schemas, view, prose, error codes)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from marshmallow import Schema

    from mockvoso.store import OfficeStore

# A view gets the office's store and the arguments its input schema loaded, and returns
# the success body as plain JSON data; errors are raised (mockvoso.errors).
View = Callable[["OfficeStore", dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Action:
    """/v1/<name>, answering GET and POST alike.

    `args` loads the merged request parameters; `result` describes the success body for
    the contract (the view builds plain dicts for speed; the suite proves they conform).
    `errors` lists the Convoso domain codes the action can answer at HTTP 200.
    """

    name: str
    view: View
    args: type[Schema]
    result: type[Schema]
    summary: str
    description: str = ""
    errors: tuple[int, ...] = ()
    # Texts of codes this action words differently from mockvoso.errors.DOMAIN_ERRORS
    # (Convoso reuses 6000-6008 with other meanings on its DNC and SMS pages).
    error_texts: dict[int, str] = field(default_factory=dict)
    section: str = ""  # filled from the resource table (mockvoso.actions.RESOURCES)
    tag: str = ""  # the resource module's TAG: the contract's group
    examples: dict[str, dict[str, Any]] = field(default_factory=dict)  # request examples

    @property
    def resource(self) -> str:
        return self.name.split("/", 1)[0]

    def in_resource(self, section: str, tag: str) -> Action:
        return replace(self, section=section, tag=tag)

    def schema(self) -> Schema:
        """The input schema instance, built once per action (schemas are reusable)."""
        return _instance(self.args)


_INSTANCES: dict[type[Schema], Schema] = {}


def _instance(schema_class: type[Schema]) -> Schema:
    instance = _INSTANCES.get(schema_class)
    if instance is None:
        instance = _INSTANCES[schema_class] = schema_class()
    return instance
