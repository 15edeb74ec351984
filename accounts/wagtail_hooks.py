from django.urls import reverse

from wagtail import hooks


@hooks.register("register_log_actions")
def register_unlock_log_action(actions):
    actions.register_action("iso.unlock", "Mở khóa đăng nhập", "Đã mở khóa đăng nhập")


@hooks.register("register_account_menu_item")
def register_second_factor_item(request):
    """On the admin's account page («Tài khoản»): enrol, or renew the recovery codes."""
    return {
        "url": reverse("accounts_enrol"),
        "label": "Xác thực hai bước",
        "help_text": "Bật xác thực hai bước bằng ứng dụng trên điện thoại, tạo mã khôi phục mới.",
    }
