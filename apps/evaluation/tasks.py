"""The research export as a background task (django-tasks, its database backend).

The page enqueues the task and returns at once; `manage.py db_worker` (beside the web server: no
other server) runs it, writing the zip into SYSTEEMI_EXPORT_DIR and the progress into the job
row, which the page shows. Writing hands nothing out: the families the file holds are written
beside it, and the disclosure is logged for each of them when the researcher downloads the file
(views.research_download)."""

import logging
import uuid

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from . import research
from .models import ResearchExportJob

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 20_000  # rows between progress updates


def job_paths(job: ResearchExportJob):
    directory = settings.SYSTEEMI_EXPORT_DIR
    return directory / f"{job.file_name}.zip", directory / f"{job.file_name}.families"


def legal_basis(job: ResearchExportJob) -> str:
    return f"{job.permit} ({research.SECONDARY_USE_ACT})"


def recipient(job: ResearchExportJob) -> str:
    return f"{job.requested_by} / {job.project}: {job.purpose}"


def run_export_job(job_id: int) -> None:
    """Write one job's export (the task body; tests and the demo may call it inline)."""
    job = ResearchExportJob.objects.select_related("county", "requested_by").get(pk=job_id)
    job.file_name = job.file_name or uuid.uuid4().hex
    ResearchExportJob.objects.filter(pk=job.pk).update(status=ResearchExportJob.Status.RUNNING, file_name=job.file_name)
    settings.SYSTEEMI_EXPORT_DIR.mkdir(parents=True, exist_ok=True)
    zip_path, families_path = job_paths(job)
    last = [0]

    def progress(written: int) -> None:
        if written - last[0] >= PROGRESS_EVERY:
            last[0] = written
            ResearchExportJob.objects.filter(pk=job.pk).update(rows_written=written)

    try:
        export = research.ResearchExport(
            actor=job.requested_by, recipient=recipient(job), legal_basis=legal_basis(job), county=job.county, progress=progress
        )
        ResearchExportJob.objects.filter(pk=job.pk).update(rows_expected=export.expected_rows())
        with families_path.open("w") as out:
            for family_id, county_id in (
                export.exported_families().order_by("id").values_list("id", "county_id").iterator(research.LOG_CHUNK)
            ):
                out.write(f"{family_id},{county_id}\n")
        with zip_path.open("wb") as out:
            for _ in export.write(out):
                pass
    except Exception:
        logger.exception("research export %s failed", job.pk)
        ResearchExportJob.objects.filter(pk=job.pk).update(status=ResearchExportJob.Status.FAILED, finished_at=timezone.now())
        zip_path.unlink(missing_ok=True)
        raise
    ResearchExportJob.objects.filter(pk=job.pk).update(
        status=ResearchExportJob.Status.DONE, rows_written=export.written, finished_at=timezone.now()
    )


@task()
def research_export_task(job_id: int) -> None:
    run_export_job(job_id)
