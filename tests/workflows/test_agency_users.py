"""An agency administrator manages the agency's own users, and nobody else's (DESIGN §1)."""

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from wagtail.models import ModelLogEntry

import pytest

from content_types.agency import AgencyRole
from tests.factories import make_user
from workflows.provisioning import PROVINCE_ADMINS, province_groups

pytestmark = pytest.mark.django_db
User = get_user_model()

NEW_USER = {
    "username": "nguyen.van.an",
    "full_name": "  Nguyễn   Văn An ",
    "email": "an@stp.gov.vn",
    "roles": [AgencyRole.EDITORS],
    "password1": "Hoso@2026-an",
    "password2": "Hoso@2026-an",
}


def _refused(response) -> bool:
    """Wagtail answers a refused admin view with 403 or a redirect to the admin home."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


def _client_for(client, user):
    client.force_login(user)
    return client


def _users_url(agency):
    return reverse("iso_agency_users", args=[agency.pk])


def _create(client, agency, **changes):
    return client.post(reverse("iso_agency_user_create", args=[agency.pk]), {**NEW_USER, **changes})


def admin_a_user(agency):
    return User.objects.get(groups=agency.role_group(AgencyRole.ADMINISTRATORS))


def _edit_url(agency, user):
    return reverse("iso_agency_user_edit", args=[agency.pk, user.pk])


def _edit_data(user, **changes):
    return {
        "full_name": user.get_full_name() or user.username,
        "email": user.email or "x@stp.gov.vn",
        "roles": [AgencyRole.EDITORS],
        "is_active": "on",
        **changes,
    }


@pytest.fixture
def admin_a(client, staff_a):
    return _client_for(client, staff_a[AgencyRole.ADMINISTRATORS])


def test_the_administrator_sees_the_menu_and_only_their_agency(admin_a, agency_a, staff_a, staff_b):
    home = admin_a.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("iso_agency_users_index") in home  # the menu item
    response = admin_a.get(reverse("iso_agency_users_index"))
    assert response.status_code == 302 and response["Location"] == _users_url(agency_a)
    page = admin_a.get(_users_url(agency_a)).content.decode()
    assert all(user.username in page for user in staff_a.values())
    assert not any(user.username in page for user in staff_b.values())


def test_the_forms_offer_the_agency_roles(admin_a, agency_a, staff_a):
    page = admin_a.get(reverse("iso_agency_user_create", args=[agency_a.pk])).content.decode()
    assert all(label in page for label in AgencyRole.labels)
    assert 'name="password1"' in page and 'name="username"' in page
    reviewer = staff_a[AgencyRole.REVIEWERS]
    edit = admin_a.get(_edit_url(agency_a, reviewer)).content.decode()
    checked = re.findall(r'<input type="checkbox" name="roles" value="(\w+)"[^>]*checked', edit)
    assert checked == [AgencyRole.REVIEWERS]
    assert 'name="username"' not in edit and "Mật khẩu mới" in edit


def test_a_new_user_gets_the_chosen_role_and_can_sign_in(admin_a, agency_a):
    response = _create(admin_a, agency_a)
    assert response.status_code == 302
    user = User.objects.get(username="nguyen.van.an")
    assert user.get_full_name() == "Nguyễn Văn An"
    assert list(user.groups.all()) == [agency_a.role_group(AgencyRole.EDITORS)]
    assert user.check_password("Hoso@2026-an") and user.is_active
    entry = ModelLogEntry.objects.get(object_id=str(user.pk), action="wagtail.create")
    assert entry.user == admin_a_user(agency_a)
    assert entry.data == {"agency": "CQA", "roles": [AgencyRole.EDITORS]}
    assert "Nguyễn Văn An" in admin_a.get(_users_url(agency_a)).content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"username": "a.editors"}, "Tên đăng nhập «a.editors» đã có người dùng."),
        ({"username": "A.EDITORS"}, "Tên đăng nhập «A.EDITORS» đã có người dùng."),
        ({"username": "nguyễn an"}, "Tên đăng nhập chỉ gồm chữ không dấu"),
        ({"password2": "khac-nhau-2026"}, "Hai lần nhập mật khẩu không khớp."),
        ({"password1": "123", "password2": "123"}, "Mật khẩu quá ngắn: cần ít nhất 12 ký tự."),
        ({"roles": []}, "Chọn ít nhất một vai trò."),
        ({"roles": ["superuser"]}, "Vai trò «superuser» không có trong cơ quan."),
        ({"email": "an-at-stp"}, "Địa chỉ thư điện tử không hợp lệ"),
        ({"full_name": "   "}, "Họ và tên"),
    ],
)
def test_bad_input_is_explained_and_creates_nobody(admin_a, agency_a, changes, message):
    before = User.objects.count()
    response = _create(admin_a, agency_a, **changes)
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert "Chưa lưu được" in content
    assert User.objects.count() == before


def test_the_administrator_changes_roles_and_locks_an_account(admin_a, agency_a, staff_a):
    editor = staff_a[AgencyRole.EDITORS]
    data = _edit_data(editor, roles=[AgencyRole.REVIEWERS, AgencyRole.EDITORS])
    assert admin_a.post(_edit_url(agency_a, editor), data).status_code == 302
    assert set(editor.groups.all()) == {
        agency_a.role_group(AgencyRole.REVIEWERS),
        agency_a.role_group(AgencyRole.EDITORS),
    }
    locked = _edit_data(editor)
    del locked["is_active"]
    assert admin_a.post(_edit_url(agency_a, editor), locked).status_code == 302
    editor.refresh_from_db()
    assert not editor.is_active
    edits = ModelLogEntry.objects.filter(object_id=str(editor.pk), action="wagtail.edit")
    assert [entry.data["active"] for entry in edits.order_by("timestamp", "pk")] == [True, False]


def test_a_forgotten_password_is_replaced_and_a_bad_one_refused(admin_a, agency_a, staff_a):
    editor = staff_a[AgencyRole.EDITORS]
    weak = _edit_data(editor, password1="12345678", password2="12345678")
    response = admin_a.post(_edit_url(agency_a, editor), weak)
    assert "Mật khẩu này hoàn toàn là số." in response.content.decode()
    editor.refresh_from_db()
    assert not editor.check_password("12345678")
    new = _edit_data(editor, password1="Moi@2026-bientap", password2="Moi@2026-bientap")
    assert admin_a.post(_edit_url(agency_a, editor), new).status_code == 302
    editor.refresh_from_db()
    assert editor.check_password("Moi@2026-bientap")
    # Left empty: the password stays.
    assert admin_a.post(_edit_url(agency_a, editor), _edit_data(editor)).status_code == 302
    editor.refresh_from_db()
    assert editor.check_password("Moi@2026-bientap")


def test_the_administrator_cannot_lock_or_demote_themself(admin_a, agency_a, staff_a):
    me = staff_a[AgencyRole.ADMINISTRATORS]
    data = _edit_data(me, roles=[AgencyRole.ADMINISTRATORS])
    del data["is_active"]
    response = admin_a.post(_edit_url(agency_a, me), data)
    assert "Bạn không thể tự khóa tài khoản của mình." in response.content.decode()
    me.refresh_from_db()
    assert me.is_active
    demoted = _edit_data(me, roles=[AgencyRole.EDITORS])
    response = admin_a.post(_edit_url(agency_a, me), demoted)
    assert "Bạn không thể tự bỏ vai trò Quản trị cơ quan của mình." in response.content.decode()
    assert me.groups.filter(pk=agency_a.role_group(AgencyRole.ADMINISTRATORS).pk).exists()


def test_another_agency_and_its_users_are_out_of_reach(admin_a, agency_a, agency_b, staff_b):
    other = staff_b[AgencyRole.EDITORS]
    assert _refused(admin_a.get(_users_url(agency_b)))
    assert _refused(_create(admin_a, agency_b))
    assert not User.objects.filter(username="nguyen.van.an").exists()
    # Through its own agency's address: not a member there.
    assert admin_a.get(_edit_url(agency_a, other)).status_code == 404
    response = admin_a.post(_edit_url(agency_a, other), _edit_data(other))
    assert response.status_code == 404
    assert _refused(admin_a.post(_edit_url(agency_b, other), _edit_data(other)))
    assert list(other.groups.all()) == [agency_b.role_group(AgencyRole.EDITORS)]


def test_people_with_other_groups_are_left_to_the_province(admin_a, agency_a, agency_b):
    province_groups()
    two_agencies = make_user("hai.co.quan", agency_a.role_group(AgencyRole.EDITORS))
    two_agencies.groups.add(agency_b.role_group(AgencyRole.EDITORS))
    province = make_user("tinh.x", agency_a.role_group(AgencyRole.EDITORS))
    province.groups.add(Group.objects.get(name=PROVINCE_ADMINS))
    boss = make_user("sieu.quan.tri", agency_a.role_group(AgencyRole.EDITORS))
    User.objects.filter(pk=boss.pk).update(is_superuser=True)

    page = admin_a.get(_users_url(agency_a)).content.decode()
    assert "do quản trị cấp tỉnh quản lý" in page
    for user in (two_agencies, province, boss):
        assert _edit_url(agency_a, user) not in page
        data = _edit_data(user, roles=[AgencyRole.ADMINISTRATORS])
        assert _refused(admin_a.post(_edit_url(agency_a, user), data))
    assert not province.groups.filter(pk=agency_a.role_group(AgencyRole.ADMINISTRATORS).pk)


def test_editors_and_approvers_do_not_manage_users(client, agency_a, staff_a):
    for role in (AgencyRole.EDITORS, AgencyRole.REVIEWERS, AgencyRole.APPROVERS):
        client.force_login(staff_a[role])
        home = client.get(reverse("wagtailadmin_home")).content.decode()
        assert reverse("iso_agency_users_index") not in home
        assert _refused(client.get(reverse("iso_agency_users_index")))
        assert _refused(client.get(_users_url(agency_a)))
        assert _refused(_create(client, agency_a))
    assert not User.objects.filter(username="nguyen.van.an").exists()


def test_a_province_administrator_manages_any_agency(client, agency_a, agency_b):
    province_groups()
    admin = make_user("tinh.quantri.x", Group.objects.get(name=PROVINCE_ADMINS))
    client.force_login(admin)
    chooser = client.get(reverse("iso_agency_users_index")).content.decode()
    assert agency_a.title in chooser and agency_b.title in chooser
    assert _create(client, agency_b).status_code == 302
    user = User.objects.get(username="nguyen.van.an")
    assert list(user.groups.all()) == [agency_b.role_group(AgencyRole.EDITORS)]
