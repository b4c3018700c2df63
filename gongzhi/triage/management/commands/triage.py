"""gongzhi triage — train, score and use the triage classifier (智能分拨).

    gongzhi triage train --input FILE --text-column C --label-column L [--name N] [--include-overrides]
                         [--with-corpus] [--no-activate] [--user U]
    gongzhi triage train --include-overrides [--name N]      # seed corpus + staff overrides
    gongzhi triage eval --input FILE --text-column C --label-column L [--name N] [--threshold T]
    gongzhi triage classify "TEXT" [--name N]
    gongzhi triage models                                     # the registry, one JSON object per line
    gongzhi triage activate NAME[:VERSION]                    # switch (back) to a model
    gongzhi triage builtin                                    # install the shipped model (idempotent)
    gongzhi triage retrain [--force]                          # corpus + staff corrections; promote if not worse

FILE is .xlsx or .csv (UTF-8 or GB18030). Without ``--name`` eval and classify use the active model; the shipped
one predicts the first-level category by its Chinese name (城乡建设 … 纪检监察). ``eval`` prints, as its last line,
one JSON object with n, accuracy, macro_f1, per_label and texts_per_second.
"""

import json
import time

from django.core.management.base import BaseCommand, CommandError

from gongzhi.core.errors import DomainError


def _dump(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


class Command(BaseCommand):
    help = "Train, evaluate and use the triage classifier (智能分拨)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        train = sub.add_parser("train", help="train a new model version from a labelled file and/or overrides")
        self._file_arguments(train, required=False)
        train.add_argument("--name", default="", help="model name (default: history, or community)")
        train.add_argument("--include-overrides", action="store_true",
                           help="add the staff triage overrides recorded by the appeals workflow")
        train.add_argument("--with-corpus", action="store_true", help="add the shipped seed corpus")
        train.add_argument("--no-activate", action="store_true", help="register without switching to it")
        train.add_argument("--user", default="", help="acting user (username), for the audit log")
        train.add_argument("--note", default="")
        ev = sub.add_parser("eval", help="score a model on a labelled file")
        self._file_arguments(ev, required=True)
        ev.add_argument("--name", default="", help="model name or name:version (default: the active model)")
        ev.add_argument("--threshold", type=float, default=None, help="abstain threshold to report coverage at")
        cl = sub.add_parser("classify", help="suggest a category for one text (JSON)")
        cl.add_argument("text")
        cl.add_argument("--name", default="")
        sub.add_parser("models", help="list the registered models")
        act = sub.add_parser("activate", help="make a registered model the one in use")
        act.add_argument("model", help="name or name:version")
        act.add_argument("--user", default="")
        sub.add_parser("builtin", help="train (if needed) and register the shipped model")
        rt = sub.add_parser("retrain", help="retrain on the seed corpus plus staff corrections; promote the new "
                                            "model only if it scores at least as well on the held-out set")
        rt.add_argument("--force", action="store_true", help="retrain even if no correction is new")
        rt.add_argument("--user", default="")

    @staticmethod
    def _file_arguments(parser, *, required: bool):
        parser.add_argument("--input", required=required, help=".xlsx or .csv file")
        parser.add_argument("--text-column", default="", help="header of the text column")
        parser.add_argument("--label-column", default="", help="header of the category column")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"do_{action}")(**options)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from None

    # ---- helpers -----------------------------------------------------------------------------------------

    def _actor(self, username: str):
        if not username:
            return None
        from gongzhi.accounts.models import User

        try:
            return User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"no user {username!r}") from None

    def _read(self, path: str, text_column: str, label_column: str) -> tuple[list[str], list[str], int]:
        from gongzhi.core.tabular import normalize_header, read_table

        if not text_column or not label_column:
            raise CommandError("--text-column and --label-column name the file's columns")
        text_key, label_key = normalize_header(text_column), normalize_header(label_column)
        try:
            rows = read_table(path, required=(text_key, label_key))
            texts, labels, skipped = [], [], 0
            for _number, row in rows:
                text, label = row.get(text_key, "").strip(), row.get(label_key, "").strip()
                if text and label:
                    texts.append(text)
                    labels.append(label)
                else:
                    skipped += 1
        except FileNotFoundError:
            raise CommandError(f"no such file: {path}") from None
        return texts, labels, skipped

    def _model(self, name: str):
        from gongzhi.triage import services

        if name:
            row = services.find_model(name)
            return row, services.load(row)
        loaded = services.active_model()
        if loaded is None:  # a command may train; a request never does
            self.stderr.write("no model is active: installing the shipped model first (gongzhi triage builtin)")
            services.ensure_builtin()
            loaded = services.require_model()
        return loaded.row, loaded.model

    # ---- actions -----------------------------------------------------------------------------------------

    def do_train(self, *, input, text_column, label_column, name, include_overrides, with_corpus, no_activate,
                 user, note, **_options):
        from gongzhi.triage import services

        if not input and not include_overrides:
            raise CommandError("give --input FILE (with --text-column and --label-column) or --include-overrides")
        actor = self._actor(user)
        texts, labels, skipped = self._read(input, text_column, label_column) if input else ([], [], 0)
        source = {"source": "file" if input else "overrides", "file": input, "skipped_rows": skipped}
        if include_overrides:
            o_texts, o_labels, o_skipped = services.override_examples()
            texts, labels = texts + o_texts, labels + o_labels
            source.update({"overrides": len(o_texts), "overrides_skipped": o_skipped})
            with_corpus = with_corpus or not input
        started = time.monotonic()
        row = services.train_model(
            actor=actor, name=name or ("history" if input else "community"), texts=texts, labels=labels,
            source=source, activate=not no_activate, with_corpus=with_corpus, note=note,
        )
        self.stdout.write(f"trained {row.key} in {time.monotonic() - started:.1f} s"
                          f"{' (active)' if row.active else ''}")
        self.stdout.write(_dump({"model": row.key, "active": row.active, "metrics": _brief(row.metrics),
                                 "data": row.data_summary}))

    def do_eval(self, *, input, text_column, label_column, name, threshold, **_options):
        from gongzhi.triage import engine

        texts, labels, skipped = self._read(input, text_column, label_column)
        if not texts:
            raise CommandError("the file has no rows with both a text and a label")
        row, model = self._model(name)
        result = engine.evaluate(model, texts, labels, threshold=threshold)
        unknown = sorted(set(labels) - set(model.labels))
        self.stdout.write(f"model {row.key}: {result['n']} texts ({skipped} rows skipped), "
                          f"accuracy {result['accuracy']:.3f}, macro-F1 {result['macro_f1']:.3f}")
        if unknown:
            self.stdout.write(f"labels the model does not know: {'、'.join(unknown[:20])}")
        self.stdout.write(_dump({"model": row.key, **result}))

    def do_classify(self, *, text, name, **_options):
        row, model = self._model(name)
        self.stdout.write(_dump({"model": row.key, **model.predict(text).as_dict()}))

    def do_models(self, **_options):
        from gongzhi.triage.models import TriageModel

        for row in TriageModel.objects.order_by("name", "version"):
            self.stdout.write(_dump({"model": row.key, "active": row.active, "created_at": row.created_at,
                                     "metrics": _brief(row.metrics), "rows": row.data_summary.get("rows"),
                                     "source": row.data_summary.get("source"), "note": row.note}))

    def do_activate(self, *, model, user, **_options):
        from gongzhi.triage import services

        row = services.activate_model(actor=self._actor(user), model=services.find_model(model))
        self.stdout.write(_dump({"model": row.key, "active": True}))

    def do_builtin(self, **_options):
        from gongzhi.triage import services

        started = time.monotonic()
        row = services.ensure_builtin()
        seconds = round(time.monotonic() - started, 1)
        self.stdout.write(_dump({"model": row.key, "active": row.active, "seconds": seconds,
                                 "metrics": _brief(row.metrics)}))

    def do_retrain(self, *, force, user, **_options):
        from gongzhi.triage import services

        self.stdout.write(_dump(services.retrain_from_corrections(actor=self._actor(user), force=force)))


def _brief(metrics: dict) -> dict:
    return {k: metrics.get(k) for k in ("n", "accuracy", "macro_f1", "texts_per_second", "ece", "coverage")
            if k in metrics}
