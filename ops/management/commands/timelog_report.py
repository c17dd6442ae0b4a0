from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ops.timelog import slowest_views


class Command(BaseCommand):
    help = "Summarise view-timing log lines: the slowest views by median and 95th percentile."

    def add_arguments(self, parser):
        parser.add_argument("logfile", type=Path, help="a log file holding the site's JSON log lines")
        parser.add_argument("--limit", type=int, default=20, help="how many views to show (default 20)")
        parser.add_argument(
            "--order-by", choices=["p95", "median"], default="p95", help="rank views by this (default p95)"
        )

    def handle(self, *args, logfile: Path, limit: int, order_by: str, **options):
        try:
            with logfile.open(encoding="utf-8", errors="replace") as lines:
                views = slowest_views(lines, order_by=f"{order_by}_ms")
        except OSError as error:
            raise CommandError(f"Can't read {logfile}: {error.strerror}.") from error
        if not views:
            self.stdout.write(f"No view timings in {logfile}: is this the site's stdout log?")
            return
        width = max(len("view"), *(len(summary.view) for summary in views[:limit]))
        self.stdout.write(
            f"{'view':<{width}}  {'requests':>8}  {'median ms':>9}  {'p95 ms':>9}  {'max ms':>9}  {'queries':>7}"
        )
        for summary in views[:limit]:
            self.stdout.write(
                f"{summary.view:<{width}}  {summary.requests:>8}  {summary.median_ms:>9.1f}  {summary.p95_ms:>9.1f}"
                f"  {summary.max_ms:>9.1f}  {summary.median_queries:>7g}"
            )
