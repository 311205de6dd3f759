"""Every error mockvoso answers with: its HTTP status, Convoso code and message text."""

from __future__ import annotations

from typing import Any

from mockvoso.records import LIST_NAME_MIN

# Convoso's domain error texts (convoso-api.md §1.5). Codes are reused with other
# meanings on other endpoints in the real API; the text here is the one we answer.
DOMAIN_ERRORS: dict[int, str] = {
    102: "List deletion in progress",
    # The captured real answer to a bad token (convoso-api.md §1.4, [PHP] test mock);
    # answered with --legacy-auth-status, and injectable as a domain-error fault.
    5001: "Auth token is invalid",
    6000: "Missing lists",
    6001: "No such Lead",
    6002: "No such List",
    6003: "The List requires a name",
    6004: "Unknown Campaign ID",
    6005: "Missing users",
    6006: "No such User",
    6007: "The Lead requires a phone number and list id",
    6008: "The phone number is invalid",
    6009: "The phone number already exists",
    6010: "Missing status",
    6012: "Required fields are missing",
    6023: "Required fields are missed",
    6030: "Unknown Queue ID",
    6031: "Missing Agents",
    6032: "Missing Call Log ID",
    6033: "No such Call Log",
    6035: "Either Extra Field 01 or Extra Field 02 need to have value",
    6036: "Either Revenue or Return need to have value",
    6038: "No such Callback",
    6046: f"The List name should be at least {LIST_NAME_MIN} characters long",
    6079: "Invalid Email(s)",
    6081: "The list name should be unique",
    6090: "Invalid criteria key",
    7230: "Invalid limit value",
    7231: "Invalid offset value",
    7237: "Invalid callback_time",
    # DNC, SMS opt-out and statuses (convoso-api-more.md §2, §6, §13). These pages reuse
    # 6000-6008 with other texts: their modules pass the text with the code.
    4001: "Missing a required field: phone_number / phone_code / campaign_id.",
    4002: "phone_number / phone_code / campaign_id must be numeric.",
    6011: "The phone number is on the DNC list",  # mockvoso's own: see README
    6026: "Missing or invalid Country Code",
    6056: "Missing or invalid value for ID",
    6057: "Invalid Purpose Provided",
    6058: "Invalid Reason Provided",
    6059: "This combination of Phone number, Campaign ID, and Phone Code already exists.",
    6060: "Missing Status Description",
    6061: (
        "Missing or Invalid Status Abbreviation, only Alphanumeric characters allowed. "
        "Must be between 2-6 characters long."
    ),
    **{
        code: f"Missing or Invalid {flag} option, Must be Y for Yes or N for No."
        for code, flag in zip(
            range(6062, 6069),
            ("Final", "Reached", "Success", "DNC", "Callback", "Contact", "Voicemail"),
            strict=True,
        )
    },
    6069: "Missing or Invalid Status Abbreviation, Only custom statuses can be modified.",
    **{
        code: (
            f"{flag} option can not be set to a empty value, please assign a Y for Yes "
            "or N for No or dont set parameter."
        )
        for code, flag in zip(
            range(6071, 6078),
            ("Final", "Reached", "Success", "DNC", "Callback", "Contact", "Voicemail"),
            strict=True,
        )
    },
    6078: "HEX color defined is invalid, do not include #, valid example: 6711d1.",
}

# Texts of the HTTP-level errors, named so tests can match them exactly.
TEXT_MISSING_TOKEN = "Missing auth_token"
TEXT_INVALID_TOKEN = "Auth token is invalid"
TEXT_WRONG_OFFICE = "token is invalid for the office"
TEXT_MISSING_OFFICE = "Missing officeAcronym"
TEXT_FORBIDDEN_SECTION = "Forbidden"
TEXT_NOT_FOUND = "Not Found"
TEXT_METHOD_NOT_ALLOWED = "Method Not Allowed"
TEXT_TOO_LARGE = "Request body too large"
TEXT_MALFORMED_JSON = "Malformed JSON body"
TEXT_NOT_AN_OBJECT = "JSON body must be an object"
TEXT_RATE_LIMITED = "Too Many Requests"
TEXT_INTERNAL = "Failed to process the request"

HTTP_TEXTS: dict[int, str] = {
    400: "Bad Request",
    401: "Unauthorized",
    403: TEXT_FORBIDDEN_SECTION,
    404: TEXT_NOT_FOUND,
    405: TEXT_METHOD_NOT_ALLOWED,
    408: "Request Timeout",
    409: "Conflict",
    413: TEXT_TOO_LARGE,
    422: "Unprocessable Entity",
    429: TEXT_RATE_LIMITED,
    500: TEXT_INTERNAL,
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


def http_text(status: int) -> str:
    """The envelope text for an HTTP status (a generic one for unusual codes)."""
    return HTTP_TEXTS.get(status, f"HTTP {status}")


class MockvosoError(Exception):
    """Base of every error that becomes a Convoso-style envelope."""

    http_status: int = 500
    code: int = 500
    text: str = TEXT_INTERNAL

    def __init__(self, text: str | None = None, *, code: int | None = None) -> None:
        if text is not None:
            self.text = text
        if code is not None:
            self.code = code
        super().__init__(self.text)


class ConvosoError(MockvosoError):
    """A Convoso domain error: HTTP 200 with success:false (the real API's habit)."""

    http_status = 200

    def __init__(self, code: int, text: str | None = None) -> None:
        super().__init__(text if text is not None else DOMAIN_ERRORS[code], code=code)


class HTTPError(MockvosoError):
    """An error answered with a non-200 HTTP status and the same envelope."""

    def __init__(self, status: int, text: str | None = None) -> None:
        self.http_status = status
        super().__init__(text if text is not None else http_text(status), code=status)


class AuthError(HTTPError):
    """401/403 from the auth step; may be answered at HTTP 200 in legacy mode.

    legacy_code: the Convoso code a real account answers at HTTP 200, where one is
    documented (5001 for a bad token); without one the HTTP status stays the code.
    """

    def __init__(self, status: int, text: str | None = None, legacy_code: int | None = None):
        super().__init__(status, text)
        self.legacy_code = legacy_code or status


class BadValue(HTTPError):
    """A parameter of the wrong type or form: HTTP 400, or 200 with --bad-value-status 200."""

    def __init__(self, text: str) -> None:
        super().__init__(400, text)


class ControlError(Exception):
    """A bad control-plane request: plain JSON {"error": ...} with an HTTP status."""

    def __init__(self, status: int, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"error": self.message}
        if self.field is not None:
            body["field"] = self.field
        return body
