"""Input schemas of log/retrieve and users/recordings."""

from __future__ import annotations

from marshmallow import validate

from mockvoso.records import CALL_TYPES
from mockvoso.schemas.common import ArgsSchema
from mockvoso.schemas.fields import Choice, CommaList, ConvosoBool, Timestamp, WholeNumber


class LogRetrieveArgs(ArgsSchema):
    id = CommaList(digits=True)
    lead_id = CommaList(digits=True)
    # Ids are numbers: a word here is a wrong type (HTTP 400), as on every other action;
    # a number that names nothing is Convoso's domain error (6002/6004/6006/6030).
    campaign_id = CommaList(digits=True)
    queue_id = CommaList(digits=True)
    list_id = CommaList(digits=True)
    user_id = CommaList(digits=True)
    status = CommaList()
    phone_number = CommaList()
    number_dialed = CommaList()
    first_name = CommaList()
    last_name = CommaList()
    called_count = CommaList(digits=True)
    call_type = CommaList(upper=True, validate=validate.ContainsOnly(CALL_TYPES))
    start_time = Timestamp(bound="start")
    end_time = Timestamp(bound="end")
    limit = WholeNumber()
    offset = WholeNumber()
    order = Choice(("asc", "desc"))
    include_recordings = ConvosoBool()


class UserRecordingsArgs(ArgsSchema):
    user = CommaList()
    start_time = Timestamp(bound="start")
    end_time = Timestamp(bound="end")
    limit = WholeNumber()
    offset = WholeNumber()
