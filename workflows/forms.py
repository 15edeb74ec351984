import re
import unicodedata

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator

from content_types.agency import AgencyPage, AgencyRole
from content_types.text import normalise_agency_code


class AgencyCreateForm(forms.ModelForm):
    class Meta:
        model = AgencyPage
        fields = ["title", "short_name", "agency_code", "level", "address", "phone", "email"]
        labels = {"title": "Tên cơ quan"}
        help_texts = {"title": "Tên đầy đủ, ví dụ Sở Tư pháp tỉnh Quảng Ninh."}

    def clean_agency_code(self) -> str:
        return normalise_agency_code(self.cleaned_data.get("agency_code", ""))

    def _get_validation_exclusions(self):
        # Tree fields are set by the service when the page is added under the portal.
        return {*super()._get_validation_exclusions(), "path", "depth", "url_path", "slug"}


_ASCII_USERNAME = re.compile(r"[A-Za-z0-9@.+_-]+")


class AgencyUserForm(forms.Form):
    """A user of one agency: name, e-mail, roles in that agency; a new user also gets a
    username and a password."""

    username = forms.CharField(
        label="Tên đăng nhập",
        max_length=150,
        help_text="Chữ không dấu, chữ số và các ký tự @ . + - _, ví dụ nguyen.van.an.",
    )
    full_name = forms.CharField(label="Họ và tên", max_length=150)
    email = forms.EmailField(
        label="Thư điện tử",
        help_text="Thông báo chờ duyệt và kết quả phê duyệt được gửi tới địa chỉ này.",
        error_messages={"invalid": "Địa chỉ thư điện tử không hợp lệ, ví dụ an@stp.gov.vn."},
    )
    roles = forms.MultipleChoiceField(
        label="Vai trò",
        choices=AgencyRole.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Chọn ít nhất một vai trò.",
            "invalid_choice": "Vai trò «%(value)s» không có trong cơ quan.",
        },
    )
    password1 = forms.CharField(label="Mật khẩu", widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label="Nhập lại mật khẩu", widget=forms.PasswordInput, strip=False)
    is_active = forms.BooleanField(
        label="Đang hoạt động",
        required=False,
        help_text="Bỏ chọn để khóa tài khoản: người dùng không đăng nhập được nữa.",
    )

    def __init__(self, *args, editing=None, acting_user=None, **kwargs):
        """`editing`: the user being changed (no username then; a new password only if typed,
        for someone who forgot theirs)."""
        super().__init__(*args, **kwargs)
        self.editing = editing
        self.acting_user = acting_user
        if editing is None:
            del self.fields["is_active"]
            # clean_username refuses a NUL among every other non-ASCII character, in Vietnamese.
            self.fields["username"].validators = [
                v
                for v in self.fields["username"].validators
                if not isinstance(v, ProhibitNullCharactersValidator)
            ]
        else:
            del self.fields["username"]
            self.fields["password1"].label = "Mật khẩu mới"
            self.fields["password1"].help_text = "Để trống nếu không đổi mật khẩu."
            for name in ("password1", "password2"):
                self.fields[name].required = False

    def clean_username(self) -> str:
        # NFKC first, as Django stores it ("ｂ" is "b"), so a look-alike is found as a duplicate;
        # then ASCII only, as the help text says ("không dấu").
        username = unicodedata.normalize("NFKC", self.cleaned_data["username"]).strip()
        if not _ASCII_USERNAME.fullmatch(username):
            raise ValidationError(
                "Tên đăng nhập chỉ gồm chữ không dấu, chữ số và các ký tự @ . + - _."
            )
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise ValidationError(f"Tên đăng nhập «{username}» đã có người dùng.")
        return username

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise ValidationError("Nhập họ và tên.")
        return name

    def clean_roles(self) -> list[str]:
        roles = self.cleaned_data["roles"]
        if (
            self.editing is not None
            and self.editing == self.acting_user
            and AgencyRole.ADMINISTRATORS not in roles
        ):
            # Nobody would be left to undo it but the province.
            raise ValidationError("Bạn không thể tự bỏ vai trò Quản trị cơ quan của mình.")
        return roles

    def clean_is_active(self) -> bool:
        active = self.cleaned_data.get("is_active", False)
        if not active and self.editing is not None and self.editing == self.acting_user:
            raise ValidationError("Bạn không thể tự khóa tài khoản của mình.")
        return active

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if (first or second) and first != second:
            self.add_error("password2", "Hai lần nhập mật khẩu không khớp.")
        elif first:
            candidate = self.editing or get_user_model()(username=cleaned.get("username", ""))
            candidate.email = cleaned.get("email", candidate.email)
            try:
                password_validation.validate_password(first, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned
