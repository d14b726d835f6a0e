"""The VWC staff workspace: screening, moderation, assisted intake, warm hand-over, rescue and the audit log."""
