"""Running work the way the workers would: at the same time, or as the daily job."""

import threading

from django.db import connection


def run_together(*workers) -> list:
    """Each worker in its own thread and connection, released together on PostgreSQL (one after the other on
    SQLite, which has a single writer); return what each returned or raised."""
    results: list = [None] * len(workers)
    concurrent = connection.vendor == "postgresql"
    barrier = threading.Barrier(len(workers)) if concurrent else None

    def run(index, work):
        try:
            if barrier:
                barrier.wait(timeout=10)
            results[index] = work()
        except Exception as error:  # the test inspects what each worker hit
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, work)) for index, work in enumerate(workers)]
    for thread in threads:
        thread.start()
        if not concurrent:
            thread.join()
    for thread in threads:
        thread.join(timeout=60)
    return results


def daily_job(capture_on_commit_callbacks, task):
    """``task`` run for a day as Celery beat runs it: what it hands over after commit runs then (eagerly here)."""

    def run_on(day):
        with capture_on_commit_callbacks(execute=True):
            return task(day.isoformat())

    return run_on
