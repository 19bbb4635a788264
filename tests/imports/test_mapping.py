"""Guessing the mapping from headers, and checking a person's choices."""

from __future__ import annotations

import pytest

from leadhub.domains.imports.mapping import guess, resolve
from leadhub.errors import Invalid


def test_headers_are_guessed_whatever_their_case_spaces_or_punctuation() -> None:
    headers = [
        "E-mail",
        "Phone Number",
        "Given name",
        "SURNAME",
        "Organization",
        "Job Title",
        "State/Province",
        "Country",
        "utm_source",
        "GCLID",
        "Tags",
        "Favourite colour",
    ]
    assert guess(headers) == {
        "E-mail": "email",
        "Phone Number": "phone",
        "Given name": "first_name",
        "SURNAME": "last_name",
        "Organization": "company",
        "Job Title": "job_title",
        "State/Province": "state",
        "Country": "country",
        "utm_source": "utm_source",
        "GCLID": "gclid",
        "Tags": "tags",
        "Favourite colour": "",
    }


def test_synonyms_of_the_same_field_go_to_the_first_column() -> None:
    assert guess(["Email Address", "Mobile", "Name", "Email"]) == {
        "Email Address": "email",
        "Mobile": "phone",
        "Name": "full_name",
        "Email": "",
    }


def test_choices_override_the_guess_and_custom_fields_take_the_header_slug() -> None:
    mapping = resolve(
        ["Email", "Favourite colour", "Position"],
        {"favourite colour": "custom", "Position": ""},
    )
    assert mapping == {
        "Email": "email",
        "Favourite colour": "custom_fields.favourite_colour",
        "Position": "",
    }


def test_unknown_columns_and_fields_are_refused_with_reasons() -> None:
    with pytest.raises(Invalid) as caught:
        resolve(["Email"], {"Nope": "email", "Email": "shoe_size"})
    assert caught.value.fields["mapping"] == [
        "The file has no column “Nope”.",
        "“Email”: “shoe_size” is not a lead field.",
    ]


def test_a_mapping_without_an_identifying_field_is_refused() -> None:
    with pytest.raises(Invalid) as caught:
        resolve(["Company", "City"], None)
    assert "email, phone" in caught.value.fields["mapping"][0]
