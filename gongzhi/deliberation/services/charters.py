"""居民公约 / 自治章程: drafting versions, filing the one in force. Voting goes through ballots."""

import datetime as dt

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core.errors import InvalidInput
from gongzhi.registry.models import Place

from ..enums import CharterStatus
from ..errors import AlreadyDone, IllegalTransition
from ..models import Charter, CharterVersion
from ._common import audit, create_once, require_community, require_text


@transaction.atomic
def create_charter(*, actor, community: Place, kind: str, title: str) -> Charter:
    require_community(community)
    charter = create_once(
        Charter,
        AlreadyDone(_("A pact with this title exists.")),
        community=community,
        path=community.path,
        kind=kind,
        title=require_text(title, "title"),
    )
    audit(actor, charter, "create_charter", action="create")
    return charter


@transaction.atomic
def draft_charter_version(*, actor, charter: Charter, body: str) -> CharterVersion:
    """The next version's text, as a draft to be voted."""
    number = (charter.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    version = CharterVersion(
        charter=charter, number=number, body=require_text(body, "body"), created_by=actor
    )
    version.full_clean()
    version.save()
    return version


@transaction.atomic
def revise_draft(*, actor, version: CharterVersion, body: str) -> CharterVersion:
    if version.status != CharterStatus.DRAFT:
        raise IllegalTransition(_("Only a draft can be changed."))
    version.body = require_text(body, "body")
    version.save(update_fields=["body"])
    return version


@transaction.atomic
def file_charter_version(
    *, actor, version: CharterVersion, filed_with: str, filed_on: dt.date | None = None, filing_ref: str = ""
) -> CharterVersion:
    """备案: record where and when the version in force was filed."""
    if version.status != CharterStatus.ADOPTED:
        raise IllegalTransition(_("Only the version in force is filed."))
    filed_on = filed_on or timezone.localdate()
    if version.adopted_at and filed_on < timezone.localdate(version.adopted_at):
        raise InvalidInput(_("A version cannot be filed before it was adopted."), field="filed_on")
    version.filed_with = require_text(filed_with, "filed_with")
    version.filed_on, version.filing_ref = filed_on, (filing_ref or "").strip()
    version.full_clean()
    version.save(update_fields=["filed_with", "filed_on", "filing_ref"])
    audit(actor, version.charter, "file_charter_version", version=version.number)
    return version
