"""vendor: stand-ins for third-party libraries. Not yours to edit."""
