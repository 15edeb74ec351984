"""ISO 9001:2015 clauses 4–10 and a starter question bank, as data (TCVN ISO 9001:2015)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

CLAUSES: list[tuple[str, str]] = [
    ("4", "Bối cảnh của tổ chức"),
    ("4.1", "Hiểu tổ chức và bối cảnh của tổ chức"),
    ("4.2", "Hiểu nhu cầu và mong đợi của các bên quan tâm"),
    ("4.3", "Xác định phạm vi của hệ thống quản lý chất lượng"),
    ("4.4", "Hệ thống quản lý chất lượng và các quá trình"),
    ("5", "Sự lãnh đạo"),
    ("5.1", "Sự lãnh đạo và cam kết"),
    ("5.2", "Chính sách chất lượng"),
    ("5.3", "Vai trò, trách nhiệm và quyền hạn trong tổ chức"),
    ("6", "Hoạch định"),
    ("6.1", "Hành động giải quyết rủi ro và cơ hội"),
    ("6.2", "Mục tiêu chất lượng và hoạch định để đạt được mục tiêu"),
    ("6.3", "Hoạch định các thay đổi"),
    ("7", "Hỗ trợ"),
    ("7.1", "Nguồn lực"),
    ("7.2", "Năng lực"),
    ("7.3", "Nhận thức"),
    ("7.4", "Trao đổi thông tin"),
    ("7.5", "Thông tin dạng văn bản"),
    ("8", "Thực hiện"),
    ("8.1", "Hoạch định và kiểm soát việc thực hiện"),
    ("8.2", "Yêu cầu đối với sản phẩm và dịch vụ"),
    ("8.3", "Thiết kế và phát triển sản phẩm và dịch vụ"),
    ("8.4", "Kiểm soát quá trình, sản phẩm và dịch vụ do bên ngoài cung cấp"),
    ("8.5", "Sản xuất và cung cấp dịch vụ"),
    ("8.6", "Thông qua sản phẩm và dịch vụ"),
    ("8.7", "Kiểm soát đầu ra không phù hợp"),
    ("9", "Đánh giá kết quả thực hiện"),
    ("9.1", "Theo dõi, đo lường, phân tích và đánh giá"),
    ("9.2", "Đánh giá nội bộ"),
    ("9.3", "Xem xét của lãnh đạo"),
    ("10", "Cải tiến"),
    ("10.1", "Khái quát"),
    ("10.2", "Sự không phù hợp và hành động khắc phục"),
    ("10.3", "Cải tiến liên tục"),
]
CLAUSE_TITLES = dict(CLAUSES)
CLAUSE_CHOICES = [(code, f"{code}. {title}") for code, title in CLAUSES]
MAIN_CLAUSES = [code for code, _ in CLAUSES if "." not in code]
DEFAULT_CLAUSES = ", ".join(MAIN_CLAUSES)


def clause_main(code: str) -> str:
    """The main clause (4–10) a sub-clause belongs to: "7.5" → "7"."""
    return code.split(".", 1)[0]


def clause_list_parse(value: str) -> list[str]:
    """ "4, 7.5; 9" → ["4", "7.5", "9"]; refuses a clause ISO 9001:2015 does not have."""
    codes = [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
    unknown = [code for code in codes if code not in CLAUSE_TITLES]
    if unknown:
        raise ValidationError(
            f"Điều khoản không có trong TCVN ISO 9001:2015: {', '.join(unknown)}. "
            "Ghi các điều khoản từ 4 đến 10, cách nhau bởi dấu phẩy, ví dụ: 4, 7.5, 8.5."
        )
    return codes


def validate_clause_list(value: str) -> None:
    clause_list_parse(value)


# A starter bank: questions an internal auditor of a Vietnamese agency asks, per clause.
QUESTION_BANK: dict[str, list[str]] = {
    "4.1": [
        "Cơ quan đã xác định và định kỳ xem xét các vấn đề bên ngoài, nội bộ liên quan đến "
        "HTQLCL chưa? Bằng chứng là tài liệu nào?",
    ],
    "4.2": [
        "Các bên quan tâm (người dân, doanh nghiệp, cơ quan cấp trên) và yêu cầu của họ đã "
        "được xác định, cập nhật chưa?",
    ],
    "4.3": ["Phạm vi áp dụng HTQLCL có được công bố và phù hợp với các thủ tục đang giải quyết?"],
    "4.4": [
        "Các quy trình nội bộ giải quyết TTHC có được xây dựng, cập nhật theo quy định hiện "
        "hành (Nghị định 118/2025/NĐ-CP)?",
    ],
    "5.1": ["Lãnh đạo có chủ trì xem xét HTQLCL và bố trí nguồn lực cho việc duy trì?"],
    "5.2": ["Chính sách chất lượng có được công bố, phổ biến và cán bộ hiểu được không?"],
    "5.3": ["Trách nhiệm, quyền hạn của cán bộ phụ trách ISO có được phân công bằng văn bản?"],
    "6.1": ["Rủi ro và cơ hội của các quá trình đã được nhận diện và có biện pháp xử lý?"],
    "6.2": [
        "Mục tiêu chất lượng năm có đo lường được, có kế hoạch thực hiện và được theo dõi "
        "định kỳ không?",
    ],
    "6.3": ["Các thay đổi HTQLCL (sáp nhập, thay đổi thủ tục) có được hoạch định?"],
    "7.1": ["Cơ sở vật chất, trang thiết bị tại Bộ phận Một cửa có đáp ứng yêu cầu?"],
    "7.2": ["Cán bộ có được đào tạo về ISO 9001:2015 và nghiệp vụ; có hồ sơ đào tạo?"],
    "7.3": ["Cán bộ có nhận thức được đóng góp của mình vào hiệu lực của HTQLCL?"],
    "7.4": ["Việc trao đổi thông tin nội bộ và với người dân được thực hiện như thế nào?"],
    "7.5": [
        "Tài liệu sử dụng tại nơi làm việc có phải phiên bản còn hiệu lực (lần ban hành, "
        "ngày hiệu lực)?",
        "Hồ sơ có được lưu trữ, bảo quản theo thời hạn quy định?",
    ],
    "8.1": ["Các quá trình giải quyết TTHC có được thực hiện theo quy trình nội bộ đã ban hành?"],
    "8.2": ["Thông tin về thủ tục, biểu mẫu, phí, lệ phí có được niêm yết, công khai đầy đủ?"],
    "8.5": [
        "Hồ sơ được chọn mẫu có được giải quyết đúng hạn, đúng thành phần hồ sơ và theo "
        "đúng các bước của quy trình?",
        "Phiếu tiếp nhận và hẹn trả kết quả có được lập đầy đủ?",
    ],
    "8.6": ["Kết quả giải quyết có được kiểm tra, phê duyệt trước khi trả cho người dân?"],
    "8.7": ["Hồ sơ trễ hạn, sai sót có được nhận diện, xử lý và xin lỗi người dân theo quy định?"],
    "9.1": [
        "Sự hài lòng của người dân có được theo dõi; số liệu giải quyết hồ sơ có được phân tích?",
    ],
    "9.2": ["Đánh giá nội bộ có được thực hiện theo chương trình, kế hoạch đã phê duyệt?"],
    "9.3": ["Cuộc họp xem xét của lãnh đạo có đủ đầu vào và kết luận được theo dõi thực hiện?"],
    "10.2": [
        "Sự không phù hợp lần trước có được phân tích nguyên nhân và khắc phục có hiệu lực?",
    ],
    "10.3": ["Cơ quan có sáng kiến cải tiến nào được áp dụng trong năm?"],
}


def question_bank_for(clause: str) -> list[tuple[str, str]]:
    """(clause, question) pairs for a clause: a main clause takes all its sub-clauses'."""
    if "." in clause:
        return [(clause, q) for q in QUESTION_BANK.get(clause, [])]
    return [
        (code, q)
        for code, _ in CLAUSES
        if clause_main(code) == clause
        for q in QUESTION_BANK.get(code, [])
    ]
