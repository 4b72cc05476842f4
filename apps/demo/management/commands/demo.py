"""`manage.py demo`: generate synthetic demo data (see apps/demo/generate.py)."""

import datetime
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.demo.dataset import CLEAN_HINT, delete_demo_data, digest
from apps.demo.generate import DemoDataError, existing_dataset, generate, no_progress
from apps.demo.plan import SCALES


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today wants a date like 2026-03-31, not {value!r}") from None


class Command(BaseCommand):
    help = (
        "Generate synthetic demo data: one team, one wellbeing services county or the whole country. "
        "The same --seed, --scale and --today always give the same data."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=SCALES,
            default="county",
            help="team: 1 team; county: 8 teams; national: 22 counties, ~700 teams; each county also a family social work team",
        )
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument("--today", type=_date, help="the day histories run up to, YYYY-MM-DD (default: today)")
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--reuse", action="store_true", help="if demo data already exists, keep it and do nothing")
        mode.add_argument(
            "--replace",
            action="store_true",
            help="delete existing demo data first (refused once it has been used: the access log has grown past the generated history)",
        )
        parser.add_argument("--quiet", action="store_true", help="no progress bars (same as --verbosity 0)")

    def handle(self, *args, scale, seed, today, reuse, replace, quiet, verbosity, **options):
        quiet = quiet or verbosity == 0
        existing, codes = existing_dataset()
        if existing or codes:
            what = f"scale {existing.scale}, seed {existing.seed}, today {existing.today:%Y-%m-%d}" if existing else ", ".join(codes)
            if reuse:
                if not quiet:
                    note = ""
                    if existing and (existing.scale, existing.seed) != (scale, seed):
                        note = f" (you asked for scale {scale}, seed {seed}: use --replace to regenerate)"
                    self.stdout.write(f"Demo data already exists ({what}); reusing it{note}.")
                return
            if not replace:
                raise CommandError(f"Demo data already exists ({what}). Use --reuse to keep it or --replace to regenerate it.")
            try:
                deleted = delete_demo_data()
            except DemoDataError as exc:
                raise CommandError(str(exc)) from None
            if not quiet:
                self.stdout.write(f"Deleted the previous demo data ({deleted} rows).")

        progress = no_progress if quiet else self._bar
        try:
            result = generate(scale, seed, today, progress=progress)
        except DemoDataError as exc:
            raise CommandError(f"{exc} {CLEAN_HINT}") from None

        if quiet:
            return
        c = result.counts
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ({scale}, seed {seed}, today {result.plan.today:%Y-%m-%d}) generated in {result.seconds:.1f} s: "
                f"{c['counties']} counties, {c['teams']} teams, {c['users']} users, {c['families']} families, "
                f"{c['persons']} persons ({c['children']} children), {c['relationships']} client relationships "
                f"({c['open_relationships']} open), {c['phase_events']} phase events, {c['responsibility_periods']} responsibility periods, "
                f"{c['consents']} consents to share a plan with partners ({c['shared_plans']} shared plans), {c['interface_assessments']} transfers between child protection and "
                f"family social work; casework: {c['notifications']} notifications "
                f"({c['notifier_replies_owed']} notifiers still owed a reply), {c['assessments']} assessments, "
                f"{c['client_plans']} client plans, {c['personal_meetings']} personal meetings with placed children; "
                f"team meetings: {c['meetings']} meetings, {c['attendance']} attendances, {c['agenda_items']} family discussions, "
                f"{c['hypotheses']} hypotheses, {c['plan_steps']} plan steps, {c['ratings']} ratings; "
                f"access log: {c['access_log']} entries over two years."
            )
        )
        if result.checkpoints:
            where = result.checkpoints[0].path.parent
            self.stdout.write(f"Access log anchored: each county's first signed checkpoint written to {where}/.")
        else:
            self.stdout.write(f"No access-log checkpoint signed: {result.checkpoint_note}")
        first = result.plan.counties[0]
        team = first.teams[0]
        examples = [team.members[0].username, next(m.username for m in team.members if m.team_role == "social_worker")]
        social = [m.username for t in first.teams if t.kind == "family_social_work" for m in t.members if m.team_role == "social_worker"]
        examples += [*social[:1], f"{first.prefix}esihenkilo", f"{first.prefix}tarkastaja", "admin"]
        self.stdout.write(f"Log in with password {settings.SYSTEEMI_DEMO_PASSWORD!r} as e.g. {', '.join(examples)}.")
        if verbosity >= 2:
            self.stdout.write(f"Digest: {digest([cs.info.code for cs in result.plan.counties])}")

    @staticmethod
    def _bar(desc, total, unit):
        from tqdm import tqdm

        return tqdm(total=total, desc=desc, unit=f" {unit}", file=sys.stderr, dynamic_ncols=True, mininterval=0.5)
