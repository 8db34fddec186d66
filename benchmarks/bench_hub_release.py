"""What a township's restore costs at the hub: a township register of 10,000 changes
(5,000 households and 5,000 persons) reports up, makes a backup, reports 100 more
changes, is restored from the backup (`backup.restore`, a new generation) and adds
one; its export (all its changes, after 0) is held at the hub as a fork, and the
district office releases it (every record of the township replaced by the file's).

On a fresh embedded PostgreSQL in a temporary folder; real SQLCipher registers.  Prints
wall seconds and the load average.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_hub_release.py [HOUSEHOLDS]
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import psycopg
from bench_hub_import import PASSPHRASE, join, timed, township_with

from fpdesk.core import area
from fpdesk.hub import exchange, held, schema, server
from fpdesk.store import backup, records
from fpdesk.store.db import open_register
from fpdesk.sync import bundles


def main() -> int:
    households = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    folder = Path(tempfile.mkdtemp(prefix="fpdesk-bench-hub-release-"))
    handle = server.start(folder / "pgdata")
    try:
        url = server.ensure_database(str(handle.get_uri()), "bench_hub")
        with psycopg.connect(url) as conn:
            schema.migrate(conn)
            code = "450102001000"
            reg = township_with(folder, code, households)
            join(conn, reg, folder)
            conn.commit()

            def report(tag: str) -> list[str]:
                made = bundles.export(reg, folder / tag, to_district=True)[0]
                done = exchange.import_files(conn, [made.path], folder / f"{tag}-acks")
                conn.commit()
                bundles.import_files(reg, done.acks)
                return [r.outcome for r in done.results]

            assert report("first") == ["accepted"]
            made = backup.create(reg, folder / "backups")
            for n in range(100):
                village = code[:9] + "299"
                fields = {"code": area.household_code(village, 2, n + 1), "village_code": village}
                records.insert(reg, "household", {**fields, "group_no": "02"})
            assert report("second") == ["accepted"]
            path = reg.path
            reg.close()
            backup.restore(made, path, PASSPHRASE, confirmed=True)
            reg = open_register(path, PASSPHRASE)
            reg.set_actor("文员")
            fields = {"code": area.household_code(code[:9] + "298", 1, 1), "group_no": "01"}
            records.insert(reg, "household", {**fields, "village_code": code[:9] + "298"})
            whole = timed(
                "bundle export --to-district after the restore (all)",
                lambda: bundles.export(reg, folder / "third", to_district=True)[0],
            )
            print(f"changes: {whole.count}; bytes: {whole.path.stat().st_size}")
            done = timed(
                "hub import of it: held as a fork",
                lambda: exchange.import_files(conn, [whole.path], folder / "third-acks"),
            )
            conn.commit()
            assert [r.outcome for r in done.results] == ["fork"], done.results
            [entry] = held.held_files(conn)
            decided = timed(
                "hub held release (the township's records replaced)",
                lambda: held.release(
                    conn, entry.held_id, reason="bench", actor="bench", ack_dir=folder / "k"
                ),
            )
            print(f"applied: {decided.applied}")
            reg.close()
    finally:
        handle.cleanup()
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
