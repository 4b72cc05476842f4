"""The whole-family grants (access.AccessGrant) become consents to share the shared plan only.

A grant recorded that the family consented to a partner reading the family for a purpose until a
day. Its consent covered more than the shared plan, so a consent to the plan alone is within what
the family agreed to: access is narrowed, never widened, and the family's recorded consent is kept
(its wording in `migrated_reference`; who gave it was free text there, so no parties are named).
A grantee with no team and no organisation role becomes a partner professional; anyone else keeps
their role (and the consent opens nothing for them until an administrator makes them a partner).
"""

import datetime

from django.db import migrations
from django.utils import timezone


def _day(moment):
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


def grants_to_consents(apps, schema_editor):
    AccessGrant = apps.get_model("access", "AccessGrant")
    Consent = apps.get_model("partnership", "Consent")
    SharedPlan = apps.get_model("partnership", "SharedPlan")
    User = apps.get_model("accounts", "User")
    Membership = apps.get_model("organisations", "Membership")
    for grant in AccessGrant.objects.all().order_by("id"):
        valid_from = _day(grant.valid_from)
        # A grant ran until an instant (exclusive); a consent's last day is inclusive.
        valid_until = max(valid_from, _day(grant.valid_until - datetime.timedelta(microseconds=1)))
        Consent.objects.create(
            county_id=grant.county_id,
            family_id=grant.family_id,
            partner_id=grant.grantee_id,
            purpose=grant.purpose,
            valid_from=valid_from,
            valid_until=valid_until,
            recorded_by_id=grant.granted_by_id,
            recorded_at=grant.created_at,
            withdrawn_at=grant.revoked_at,
            migrated_reference=grant.consent_reference[:200],
        )
        SharedPlan.objects.get_or_create(family_id=grant.family_id, defaults={"county_id": grant.county_id})
    grantees = AccessGrant.objects.values("grantee_id")
    members = Membership.objects.values("user_id")
    User.objects.filter(pk__in=grantees, org_role="").exclude(pk__in=members).update(org_role="partner")


class Migration(migrations.Migration):
    dependencies = [
        ("partnership", "0001_initial"),
        ("access", "0003_handover"),
        ("accounts", "0003_partner_role_and_organisation"),
        ("organisations", "0002_alter_team_kind"),
    ]

    operations = [migrations.RunPython(grants_to_consents, migrations.RunPython.noop)]
