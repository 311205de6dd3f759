"""OfficeStore: one office's data behind one lock, each resource's operations from its mixin."""

from __future__ import annotations

from mockvoso.store.agent_reports import AgentReportsMixin
from mockvoso.store.call_log_writes import CallLogWritesMixin
from mockvoso.store.callbacks import CallbacksMixin
from mockvoso.store.campaigns import CampaignsMixin
from mockvoso.store.dialer import DialerMixin
from mockvoso.store.dnc import DncMixin
from mockvoso.store.lead_history import LeadHistoryMixin
from mockvoso.store.lead_recordings import LeadRecordingsMixin
from mockvoso.store.lead_validation import LeadValidationMixin
from mockvoso.store.leads import LeadsMixin
from mockvoso.store.lists import ListsMixin
from mockvoso.store.log import LogMixin
from mockvoso.store.sms_opt_out import SmsOptOutMixin
from mockvoso.store.statuses import StatusesMixin
from mockvoso.store.users import UsersMixin


class OfficeStore(
    LeadsMixin,
    ListsMixin,
    CampaignsMixin,
    LogMixin,
    UsersMixin,
    CallbacksMixin,
    LeadHistoryMixin,
    LeadRecordingsMixin,
    CallLogWritesMixin,
    DncMixin,
    SmsOptOutMixin,
    StatusesMixin,
    AgentReportsMixin,
    LeadValidationMixin,
    DialerMixin,
):
    """One tenant (see StoreBase): one mixin per Convoso resource, named after it."""
