"""Leadsopedia's wire shapes. Every class is prefixed `Leadsopedia` so that its schema does not
collide with another surface's in the merged OpenAPI document."""

from __future__ import annotations

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from leadhub.kit.types import MAX_ID, Text

# -- in -----------------------------------------------------------------------------------------


class LeadsopediaListBody(BaseModel):
    """Create a list (or update the one with this name), or update a list by id."""

    model_config = ConfigDict(extra="ignore")

    id: int | str | None = Field(default=None, description="The list's id (update only).")
    name: Text = Field(min_length=1, max_length=200)


class LeadsopediaContactBody(BaseModel):
    """A contact's fields; `list_id` names the list to add it to."""

    model_config = ConfigDict(extra="ignore")

    list_id: int | None = Field(
        default=None, ge=1, le=MAX_ID, validation_alias=AliasChoices("list_id", "listId")
    )
    email: Text | None = Field(default=None, max_length=254)
    first_name: Text | None = Field(default=None, max_length=100)
    last_name: Text | None = Field(default=None, max_length=100)
    title: Text | None = Field(default=None, max_length=200)
    company: Text | None = Field(default=None, max_length=200)
    phone: Text | None = Field(default=None, max_length=40)
    city: Text | None = Field(default=None, max_length=100)
    state: Text | None = Field(default=None, max_length=100)
    region: Text | None = Field(default=None, max_length=100)
    country: Text | int | None = None


# -- out ----------------------------------------------------------------------------------------


class LeadsopediaList(BaseModel):
    id: str
    name: str
    total_contacts: int
    date_created: str


class LeadsopediaContact(BaseModel):
    id: int
    email: str | None
    first_name: str | None
    last_name: str | None
    title: str | None
    company: str | None
    phone: str | None
    city: str | None
    state: str | None
    region: str | None
    country: str | None
    date_added: str


class LeadsopediaPaging(BaseModel):
    """Every list answer: the page's items under its own key, then these."""

    model_config = ConfigDict(populate_by_name=True)

    total: int
    count: int = Field(description="The same as total (the document's examples read `count`).")
    page: int
    limit: int
    pages_count: int = Field(alias="pagesCount")
    next: str | None
    previous: str | None


class LeadsopediaLists(LeadsopediaPaging):
    lists: list[LeadsopediaList]


class LeadsopediaContacts(LeadsopediaPaging):
    contacts: list[LeadsopediaContact]


class LeadsopediaDownload(BaseModel):
    id: int
    filename: str
    extension: str
    url: str | None = Field(description="A signed link to the file; null until it is written.")
    date_created: str
    status: str = Field(description="pending, running, done or failed.")


class LeadsopediaDownloads(LeadsopediaPaging):
    downloads: list[LeadsopediaDownload]


class LeadsopediaAccount(BaseModel):
    id: int
    name: str
    address: str | None
    phone: str | None
    email: str | None
    company: str | None
    status: str
    date_created: str


class LeadsopediaCredits(BaseModel):
    credits_total: int
    credits_used: int
    credits_left: int


class LeadsopediaKeyUsage(BaseModel):
    id: int
    name: str
    calls: int


class LeadsopediaMonthUsage(BaseModel):
    month: str
    calls: int


class LeadsopediaUsage(BaseModel):
    """API calls this month (UTC) against the monthly quota (null: none)."""

    month: str
    quota: int | None
    calls: int
    remaining: int | None
    resets_at: str
    keys: list[LeadsopediaKeyUsage]
    months: list[LeadsopediaMonthUsage]


class LeadsopediaActivity(BaseModel):
    id: int
    action: str
    actor_type: str
    actor_id: int | None
    actor_name: str | None
    target_type: str | None
    target_id: str | None
    details: dict[str, object]
    date_created: str


class LeadsopediaActivities(LeadsopediaPaging):
    activities: list[LeadsopediaActivity]


class LeadsopediaSearch(BaseModel):
    id: str
    type: str
    query: str
    lead_count: int
    date_added: str


class LeadsopediaHistory(LeadsopediaPaging):
    history: list[LeadsopediaSearch]
