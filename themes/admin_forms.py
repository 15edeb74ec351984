"""The admin's sign-in form in Vietnamese.

Wagtail's LoginForm redeclares `password` without a label, so Django shows the field name
("Password"), which no catalogue can translate.
"""

from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm


class LoginForm(WagtailLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = "Mật khẩu"
