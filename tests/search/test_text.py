import unicodedata

from content_types.text import code_key, code_search_terms, search_text
from search.query import query_parse


def test_folding_removes_case_diacritics_and_d_stroke():
    assert search_text("Mẫu TỜ KHAI Đăng ký kết hôn") == "mau to khai dang ky ket hon"


def test_composed_and_decomposed_text_fold_alike():
    text = "Giấy đề nghị chứng thực"
    assert search_text(unicodedata.normalize("NFD", text)) == search_text(text)


def test_every_spelling_of_a_code_has_the_same_key():
    keys = {code_key(c) for c in ["BM.01-QT.05", "bm01qt05", "BM-01/QT05", "bm 01 qt 05"]}
    assert keys == {"bm01qt05"}


def test_code_terms_let_a_national_code_find_the_province_code():
    terms = code_search_terms("1.001193.000.00.00.H35").split()
    assert "1001193" in terms and "001193" in terms


def test_query_is_bounded_and_explains_why():
    parsed = query_parse("tờ khai " * 2000)
    assert len(parsed.text) <= 200 and len(parsed.tokens) <= 40  # a long legal name fits
    assert "Chỉ dùng 40 từ đầu tiên để tìm." in parsed.notes


def test_query_of_only_symbols_has_nothing_to_search_and_says_so():
    parsed = query_parse('"*()😀 NEAR(')
    assert parsed.tokens == ("near",)
    assert query_parse("!!! 😀 ???").is_blank
    assert query_parse("!!! 😀 ???").notes
