"""The studio's catalogue of services, as the owner edits it (API and /studio/settings/)."""
