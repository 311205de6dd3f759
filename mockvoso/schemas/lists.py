"""Input schemas of lists/insert, lists/update, lists/delete, lists/search and campaigns/*."""

from __future__ import annotations

from marshmallow import fields, validate

from mockvoso.schemas.common import ArgsSchema
from mockvoso.schemas.fields import CommaList, ConvosoBool, WholeNumber, YesNo


class ListInsertArgs(ArgsSchema):
    name = fields.String()
    campaign_id = WholeNumber()
    description = fields.String(validate=validate.Length(max=255))
    status = YesNo()  # 1 active (default) / 0 inactive on input; "Y"/"N" on output


class ListUpdateArgs(ListInsertArgs):
    list_id = WholeNumber()


class ListDeleteArgs(ArgsSchema):
    list_id = WholeNumber()


class ListSearchArgs(ArgsSchema):
    # Officially `status` is required; working clients omit it, so it is optional here.
    id = CommaList(digits=True)
    campaign_id = WholeNumber()
    status = YesNo()


class CampaignSearchArgs(ArgsSchema):
    """campaigns/search takes only the token; clients' limit/offset are ignored."""


class CampaignStatusArgs(ArgsSchema):
    campaign_id = WholeNumber()
    status = ConvosoBool()  # 1/0 per one SDK, true/false per another: both accepted
