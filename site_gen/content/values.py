"""Parsers for the small formats inside fields: phone, URL, email, slug.

Each returns the parsed value, or raises `ValueError` whose message says what is allowed;
the loader adds the file, line and field.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from site_gen.content.model import Phone

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

_NANP_COUNTRIES = ("US", "CA")


def parse_phone(text: str, country: str = "US") -> Phone:
    """A phone number in E.164 (for `tel:`) and in the local way of writing it."""
    if not re.fullmatch(r"[+\d\s().\-]+", text):
        raise ValueError(f'expected a phone number such as "919-555-0100" or "+44 20 7946 0000", got "{text}"')
    digits = re.sub(r"\D", "", text)
    if text.strip().startswith("+"):
        if not 8 <= len(digits) <= 15:
            raise ValueError(f'expected an international number of 8 to 15 digits after the +, got "{text}"')
        if digits.startswith("1") and len(digits) == 11:
            return _nanp(digits[1:], text)
        return Phone("+" + digits, text.strip())
    if country in _NANP_COUNTRIES:
        if len(digits) == 11 and digits.startswith("1"):
            digits = digits[1:]
        if len(digits) != 10:
            raise ValueError(f'expected a 10-digit phone number such as "919-555-0100", got "{text}"')
        return _nanp(digits, text)
    raise ValueError(f'expected the number with its country code, such as "+44 20 7946 0000", got "{text}"')


def _nanp(digits: str, text: str) -> Phone:
    if digits[0] in "01" or digits[3] in "01":
        raise ValueError(f'"{text}" is not a valid North American number (area code and exchange cannot start with 0 or 1)')
    return Phone("+1" + digits, f"({digits[:3]}) {digits[3:6]}-{digits[6:]}")


def check_url(text: str, schemes: tuple[str, ...]) -> str:
    """The URL if its scheme is allowed (and a web URL names a host)."""
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in text):
        raise ValueError(f'a web address cannot contain spaces or control characters, got "{text}"')
    parts = urlsplit(text)
    allowed = " or ".join(f"{scheme}:" for scheme in schemes)
    if parts.scheme.lower() not in schemes:
        raise ValueError(f'expected an address starting with {allowed}, got "{text}"')
    if parts.scheme.lower() in ("http", "https") and not parts.hostname:
        raise ValueError(f'expected a full web address such as "https://example.com/", got "{text}"')
    return text


_EMAIL = re.compile(r"[^@\s<>\"'(),;:]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+")


def check_email(text: str) -> str:
    """The address if it looks like name@example.com."""
    if not _EMAIL.fullmatch(text):
        raise ValueError(f'expected an email address such as "front-desk@example.com", got "{text}"')
    return text


def check_slug(text: str) -> str:
    """The slug if it is lower-case letters, digits and single dashes (so it stays in its folder)."""
    if not SLUG.fullmatch(text):
        raise ValueError(f'"{text}" cannot be used in a web address; use lower-case letters, digits and dashes, such as "bird-dog"')
    return text
