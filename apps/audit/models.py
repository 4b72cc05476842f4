"""The append-only, hash-chained access and disclosure log (client-data act 703/2023).

Each county has its own chain: entry n stores sha256(entry n-1's hash + entry n's fields), so
changing, deleting or reordering any entry breaks every later link. `manage.py verify_access_log`
walks the chains. Subjects are stored as plain ids, not foreign keys, so the log outlives the
records it speaks of and no cascade can ever touch it. The database refuses UPDATE and DELETE
on this table (triggers in migration 0002), and the model refuses them too.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.choices import ChoiceDisplayMixin


class AppendOnlyError(RuntimeError):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The access log is append-only.")

    def delete(self):
        raise AppendOnlyError("The access log is append-only.")


class EntryKind(models.TextChoices):
    ACCESS = "access", _("käyttö")
    DISCLOSURE = "disclosure", _("luovutus")


class Action(models.TextChoices):
    VIEW = "view", _("katselu")
    LIST = "list", _("luettelo")
    EDIT = "edit", _("muokkaus")
    CREATE = "create", _("luonti")
    EXPORT = "export", _("vienti")


class AccessLogEntry(ChoiceDisplayMixin, models.Model):
    # No index of their own for the two foreign keys: (county, seq) and (actor, at) below start with
    # them, and every append updates each index of the busiest table (five instead of seven).
    county = models.ForeignKey("organisations.County", on_delete=models.PROTECT, related_name="+", db_index=False)
    seq = models.PositiveBigIntegerField(_("järjestysnumero"))
    at = models.DateTimeField(_("aika"))
    kind = models.CharField(_("laji"), max_length=12, choices=EntryKind.choices, default=EntryKind.ACCESS)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("käyttäjä"), db_index=False
    )
    actor_role = models.CharField(_("rooli"), max_length=40)
    action = models.CharField(_("toimenpide"), max_length=12, choices=Action.choices)
    view_name = models.CharField(_("näkymä"), max_length=100)
    purpose = models.CharField(_("käyttötarkoitus"), max_length=100)
    family_id = models.BigIntegerField(_("perhe"), null=True, blank=True)
    person_id = models.BigIntegerField(_("henkilö"), null=True, blank=True)
    recipient = models.CharField(_("vastaanottaja"), max_length=200, blank=True)
    legal_basis = models.CharField(_("peruste"), max_length=200, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("lokimerkintä")
        verbose_name_plural = _("lokimerkinnät")
        ordering = ["county", "seq"]
        constraints = [models.UniqueConstraint(fields=["county", "seq"], name="access_log_seq_unique_per_county")]
        # "Who has seen my data" reads one person's (and their families') entries newest first over
        # two years; an auditor also asks what one user read. Each is an index range scan, so the
        # report costs the person's entries, not the tens of millions in the table (bench: the
        # whole-CSV job at national scale). Appends go by (county, seq), the unique constraint.
        # The person and family indexes end with the page order (at, seq), so a page of 50 is a
        # merge of the parts' index scans that stops after 50 rows instead of a sort of the
        # person's whole history; on PostgreSQL they also carry the columns the report filters on
        # (county; "names no person"), so counting the pages reads the index alone.
        indexes = [
            models.Index(fields=["person_id", "at", "seq"], include=["county"], name="access_log_person_at"),
            models.Index(fields=["family_id", "at", "seq"], include=["county", "person_id"], name="access_log_family_at"),
            models.Index(fields=["actor", "at"], name="access_log_actor_at"),
        ]

    def __str__(self) -> str:
        return f"{self.county_id}#{self.seq} {self.action} {self.view_name}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The access log is append-only.")

    # The stored codes in the reader's language (apps/audit/labels.py): what the auditor and the
    # family read. Imported here, not at the top: the labels name roles from accounts and organisations.
    @property
    def role_label(self) -> str:
        from .labels import role_label

        return role_label(self.actor_role)

    @property
    def view_label(self) -> str:
        from .labels import view_label

        return view_label(self.view_name)

    @property
    def purpose_label(self) -> str:
        from .labels import purpose_label

        return purpose_label(self.purpose)


class ChainHead(models.Model):
    """The last link of a county's chain; its row lock serialises appends within one county."""

    county = models.OneToOneField("organisations.County", on_delete=models.PROTECT, primary_key=True, related_name="+")
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"{self.county_id}#{self.seq}"


class LogCheckpoint(models.Model):
    """A copy of a signed checkpoint (apps/audit/signing.py), so the auditor can download the
    county's checkpoints from any app server. Verification never trusts this table: it reads the
    files outside the database, and a copy here is worth only its signature."""

    county = models.ForeignKey("organisations.County", on_delete=models.PROTECT, related_name="+")
    seq = models.PositiveBigIntegerField(_("järjestysnumero"))
    hash = models.CharField(max_length=64)
    signed_at = models.DateTimeField(_("allekirjoitettu"))
    line = models.TextField()  # the signed JSON line exactly as written to the file

    class Meta:
        verbose_name = _("lokin tarkistuspiste")
        verbose_name_plural = _("lokin tarkistuspisteet")
        ordering = ["county", "signed_at", "seq"]

    def __str__(self) -> str:
        return f"{self.county_id}#{self.seq} {self.signed_at:%Y-%m-%d %H:%M}"
