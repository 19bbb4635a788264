"""Which lead field each column fills: guessed from the headers, checked when a person maps them.

A mapping is `{header: target}`; the target is a lead field, `full_name` (split into first and last
name), `tags` (comma-separated), `custom_fields.<key>`, or "" for a column that is skipped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

from leadhub.domains.leads.schemas import CONTACT_FIELDS
from leadhub.errors import Invalid
from leadhub.kit.attribution import FIELDS as ATTRIBUTION_FIELDS

CUSTOM_PREFIX = "custom_fields."
SKIP = ""
# What a column may fill, in the order the mapping page offers them.
LEAD_TARGETS = (
    *CONTACT_FIELDS[:2],
    "full_name",  # split into first and last name
    *CONTACT_FIELDS[2:],
    "source",
    "status",
    "notes",
    "tags",
    "value",
    "unique_identifier",
    "form_name",
)
TARGETS = (*LEAD_TARGETS, *ATTRIBUTION_FIELDS)
# A row becomes a lead only with one of these.
IDENTIFYING = frozenset({"email", "phone", "first_name", "full_name"})
_CUSTOM_KEY = re.compile(r"^[a-z0-9][a-z0-9_]{0,63}$")

_SYNONYMS: dict[str, tuple[str, ...]] = {
    "email": (
        "email",
        "e-mail",
        "email address",
        "e-mail address",
        "mail",
        "work email",
        "courriel",
    ),
    "phone": (
        "phone",
        "phone number",
        "mobile",
        "mobile phone",
        "mobile number",
        "cell",
        "cell phone",
        "telephone",
        "tel",
        "work phone",
        "telephone",
        "telefon",
        "telefono",
        "portable",
    ),
    "first_name": (
        "first name",
        "firstname",
        "given name",
        "forename",
        "first",
        "prenom",
        "vorname",
    ),
    "last_name": ("last name", "lastname", "surname", "family name", "last", "nom", "nachname"),
    "full_name": ("name", "full name", "contact name", "contact", "person"),
    "company": (
        "company",
        "company name",
        "organization",
        "organisation",
        "employer",
        "account",
        "societe",
        "entreprise",
        "firma",
        "empresa",
    ),
    "job_title": ("title", "job title", "position", "role", "job", "designation"),
    "city": ("city", "town", "locality", "ville", "stadt", "ciudad"),
    "state": ("state", "province", "state province", "county"),
    "region": ("region", "area"),
    "country": ("country", "country code", "nation", "pays", "land", "pais"),
    "source": ("source", "lead source"),
    "status": ("status", "lead status"),
    "notes": ("notes", "note", "comments", "comment", "description"),
    "tags": ("tags", "tag", "labels", "label"),
    "value": ("value", "deal value", "amount", "price"),
    "unique_identifier": ("unique identifier", "unique id", "external id", "uid", "id"),
    "form_name": ("form name", "form"),
    **{name: (name, name.replace("_", " ")) for name in ATTRIBUTION_FIELDS},
}


def header_key(header: str) -> str:
    """A header without case, accents, spaces or punctuation: "E-mail Address" → "emailaddress"."""
    folded = unicodedata.normalize("NFKD", header).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


_GUESSES = {header_key(word): target for target, words in _SYNONYMS.items() for word in words}


def custom_key(header: str) -> str:
    """The custom field a column fills when mapped to one: its header as a slug."""
    folded = unicodedata.normalize("NFKD", header).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "_", folded.lower()).strip("_")[:64]
    return slug or "field"


def guess(headers: Sequence[str]) -> dict[str, str]:
    """Each header's likely field; a field goes to the first column that names it."""
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for header in headers:
        target = _GUESSES.get(header_key(header), SKIP)
        if target and target in taken:
            target = SKIP
        taken.add(target)
        mapping[header] = target
    return mapping


def resolve(headers: Sequence[str], given: Mapping[str, str] | None) -> dict[str, str]:
    """The guess with the person's choices over it; Invalid names what is wrong with them."""
    mapping = guess(headers)
    errors: list[str] = []
    known = {header.lower(): header for header in headers}
    for header, target in (given or {}).items():
        column = known.get(str(header).strip().lower())
        if column is None:
            errors.append(f"The file has no column “{header}”.")
            continue
        wanted = target
        if isinstance(wanted, str) and wanted.strip() in ("custom", "custom_fields"):
            wanted = CUSTOM_PREFIX + custom_key(column)
        try:
            mapping[column] = check_target(wanted)
        except ValueError as exc:
            errors.append(f"“{header}”: {exc}")
    if errors:
        raise Invalid({"mapping": errors})
    if not IDENTIFYING & set(mapping.values()):
        raise Invalid.field(
            "mapping", "Map at least one column to email, phone, first name or full name."
        )
    return mapping


def check_target(target: object) -> str:
    """A valid target, normalised; ValueError with the reason otherwise."""
    if not isinstance(target, str):
        raise ValueError("the field must be a string.")
    text = target.strip()
    if text in ("", "skip", "-"):
        return SKIP
    if text.startswith(CUSTOM_PREFIX):
        key = text[len(CUSTOM_PREFIX) :].strip().lower()
        if not _CUSTOM_KEY.match(key):
            raise ValueError(
                "a custom field name must be 1 to 64 lower-case letters, digits or underscores."
            )
        return CUSTOM_PREFIX + key
    if text not in TARGETS:
        raise ValueError(f"“{text}” is not a lead field.")
    return text
