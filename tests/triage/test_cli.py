"""gongzhi triage train | eval | classify | models | activate."""

import csv
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from gongzhi.triage import services
from gongzhi.triage.models import TriageModel

pytestmark = pytest.mark.django_db


def run(*args) -> list[str]:
    out = StringIO()
    call_command("triage", *args, stdout=out)
    return out.getvalue().strip().splitlines()


def held_out(n_per_category: int = 4) -> list[dict]:
    return services.corpus_split("test", per_category=n_per_category)


def write_csv(path, rows, text="诉求内容", label="类别"):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["工单编号", text, label])
        for n, r in enumerate(rows, 1):
            w.writerow([f"GD{n:05d}", r["text"], r["category"]])
    return path


def test_eval_prints_one_json_object_as_its_last_line(tmp_path, builtin):
    rows = held_out()
    path = write_csv(tmp_path / "history.csv", rows)

    lines = run("eval", "--input", str(path), "--text-column", "诉求内容", "--label-column", "类别")

    result = json.loads(lines[-1])
    assert set(result) >= {"n", "accuracy", "macro_f1", "per_label", "texts_per_second"}
    assert result["n"] == len(rows) == 60
    _row, model = builtin
    predicted = model.predict_labels([r["text"] for r in rows])
    correct = sum(p == r["category"] for p, r in zip(predicted, rows, strict=True))
    assert result["accuracy"] == round(correct / 60, 4)
    assert sum(v["support"] for v in result["per_label"].values()) == 60
    assert result["per_label"]["环境保护"]["support"] == 4
    assert result["texts_per_second"] > 0
    assert result["model"] == "builtin:1"


def test_eval_reads_xlsx_with_a_title_row_and_skips_blank_labels(tmp_path, builtin):
    rows = held_out(2)
    wb = Workbook()
    ws = wb.active
    ws.append(["鼓楼区12345工单（2025年）"])
    ws.append(["内容", "分类"])
    for r in rows:
        ws.append([r["text"], r["category"]])
    ws.append(["没有分类的一行", None])
    wb.save(tmp_path / "orders.xlsx")

    lines = run("eval", "--input", str(tmp_path / "orders.xlsx"), "--text-column", "内容", "--label-column", "分类")

    assert json.loads(lines[-1])["n"] == 30
    assert "1 rows skipped" in lines[0]


def test_eval_names_a_missing_column(tmp_path, builtin):
    path = write_csv(tmp_path / "h.csv", held_out(1))

    with pytest.raises(CommandError, match="Missing columns: 类型"):
        run("eval", "--input", str(path), "--text-column", "诉求内容", "--label-column", "类型")


def test_train_registers_a_version_and_switching_back_restores_the_shipped_model(tmp_path, builtin):
    # a community's own two categories, far from the taxonomy
    rows = [{"text": r["text"], "category": "环境类" if r["category"] == "环境保护" else "其他类"}
            for r in services.corpus_split("train", per_category=8)]
    path = write_csv(tmp_path / "mine.csv", rows)

    lines = run("train", "--input", str(path), "--text-column", "诉求内容", "--label-column", "类别", "--name", "jm")

    row = TriageModel.objects.get(name="jm")
    assert (row.version, row.active, sorted(row.labels)) == (1, True, ["其他类", "环境类"])
    assert row.data_summary["rows"] == 120
    assert row.data_summary["holdout_rows"] == 12
    assert row.metrics["n"] == 12
    assert json.loads(lines[-1])["model"] == "jm:1"
    assert json.loads(run("classify", "楼下餐馆油烟直排")[-1])["top"][0]["category"] in ("环境类", "其他类")
    assert TriageModel.objects.get(name="builtin").active is False

    run("activate", "builtin")

    assert list(TriageModel.objects.filter(active=True).values_list("name", flat=True)) == ["builtin"]
    assert json.loads(run("classify", "楼下餐馆油烟直排")[-1])["category"] == "环境保护"
    # --name picks a model without switching
    assert json.loads(run("classify", "楼下餐馆油烟直排", "--name", "jm:1")[-1])["model"] == "jm:1"
    assert services.active_model().row.name == "builtin"


def test_train_refuses_a_single_label(tmp_path, builtin):
    rows = [{"text": r["text"], "category": "只有一类"} for r in services.corpus_split("train", per_category=3)]
    path = write_csv(tmp_path / "one.csv", rows)

    with pytest.raises(CommandError, match="only one category"):
        run("train", "--input", str(path), "--text-column", "诉求内容", "--label-column", "类别", "--name", "x")

    assert not TriageModel.objects.filter(name="x").exists()


def test_models_lists_every_version(builtin):
    lines = run("models")

    assert [json.loads(line)["model"] for line in lines] == ["builtin:1"]
    assert json.loads(lines[0])["active"] is True
