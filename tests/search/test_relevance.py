"""The relevance set: what a citizen or officer types, and the result that must come first.

Runs on whichever database the suite runs on (SQLite by default; PostgreSQL with DATABASE_URL).
"""

import unicodedata

import pytest

from search.selectors import find_forms, find_procedures

pytestmark = pytest.mark.django_db

NFD = unicodedata.normalize("NFD", "tờ khai đăng ký khai tử")

FORM_QUERIES = [
    # names, without and with diacritics, any case
    ("mau to khai dang ky ket hon", "ket_hon"),
    ("Mẫu tờ khai đăng ký kết hôn", "ket_hon"),
    ("MẪU TỜ KHAI ĐĂNG KÝ KẾT HÔN", "ket_hon"),
    ("to khai dang ky ket hon", "ket_hon"),
    ("ket hon", "ket_hon"),
    ("kết hôn yếu tố nước ngoài", "ket_hon_nn"),
    ("dang ky khai sinh", "khai_sinh"),
    ("khai tu", "khai_tu"),
    (NFD, "khai_tu"),
    ("ly lich tu phap", "ly_lich"),
    ("phieu ly lich", "ly_lich"),
    ("chung thuc chu ky", "chu_ky"),
    ("chứng thực bản sao", "ban_sao"),
    ("thay doi thong tin cu tru", "cu_tru"),
    ("tranh chấp đất đai", "dat_dai"),
    ("hen tra ket qua", "hen_tra"),
    ("xac nhan tinh trang hon nhan", "hon_nhan"),
    ("giay phep xay dung", "xay_dung"),
    ("dang ky thuong tru", "thuong_tru"),
    ("giay phep lai xe", "lai_xe"),
    ("the bao hiem y te", "bhyt"),
    ("bien dong dat dai", "dang_ky_dat"),
    # partial names: a word still being typed, words out of order, filler words
    ("dang ky khai si", "khai_sinh"),
    ("tư pháp lý lịch", "ly_lich"),
    ("mẫu đơn giấy phép lái xe", "lai_xe"),
    ("biểu mẫu chứng thực chữ ký", "chu_ky"),
    # codes, in any spelling
    ("BM.01-QT.05", "ket_hon"),
    ("bm.01-qt.05", "ket_hon"),
    ("BM-01/QT05", "ket_hon"),
    ("bm01qt05", "ket_hon"),
    ("BM01", "ket_hon"),
    ("bm.01", "ket_hon"),
    ("BM 02", "khai_sinh"),
    ("CT01", "cu_tru"),
    ("ct 01", "cu_tru"),
    ("GPLX01", "lai_xe"),
    ("bhyt-02", "bhyt"),
    ("DD.01", "dang_ky_dat"),
    ("đđ01", "dang_ky_dat"),
    # the legal document that prescribes the form
    ("Thông tư 53/2025/TT-BCA", "cu_tru"),
]

PROCEDURE_QUERIES = [
    ("1.000894", "p_ket_hon"),
    ("1000894", "p_ket_hon"),
    ("1.001193", "p_khai_sinh"),
    ("2.000815", "p_chu_ky"),
    ("2.000815.000.00.00.H35", "p_chu_ky"),
    ("dang ky ket hon", "p_ket_hon"),
    ("Đăng ký khai sinh", "p_khai_sinh"),
    ("ly lich tu phap", "p_ly_lich"),
    ("chung thuc chu ky", "p_chu_ky"),
    ("thuong tru", "p_thuong_tru"),
]


@pytest.mark.parametrize(("query", "expected"), FORM_QUERIES)
def test_form_query_puts_expected_form_first(corpus, query, expected):
    results = find_forms(query)
    titles = [hit.title for hit in results.hits]
    assert titles, f"«{query}» found nothing"
    assert results.hits[0].page.pk == corpus.forms[expected].pk, f"«{query}» → {titles[:5]}"


@pytest.mark.parametrize(("query", "expected"), PROCEDURE_QUERIES)
def test_procedure_query_puts_expected_procedure_first(corpus, query, expected):
    results = find_procedures(query)
    titles = [hit.title for hit in results.hits]
    assert titles, f"«{query}» found nothing"
    assert results.hits[0].page.pk == corpus.procedures[expected].pk, f"«{query}» → {titles}"


def test_exact_code_ranks_above_a_title_that_mentions_it(corpus):
    # "BM.12-XD.02" is the code of one form; "xây dựng" forms mention nothing of it.
    results = find_forms("BM.12-XD.02")
    assert results.hits[0].page.pk == corpus.forms["xay_dung"].pk
    assert results.hits[0].match == "code"


def test_title_phrase_ranks_above_scattered_title_words(corpus):
    # Both titles contain "đăng ký" and "kết hôn"; only these keep them together.
    results = find_forms("đăng ký kết hôn")
    assert [hit.page.pk for hit in results.hits[:2]] == [
        corpus.forms["ket_hon"].pk,
        corpus.forms["ket_hon_nn"].pk,
    ]


def test_code_query_does_not_return_unrelated_forms(corpus):
    results = find_forms("BM-01/QT05")
    assert [hit.page.pk for hit in results.hits] == [corpus.forms["ket_hon"].pk]


def test_result_shows_agency_field_version_and_download(corpus):
    hit = find_forms("ket hon").hits[0]
    assert hit.agency.pk == corpus.agencies["A"].pk
    assert [f.name for f in hit.fields] == ["Hộ tịch"]
    assert hit.issue_label == "01"
    assert hit.download_url and hit.download_url.startswith("/documents/")
