"""What is already in the database: find, fingerprint and delete the demo data set."""

import hashlib

from django.apps import apps
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError, RestrictedError

from apps.accounts.models import User
from apps.audit import db_guard, signing
from apps.audit.chain import GENESIS, SEALED_FIELDS, canonical
from apps.audit.models import AccessLogEntry, ChainHead
from apps.casework.models import Assessment, ClientPlan, Notification, PersonalMeeting
from apps.clients.models import PERSON_DETAILS, ClientRelationship, Family, FamilyMember, Person, PhaseEvent, ResponsibilityPeriod
from apps.meetings.models import AgendaItem, Attendance, Hypothesis, Meeting, PlanStep
from apps.network.models import Ecomap, EcomapTie, GenogramPerson, GenogramVersion, Household, Parentage, Partnership, Relationship
from apps.organisations.models import County, Membership, Team, Unit
from apps.ratings.models import Rating, RatingLink

from . import rajapinta
from .generate import DemoDataError, existing_dataset
from .models import DemoDataset
from .partnership import delete_partnership, fingerprint_queries

CLEAN_HINT = "Delete the demo database and start again: `make clean-demo`, then `make demo`."


def delete_demo_data() -> int:
    """Delete every demo county with everything in it; returns how many rows went.

    Refuses once anyone has used the demo data: the access log is append-only (the database
    itself refuses deletes), so the data it speaks of must stay too. The generated history is
    the exception: while a county's chain still ends exactly where the generator left it (its
    ChainHead equals the head recorded in DemoDataset.log_heads) and no demo user appears in
    another county's log, the history records no real reading and goes with the data; the
    append-only triggers are lifted for that one DELETE and restored in the same transaction, and
    the history's signed checkpoint files are moved aside.
    """
    existing, codes = existing_dataset()
    codes_of = dict(County.objects.filter(code__in=codes).values_list("pk", "code"))
    county_ids = list(codes_of)
    deleted = 0
    try:
        with transaction.atomic():
            deleted += _delete_generated_log(existing, codes_of)
            # Leaves first, so each delete is a plain DELETE rather than a cascade collected in memory.
            Hypothesis.objects.filter(county_id__in=county_ids, revises__isnull=False).update(revises=None)
            done: set = set()
            deleted += _delete_attendance(county_ids, done)
            deleted += delete_partnership(county_ids, done)
            for model in (*CASEWORK_AND_MEETINGS, *NETWORK, *LEAVES_FIRST):
                deleted += _delete_rows(model, county_ids, done)
            deleted += _delete_other_county_rows(county_ids)
            deleted += User.objects.filter(county_id__in=county_ids).delete()[0]
            for model in (Team, Unit):
                deleted += model.objects.filter(county_id__in=county_ids).delete()[0]
            deleted += County.objects.filter(pk__in=county_ids).delete()[0]
            deleted += DemoDataset.objects.all().delete()[0]
    except IntegrityError as exc:
        raise DemoDataError(f"Other records refer to the demo data, so it cannot be deleted. {CLEAN_HINT}") from exc
    except (ProtectedError, RestrictedError) as exc:
        blocking = getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", ())
        names = sorted({type(obj)._meta.label for obj in blocking})
        detail = f" ({', '.join(names)})" if names else ""
        raise DemoDataError(f"Other records refer to the demo data{detail}, so it cannot be deleted. {CLEAN_HINT}") from exc
    # The deleted history's signed checkpoints (files outside the database) would name counties this
    # database no longer has: moved aside with it. The copies in the database went with the counties.
    signing.retire(sorted(codes_of.values()))
    # The cache lives in the database too: a county report computed from the deleted counties
    # would otherwise answer for the regenerated ones (same ids) for up to ten minutes.
    cache.clear()
    return deleted


CASEWORK_AND_MEETINGS = (
    Rating,
    RatingLink,
    PlanStep,
    Hypothesis,
    AgendaItem,
    Meeting,
    PersonalMeeting,
    ClientPlan,
    Assessment,
    Notification,
)
# The family drawn (apps/network), before the families and people it refers to.
NETWORK = (EcomapTie, Ecomap, GenogramVersion, Relationship, Parentage, Partnership, Household, GenogramPerson)
LEAVES_FIRST = (PhaseEvent, ResponsibilityPeriod, ClientRelationship, FamilyMember, Family, Person, Membership)
_STRUCTURE = {County, Unit, Team, User, DemoDataset, AccessLogEntry, ChainHead, Attendance, *CASEWORK_AND_MEETINGS, *NETWORK, *LEAVES_FIRST}


def _delete_generated_log(existing: DemoDataset | None, county_ids: dict[int, str]) -> int:
    if not county_ids:
        return 0
    generated = existing.log_heads if existing else {}
    # Locking the heads makes live appends wait until this transaction has decided.
    heads = {h.county_id: [h.seq, h.hash] for h in ChainHead.objects.select_for_update().filter(county_id__in=county_ids)}
    used = any(heads.get(pk, [0, GENESIS]) != generated.get(code, [0, GENESIS]) for pk, code in county_ids.items())
    used = used or AccessLogEntry.objects.filter(actor__county_id__in=county_ids).exclude(county_id__in=county_ids).exists()
    if used or (not heads and AccessLogEntry.objects.filter(county_id__in=county_ids).exists()):
        raise DemoDataError(f"The demo data has been used: the append-only access log refers to it, so it cannot be deleted. {CLEAN_HINT}")
    if not heads:
        return 0
    qn = connection.ops.quote_name
    table, column = AccessLogEntry._meta.db_table, AccessLogEntry._meta.get_field("county").column
    params = ", ".join(["%s"] * len(county_ids))
    with db_guard.suspended(connection), connection.cursor() as cursor:
        # Only quoted identifiers from the model's metadata go into the SQL; the ids are parameters.
        cursor.execute(f"DELETE FROM {qn(table)} WHERE {qn(column)} IN ({params})", list(county_ids))  # noqa: S608  # nosec B608
        deleted = cursor.rowcount
    return deleted + ChainHead.objects.filter(county_id__in=county_ids).delete()[0]


def _referrers(model) -> set:
    """Every model with a foreign key to `model` (hidden related names included), but itself."""
    fields = model._meta.get_fields(include_hidden=True)
    return {f.related_model for f in fields if f.auto_created and not f.concrete and f.is_relation} - {model}


def _delete_rows(model, county_ids: list[int], done: set) -> int:
    """Delete the counties' rows of `model`: one plain DELETE when every table that refers to it has
    already been emptied of them (`done`), else Django's delete, which looks for referring rows."""
    if _referrers(model) <= done:
        qn = connection.ops.quote_name
        params = ", ".join(["%s"] * len(county_ids))
        # Only quoted identifiers from the model's metadata go into the SQL; the ids are parameters.
        sql = f"DELETE FROM {qn(model._meta.db_table)} WHERE {qn(model._meta.get_field('county').column)} IN ({params})"  # noqa: S608  # nosec B608
        with connection.cursor() as cursor:
            cursor.execute(sql, county_ids)
            deleted = cursor.rowcount
    else:
        deleted = _delete_in_batches(model, county_ids)
    done.add(model)
    return deleted


def _delete_attendance(county_ids: list[int], done: set) -> int:
    """Attendance has no county key of its own: it goes by its meeting's."""
    done.add(Attendance)
    if not county_ids:
        return 0
    qn = connection.ops.quote_name
    meeting, attendance = Meeting._meta, Attendance._meta
    params = ", ".join(["%s"] * len(county_ids))
    sql = (  # only quoted identifiers from the models' metadata; the ids are parameters
        f"DELETE FROM {qn(attendance.db_table)} WHERE {qn(attendance.get_field('meeting').column)} IN "  # noqa: S608  # nosec B608
        f"(SELECT {qn(meeting.pk.column)} FROM {qn(meeting.db_table)} WHERE {qn(meeting.get_field('county').column)} IN ({params}))"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, county_ids)
        return cursor.rowcount


def _delete_in_batches(model, county_ids: list[int], size: int = 5000) -> int:
    """Delete a county's rows a few thousand at a time: Django sets the references to them to NULL
    (e.g. Assessment.notification) in one UPDATE per batch, which must stay within SQLite's limit
    on query parameters."""
    deleted = 0
    rows = model._base_manager.filter(county_id__in=county_ids)
    while pks := list(rows.values_list("pk", flat=True)[:size]):
        deleted += model._base_manager.filter(pk__in=pks).only("pk").delete()[0]
    return deleted


def _delete_other_county_rows(county_ids: list[int]) -> int:
    """Rows other apps keep per county (snapshots, meetings, ...) go with the county.

    Their models may protect one another, so delete in passes until a pass makes no progress.
    """
    pending = [
        m
        for m in apps.get_models()
        if m not in _STRUCTURE and any(f.name == "county" and f.related_model is County for f in m._meta.concrete_fields)
    ]
    deleted = 0
    while pending:
        blocked = []
        for model in pending:
            try:
                with transaction.atomic():
                    deleted += model._base_manager.filter(county_id__in=county_ids).delete()[0]
            except (ProtectedError, RestrictedError):
                blocked.append(model)
        if len(blocked) == len(pending):
            # Let the last one raise with the names of what blocks it.
            blocked[0]._base_manager.filter(county_id__in=county_ids).delete()
        pending = blocked
    return deleted


def digest(county_codes: list[str] | None = None) -> str:
    """A fingerprint of the demo content (names, codes, dates, who works where), free of primary keys.

    Two runs with the same scale, seed and day give the same digest on any database.
    """
    if county_codes is None:
        county_codes = existing_dataset()[1]
    queries = [
        Team.objects.filter(county__code__in=county_codes).values_list("county__code", "unit__name", "name", "kind"),
        User.objects.filter(county__code__in=county_codes).values_list(
            "county__code", "username", "first_name", "last_name", "email", "title", "org_role", "managed_unit__name"
        ),
        Membership.objects.filter(county__code__in=county_codes).values_list("team__name", "user__username", "role", "started_on"),
        Family.objects.filter(county__code__in=county_codes).values_list(
            "county__code", "team__name", "name", "municipality", "parents_worker__username"
        ),
        Person.objects.filter(county__code__in=county_codes).values_list("county__code", *PERSON_DETAILS),
        FamilyMember.objects.filter(county__code__in=county_codes).values_list(
            "county__code", "family__name", "person__personal_identity_code", "relation", "is_guardian", "note"
        ),
        ClientRelationship.objects.filter(county__code__in=county_codes).values_list(
            "county__code", "child__personal_identity_code", "opened_on", "closed_on", "current_phase", "responsible_worker__username"
        ),
        PhaseEvent.objects.filter(county__code__in=county_codes).values_list(
            "county__code", "relationship__child__personal_identity_code", "relationship__opened_on", "phase", "started_on", "note"
        ),
        ResponsibilityPeriod.objects.filter(county__code__in=county_codes).values_list(
            "county__code",
            "relationship__child__personal_identity_code",
            "relationship__opened_on",
            "worker__username",
            "started_on",
            "ended_on",
        ),
        *fingerprint_queries(county_codes),
        *_casework_queries(county_codes),
        *_meeting_queries(county_codes),
        GenogramPerson.objects.filter(county__code__in=county_codes).values_list(
            "county__code", "family__name", "person__personal_identity_code", "name", "sex", "birth_year", "death_year", "is_index"
        ),
        EcomapTie.objects.filter(county__code__in=county_codes).values_list(
            "county__code", "ecomap__family__name", "ecomap__drawn_on", "ecomap__viewpoint", "sector", "service", "name", "ring", "strength"
        ),
        *rajapinta.digest_queries(county_codes),
        Rating.objects.filter(county__code__in=county_codes).values_list(
            "county__code",
            "rater__personal_identity_code",
            "instrument__code",
            "rated_on",
            "values",
            "total",
            "mode",
            "agenda_item__position",
        ),
    ]
    h = hashlib.sha256()
    for query in queries:
        h.update(query.model._meta.label.encode())
        # Order-free: sort the rows' own hashes (small, unlike the rows of a national data set).
        for row in sorted(hashlib.sha256(repr(r).encode()).digest() for r in query.iterator(chunk_size=5000)):
            h.update(row)
    _digest_access_log(h, county_codes)
    return h.hexdigest()


def _digest_access_log(h, county_codes) -> None:
    """The access log in chain order, its ids (subjects are plain ids, not foreign keys) put as
    usernames, identity codes and family names, its times as the chain seals them."""
    h.update(AccessLogEntry._meta.label.encode())
    users = dict(User.objects.filter(county__code__in=county_codes).values_list("pk", "username"))
    people = dict(Person.objects.filter(county__code__in=county_codes).values_list("pk", "personal_identity_code"))
    families = {
        pk: (team, name) for pk, team, name in Family.objects.filter(county__code__in=county_codes).values_list("pk", "team__name", "name")
    }
    for county_id, code in County.objects.filter(code__in=county_codes).order_by("code").values_list("pk", "code"):
        entries = AccessLogEntry.objects.filter(county_id=county_id).order_by("seq")
        fields = SEALED_FIELDS[1:]  # all but the county, which this loop is over
        for seq, at, kind, actor, role, action, view, purpose, family, person, recipient, legal in entries.values_list(*fields).iterator(
            chunk_size=10_000
        ):
            row = (
                code,
                seq,
                canonical(at),
                kind,
                users.get(actor, actor),
                role,
                action,
                view,
                purpose,
                families.get(family),
                people.get(person),
                recipient,
                legal,
            )
            h.update(repr(row).encode())


def _casework_queries(county_codes):
    child = ("county__code", "child__personal_identity_code")
    rel = ("county__code", "relationship__child__personal_identity_code", "relationship__opened_on")
    return [
        Notification.objects.filter(county__code__in=county_codes).values_list(
            *child,
            "relationship__opened_on",
            "kind",
            "received_on",
            "notifier_type",
            "notifier_name",
            "notifier_contact",
            "anonymous",
            "summary",
            "decision",
            "decided_on",
            "decided_by__username",
            "notifier_informed_on",
            "notifier_informed_how",
            "registered_by__username",
            "registered_at",
        ),
        Assessment.objects.filter(county__code__in=county_codes).values_list(
            *child, "notification__received_on", "matter_arrived_on", "started_on", "completed_on", "outcome"
        ),
        ClientPlan.objects.filter(county__code__in=county_codes).values_list(
            *rel, "kind", "made_on", "meetings_per_year", "recorded_by__username"
        ),
        PersonalMeeting.objects.filter(county__code__in=county_codes).values_list(*rel, "met_on", "worker__username", "note"),
    ]


def _meeting_queries(county_codes):
    meeting = ("meeting__county__code", "meeting__team__name", "meeting__starts_at")
    item = ("county__code", "item__meeting__team__name", "item__meeting__starts_at", "family__name")
    return [
        Meeting.objects.filter(county__code__in=county_codes).values_list(
            "county__code", "team__name", "starts_at", "room", "status", "created_by__username", "approved_by__username", "approved_at"
        ),
        Attendance.objects.filter(meeting__county__code__in=county_codes).values_list(*meeting, "user__username", "role"),
        AgendaItem.objects.filter(county__code__in=county_codes).values_list(
            *meeting,
            "family__name",
            "position",
            "planned_minutes",
            "presenter__username",
            "question",
            "reasons",
            "family_invited",
            "family_attended",
            "partner_attended",
            "started_at",
            "ended_at",
            "discussed_seconds",
            *AgendaItem.RECORD_FIELDS,
            "summary_shared_at",
            "version",
            "updated_at",
            "updated_by__username",
        ),
        Hypothesis.objects.filter(county__code__in=county_codes).values_list(
            *item, "text", "perspective", "status", "revises__text", "revises__item__meeting__starts_at", "created_at"
        ),
        PlanStep.objects.filter(county__code__in=county_codes).values_list(*item, "what", "owner__username", "due_on", "status", "done_on"),
    ]
