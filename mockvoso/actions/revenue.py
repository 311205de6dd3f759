"""revenue/update (a call-log row's revenue): schema, view and declaration."""

from __future__ import annotations

from typing import Any

from mockvoso.actions.action import Action
from mockvoso.schemas.common import ArgsSchema
from mockvoso.schemas.fields import Amount, ConvosoBool, WholeNumber
from mockvoso.schemas.replies import DIGITS, Reply, nested, string, success
from mockvoso.store import OfficeStore

TAG = "Call log"  # the contract's group: revenue is written on a call-log row

# --------------------------------------------------------------------------- input


# "return" is a Python keyword, hence from_dict: the field is named as on the wire.
RevenueUpdateArgs = ArgsSchema.from_dict(
    {"call_log_id": WholeNumber(), "revenue": Amount(), "return": ConvosoBool()},
    name="RevenueUpdateArgs",
)


# --------------------------------------------------------------------------- output


class RevenueUpdateData(Reply):
    call_log_id = string("The row's id, as a **string**.", pattern=DIGITS)


class RevenueUpdateResult(Reply):
    success = success()
    data = nested(RevenueUpdateData)


# --------------------------------------------------------------------------- view


def revenue_update(store: OfficeStore, args: dict[str, Any]) -> dict[str, Any]:
    values = {}
    if "revenue" in args:
        values["revenue"] = args["revenue"]
    if "return" in args:
        values["return"] = "1" if args["return"] else "0"
    call_log_id = store.update_revenue(args.get("call_log_id"), values)
    return {"success": True, "data": {"call_log_id": str(call_log_id)}}


# --------------------------------------------------------------------------- declaration

ACTIONS = (
    Action(
        "revenue/update",
        view=revenue_update,
        args=RevenueUpdateArgs,
        result=RevenueUpdateResult,
        summary="Record revenue on a call",
        description="""\
Sets `revenue` (a decimal amount) and/or `return` (0/1) on the call-log row
`call_log_id`; at least one of the two is needed (6036). The values are kept with the row
(and in snapshots); log/retrieve's rows do not show them, as Convoso documents no such
keys there.

**Convoso quirk:** `data.call_log_id` is a **string**, and the answer is the same with
`return=1` (the official page says it returns the updated row; its example does not).
""",
        errors=(6032, 6033, 6036),
    ),
)
