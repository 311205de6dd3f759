"""Token and office auth: 401 for a missing or unknown token, 403 for a wrong office or section."""

from __future__ import annotations

from collections.abc import Mapping

from mockvoso.errors import (
    TEXT_FORBIDDEN_SECTION,
    TEXT_INVALID_TOKEN,
    TEXT_MISSING_OFFICE,
    TEXT_MISSING_TOKEN,
    TEXT_WRONG_OFFICE,
    AuthError,
)
from mockvoso.world import TokenGrant, World


def token_from(params: Mapping[str, str], headers: Mapping[str, str]) -> str | None:
    """auth_token (query, form or JSON), else `Authorization: Bearer <token>`."""
    token = params.get("auth_token")
    if token:
        return token
    header = headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def authenticate(
    world: World, params: Mapping[str, str], headers: Mapping[str, str], section: str
) -> TokenGrant:
    """The token's grant for this section, or an AuthError (401/403)."""
    token = token_from(params, headers)
    if token is None:
        raise AuthError(401, TEXT_MISSING_TOKEN)
    grant = world.tokens.get(token)
    if grant is None:
        raise AuthError(401, TEXT_INVALID_TOKEN, legacy_code=5001)
    office = params.get("officeAcronym") or headers.get("X-Office-Acronym")
    if office:
        if office.upper() != grant.office.upper():
            raise AuthError(403, TEXT_WRONG_OFFICE)
    elif world.settings.require_office:
        raise AuthError(403, TEXT_MISSING_OFFICE)
    if section not in grant.sections:
        raise AuthError(403, TEXT_FORBIDDEN_SECTION)
    return grant
