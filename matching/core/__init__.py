"""The neutral core every app of ``matching`` may use: vocabularies, jurisdiction
scope, identity validators, encryption at rest, notifications, state transitions,
domain errors and the admin kit. It imports nothing else of ours."""
