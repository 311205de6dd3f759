"""Convoso Connect: receivers per office, events turned into posts, a delivery journal."""

from mockvoso.webhooks.delivery import Dispatcher
from mockvoso.webhooks.receivers import EVENTS, Receiver, RegistrationError, parse_receiver

__all__ = ["EVENTS", "Dispatcher", "Receiver", "RegistrationError", "parse_receiver"]
