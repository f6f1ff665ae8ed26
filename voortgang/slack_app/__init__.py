"""The Slack app in Socket Mode: officers submit and coordinators decide as verified Slack users.

Socket Mode needs no inbound endpoint: the app opens a WebSocket to Slack
(``apps.connections.open`` with the app-level token) and Slack sends every interaction over
it. ``app.py`` wires thin Bolt handlers to the plain functions of ``submissions.py`` and
``decisions.py``; ``modals.py`` builds the views and reads them back; ``people.py`` says who
a Slack user is in the catalogue. Dutch texts live in ``texts.py``.
"""
