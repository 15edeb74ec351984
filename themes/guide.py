"""The Vietnamese user guide in the admin's help menu: one page per role, its daily tasks as steps.

The text is data here, rendered by themes/templates/guide/; the views only pick a role.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import render


@dataclass(frozen=True)
class Task:
    title: str
    steps: tuple[str, ...]


@dataclass(frozen=True)
class RoleGuide:
    slug: str
    name: str
    summary: str
    tasks: tuple[Task, ...]


_SUBMIT = Task(
    "Gửi duyệt một thay đổi",
    (
        "Mở trang đã sửa, bấm mũi tên cạnh nút «Lưu bản nháp» ở cuối màn hình.",
        "Chọn «Gửi duyệt». Trang chuyển sang bước «Kiểm tra»; người kiểm tra nhận thư báo.",
        "Theo dõi tình trạng ở nhãn trên đầu trang: «Đang chờ duyệt», «Đã lên lịch», "
        "«Đã xuất bản».",
        "Nếu bị trả lại, mở trang, đọc ý kiến ở «Lịch sử duyệt», sửa và gửi duyệt lại.",
    ),
)

ROLE_GUIDES: tuple[RoleGuide, ...] = (
    RoleGuide(
        "bien-tap-vien",
        "Biên tập viên (cán bộ phụ trách ISO)",
        "Soạn và sửa thủ tục, biểu mẫu, tài liệu của cơ quan; không tự xuất bản.",
        (
            Task(
                "Sửa một biểu mẫu hoặc thủ tục",
                (
                    "Trên thanh bên trái chọn «Trang», mở cơ quan của mình, rồi «Biểu mẫu» "
                    "hoặc «Thủ tục hành chính».",
                    "Bấm tên trang cần sửa. Các thẻ «Nội dung», «Đường dẫn» và «Cài đặt» "
                    "nằm ở đầu màn hình.",
                    "Sửa nội dung; ghi «Tóm tắt thay đổi» để người duyệt biết vì sao sửa.",
                    "Bấm «Lưu bản nháp». Bản nháp chưa hiển thị cho người dân.",
                ),
            ),
            Task(
                "Thêm một biểu mẫu mới",
                (
                    "Mở «Biểu mẫu» của cơ quan, bấm «Thêm trang con».",
                    "Nhập mã hiệu (ví dụ BM.01-QT.05), tên biểu mẫu, chọn tệp mẫu (PDF, DOCX…).",
                    "Chọn đối tượng sử dụng: «Người dân» (hiện trên cổng) hoặc «Nội bộ».",
                    "Đặt «Ngày hiệu lực» ở thẻ «Cài đặt» nếu biểu mẫu áp dụng từ một ngày sau.",
                    "Lưu bản nháp rồi gửi duyệt.",
                ),
            ),
            _SUBMIT,
            Task(
                "Tải lên tệp",
                (
                    "Chọn «Tài liệu» trên thanh bên, bấm «Thêm tài liệu».",
                    "Kéo thả tệp hoặc bấm «Chọn tệp». Hệ thống nhận pdf, doc, docx, xls, xlsx, "
                    "odt, ods, tối đa 20 MB.",
                    "Đặt tên dễ nhận biết; tệp chỉ dùng được trong cơ quan của mình.",
                ),
            ),
        ),
    ),
    RoleGuide(
        "kiem-tra",
        "Người kiểm tra",
        "Kiểm tra nội dung do biên tập viên gửi trước khi lãnh đạo phê duyệt.",
        (
            Task(
                "Kiểm tra một trang đang chờ",
                (
                    "Trên «Bảng điều khiển», mục «Đang chờ bạn duyệt» liệt kê các trang.",
                    "Bấm tên trang, dùng «So sánh» ở «Lịch sử» để xem đã sửa những gì.",
                    "Bấm «Phê duyệt» để chuyển lên lãnh đạo, hoặc «Yêu cầu sửa» và ghi rõ lý do.",
                ),
            ),
            Task(
                "Xem lại việc đã làm",
                (
                    "Mở «Báo cáo» → «Quy trình duyệt» để thấy mọi trang đang trong quy trình.",
                    "«Lịch sử» của từng trang ghi ai làm gì, lúc nào.",
                ),
            ),
        ),
    ),
    RoleGuide(
        "lanh-dao-phe-duyet",
        "Lãnh đạo phê duyệt",
        "Phê duyệt hoặc trả lại; phê duyệt là ban hành phiên bản mới.",
        (
            Task(
                "Phê duyệt một phiên bản",
                (
                    "Trên «Bảng điều khiển» chọn trang ở mục «Đang chờ bạn duyệt».",
                    "Xem nội dung và «So sánh» với phiên bản đang hiệu lực.",
                    "Bấm «Phê duyệt». Nếu có «Ngày hiệu lực», phiên bản được lên lịch và tự có "
                    "hiệu lực vào ngày đó; phiên bản cũ hết hiệu lực cùng lúc.",
                    "Bạn không thể phê duyệt nội dung do chính mình soạn hoặc gửi.",
                ),
            ),
            Task(
                "Trả lại để sửa",
                (
                    "Bấm «Yêu cầu sửa», ghi ý kiến cụ thể rồi xác nhận.",
                    "Biên tập viên nhận thư báo kèm ý kiến của bạn.",
                ),
            ),
            Task(
                "Xem các lần ban hành",
                (
                    "Trên trang biểu mẫu bấm «Các lần ban hành»: mỗi lần có người phê duyệt, "
                    "thời điểm và tóm tắt thay đổi.",
                ),
            ),
        ),
    ),
    RoleGuide(
        "quan-tri-co-quan",
        "Quản trị cơ quan",
        "Quản lý người dùng và cài đặt của cơ quan mình.",
        (
            Task(
                "Thêm người dùng",
                (
                    "Chọn «Người dùng của cơ quan» trên thanh bên, bấm «Thêm người dùng».",
                    "Nhập tên đăng nhập, họ tên, thư điện tử, mật khẩu và chọn vai trò.",
                    "Bấm «Thêm người dùng» ở cuối biểu mẫu. Mọi thay đổi được ghi vào "
                    "«Lịch sử hệ thống».",
                ),
            ),
            Task(
                "Đổi vai trò, đặt lại mật khẩu, khóa tài khoản",
                (
                    "Mở «Người dùng của cơ quan», bấm tên người dùng.",
                    "Đổi vai trò, đặt mật khẩu mới, hoặc bỏ chọn «Đang hoạt động» để khóa; "
                    "bấm «Lưu».",
                ),
            ),
            Task(
                "Xem danh mục tài liệu",
                (
                    "Chọn «Danh mục tài liệu»: mọi tài liệu, biểu mẫu với mã hiệu, lần ban hành, "
                    "ngày hiệu lực; bấm «Xuất Excel (XLSX)» để in.",
                ),
            ),
        ),
    ),
    RoleGuide(
        "quan-tri-cap-tinh",
        "Quản trị cấp tỉnh (Sở Khoa học và Công nghệ)",
        "Xem mọi cơ quan, thêm cơ quan, theo dõi toàn tỉnh.",
        (
            Task(
                "Thêm một cơ quan, đơn vị",
                (
                    "Chọn «Thêm cơ quan, đơn vị», nhập tên, tên viết tắt, mã cơ quan, cấp.",
                    "Bấm «Tạo cơ quan»: hệ thống tạo sẵn các mục, nhóm người dùng "
                    "và quy trình duyệt.",
                ),
            ),
            Task(
                "Theo dõi các cơ quan",
                (
                    "Mở «Trang» để xem cây trang của mọi cơ quan.",
                    "«Báo cáo» → «Quy trình duyệt» và «Trang lâu chưa cập nhật» cho biết "
                    "cơ quan nào còn việc tồn.",
                    "«Danh mục tài liệu» của từng cơ quan cho biết tài liệu đang hiệu lực.",
                ),
            ),
        ),
    ),
    RoleGuide(
        "danh-gia-vien-noi-bo",
        "Đánh giá viên nội bộ",
        "Đọc hệ thống quản lý chất lượng của cơ quan trong đợt đánh giá.",
        (
            Task(
                "Đọc tài liệu của cơ quan được đánh giá",
                (
                    "Mở «Trang», chọn cơ quan, rồi «Hệ thống quản lý chất lượng».",
                    "Mỗi tài liệu ghi mã hiệu, lần ban hành, ngày hiệu lực, người phê duyệt.",
                    "«Lịch sử» và «So sánh» cho thấy ai đã thay đổi gì, khi nào.",
                ),
            ),
            Task(
                "Tìm một biểu mẫu, tài liệu",
                ("Chọn «Tìm biểu mẫu, tài liệu», gõ tên hoặc mã hiệu, có dấu hoặc không dấu.",),
            ),
        ),
    ),
)


def role_guide_get(*, slug: str) -> RoleGuide | None:
    return next((guide for guide in ROLE_GUIDES if guide.slug == slug), None)


def guide_index_view(request):
    context = {"guides": ROLE_GUIDES, "header_title": "Hướng dẫn sử dụng"}
    return render(request, "guide/index.html", context)


def guide_role_view(request, slug: str):
    guide = role_guide_get(slug=slug)
    if guide is None:
        raise Http404("Không có hướng dẫn này.")
    return render(
        request,
        "guide/role.html",
        {"guide": guide, "guides": ROLE_GUIDES, "header_title": f"Hướng dẫn: {guide.name}"},
    )
