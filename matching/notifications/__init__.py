"""One notification service: the in-platform inbox, e-mail and SMS (docs/notifications.md)."""
