"""`manage.py demo_two_factor`: give demo users an authenticator app with the published demo secret.

Demo mode only (SYSTEEMI_DEMO=1): the secret is printed in the README, so anyone can make the
codes, and outside demo mode such a device is refused at verification as well. `make demo` runs
this after generating the data; `--code` prints the code valid right now.
"""

import base64

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts import two_factor as tf
from apps.accounts.models import User
from apps.demo.data import COUNTY_CODE_PREFIX


class Command(BaseCommand):
    help = "Demo mode only: give every demo user an authenticator app with the README's demo secret and print the current code."

    def add_arguments(self, parser):
        parser.add_argument("--code", action="store_true", help="only print the code valid now")

    def handle(self, *args, code, **options):
        if not settings.DEMO:
            raise CommandError("Refused: the demo secret is public, so this runs only with SYSTEEMI_DEMO=1.")
        now = f"{totp(base64.b32decode(tf.DEMO_TOTP_SECRET)):06d}"
        if code:
            self.stdout.write(now)
            return
        users = User.objects.filter(county__code__startswith=COUNTY_CODE_PREFIX).exclude(totpdevice__confirmed=True)
        created = TOTPDevice.objects.bulk_create(
            [TOTPDevice(user=u, name=tf.TOTP_DEVICE_NAME, key=tf.demo_totp_key(), confirmed=True) for u in users], batch_size=500
        )
        self.stdout.write(
            f"{len(created)} demo users got an authenticator app. Second factor for every demo user: the TOTP secret "
            f"{tf.DEMO_TOTP_SECRET} (add it to any authenticator app), or the code valid now: {now} "
            f"(`manage.py demo_two_factor --code` prints it again)."
        )
