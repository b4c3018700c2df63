"""Every page carries a Content-Security-Policy that forbids inline and foreign scripts."""

import re
from pathlib import Path

import pytest
from django.test import Client

import gongzhi

pytestmark = pytest.mark.django_db


def test_pages_and_api_carry_a_strict_content_security_policy():
    for url in ("/accounts/login/", "/api/v1/health"):
        response = Client().get(url)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self';" in policy, url
        assert "frame-ancestors 'none'" in policy
        assert "unsafe-eval" not in policy
        assert response["Referrer-Policy"] == "same-origin"


def test_no_template_has_an_inline_script_or_event_handler():
    """The policy would silently break them: scripts live in static files, behaviour in gongzhi.js."""
    root = Path(gongzhi.__file__).parent
    offenders = []
    for template in root.rglob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\son[a-z]+\s*=\s*[\"']", text):
            offenders.append(str(template.relative_to(root)))
    assert offenders == []
