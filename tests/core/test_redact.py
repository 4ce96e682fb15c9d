"""Redaction: tokens, URL userinfo and Authorization headers never reach a log or message."""

from __future__ import annotations

import logging

import pytest

from monitor.core.redact import RedactFilter, redact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ws://user:pass-123@host:9000/ws", "ws://***@host:9000/ws"),
        (
            "connecting to wss://me:s3cret@feed.example.com",
            "connecting to wss://***@feed.example.com",
        ),
        ("WSS://Me:Pw@H/x?y=1", "WSS://***@H/x?y=1"),
        ("ws://:only-password@h/", "ws://***@h/"),
        ("ws://just-user@h/", "ws://***@h/"),
        ("ws://user:p@ss@w0rd@h/", "ws://***@h/"),  # a raw "@" in the password
        ("http://u:p@127.0.0.1:8766/symbols", "http://***@127.0.0.1:8766/symbols"),
        ("'ws://a:b@h' and 'ws://c:d@i'", "'ws://***@h' and 'ws://***@i'"),
        ("ws://u:pw@h/q?token=abcdef", "ws://***@h/q?token=***"),
    ],
)
def test_url_userinfo_is_masked(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "mail someone@example.com",
        "ws://host/path@with-at",
        "ws://host:1/x?q=a@b",
        "ws://host/#frag@x",
        "no url here: a:b@c",
        "ws://***@host/",  # already masked: stays as is
    ],
)
def test_text_without_userinfo_is_left_alone(text: str) -> None:
    assert redact(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("> Authorization: Basic dXNlcjpwYXNz", "> Authorization: Basic ***"),
        ('{"Authorization": "Bearer abc.def-1"}', '{"Authorization": "Bearer ***"}'),
        ("('Authorization', 'Basic eHg6eXk=')", "('Authorization', 'Basic ***')"),
        ("Proxy-Authorization: Basic Zm9vOmJhcg==", "Proxy-Authorization: Basic ***"),
    ],
)
def test_authorization_header_values_are_masked(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_the_word_authorization_alone_is_kept() -> None:
    assert redact("authorization failed for the feed") == "authorization failed for the feed"


def test_redact_filter_masks_userinfo_in_arguments(caplog: pytest.LogCaptureFixture) -> None:
    log = logging.getLogger("tests.redact")
    flt = RedactFilter()
    record = log.makeRecord(
        log.name, logging.WARNING, __file__, 1, "cannot reach %s: %s", ("ws://u:pw-99@h/", 1), None
    )
    assert flt.filter(record)
    assert record.getMessage() == "cannot reach ws://***@h/: 1"
    assert "pw-99" not in record.getMessage() and record.args == ()


def test_redact_filter_on_a_handler_keeps_userinfo_out_of_the_output(
    caplog: pytest.LogCaptureFixture,
) -> None:
    log = logging.getLogger("tests.redact.handler")
    caplog.handler.addFilter(RedactFilter())
    try:
        with caplog.at_level(logging.DEBUG, logger=log.name):
            log.debug("> GET %s", "ws://alice:hunter2-x@host/ws")
            log.debug("> %s: %s", "Authorization", "Basic YWxpY2U6aHVudGVyMi14")
    finally:
        caplog.handler.removeFilter(caplog.handler.filters[-1])
    assert "hunter2-x" not in caplog.text and "YWxpY2U6aHVudGVyMi14" not in caplog.text
    assert "ws://***@host/ws" in caplog.text and "Authorization: Basic ***" in caplog.text
