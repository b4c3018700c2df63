import pytest

from gongzhi.appeals.enums import AppealStatus
from gongzhi.appeals.redaction import redact
from tests.factories.appeals import appeal_in, make_world
from tests.factories.registry import make_household, make_resident

NAMES = ["张三", "欧阳小明", "李秀英"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("身份证350102198005170011", "身份证[身份证号]"),
        ("身份证号35010219800517001X办理", "身份证号[身份证号]办理"),
        ("老身份证350102800517001", "老身份证[身份证号]"),
        ("电话13812345678", "电话[电话]"),
        ("手机 138 1234 5678 找我", "手机 [电话] 找我"),
        ("手机138-1234-5678", "手机[电话]"),
        ("+86 13812345678", "[电话]"),
        ("座机0591-87654321或87654321", "座机[电话]或[电话]"),
        ("(0591)87654321", "[电话]"),
        ("住5号楼2单元302室", "住[门牌]"),
        ("3栋501楼上漏水", "[门牌]楼上漏水"),
        ("12-3-401的住户", "[门牌]的住户"),
        ("我家302室天花板渗水", "我家[门牌]天花板渗水"),
        ("二单元门口有垃圾", "[门牌]门口有垃圾"),
        ("邮箱abc.de@example.com", "邮箱[邮箱]"),
        ("我叫王小明，家里漏水", "我叫王**，家里漏水"),
        ("联系人：陈红 13900001111", "联系人：陈* [电话]"),
        ("张三家的狗每天叫", "张*家的狗每天叫"),
        ("欧阳小明说", "欧***说"),
        ("李秀英和张三吵架", "李**和张*吵架"),
    ],
)
def test_redact_removes_personal_details(text, expected):
    assert redact(text, names=NAMES) == expected


@pytest.mark.parametrize(
    "text",
    [
        "楼下餐馆油烟直排，晚上都不敢开窗",
        "小区停车难，希望增加车位",
        "维修花了3000元",
        "投诉了30天，第2次反映",
        "2024年10月1日起停水",
        "王先生反映路灯不亮",
        "共12000000元维修资金",
    ],
)
def test_redact_keeps_ordinary_text(text):
    assert redact(text, names=NAMES) == text


def test_redact_never_leaks_any_digit_run_of_phone_length():
    text = "电话是13812345678也可以打13912345678，身份证350102198005170011"
    out = redact(text)
    assert "1381234" not in out
    assert "5678" not in out
    assert "19800517" not in out


@pytest.mark.django_db
def test_public_board_shows_closed_cases_redacted(api):
    world = make_world()
    neighbour = make_resident(make_household(world.tree.buildings["A1-2"], room_no="602"), name="周志强")
    text = "我是李秀英，住1号楼1单元301室，楼下周志强开的餐馆油烟直排，电话13812345678"
    closed = appeal_in(world, AppealStatus.CLOSED, text=text, contact_phone="13812345678")
    appeal_in(world, AppealStatus.REPLIED)  # not closed: not public

    response = api().get("/api/v1/public/appeals")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["id"] == closed.pk
    assert item["text"] == "我是李**，住[门牌]，楼下周**开的餐馆油烟直排，电话[电话]"
    assert (item["tier"], item["color"], item["category"], item["handler"], item["rating"], item["days_to_close"]) == (
        "government",
        "red",
        "生态环境",
        "区生态环境局·大气环境科",
        "satisfied",
        0,
    )
    assert "13812345678" not in response.content.decode()
    assert neighbour.name not in response.content.decode()
