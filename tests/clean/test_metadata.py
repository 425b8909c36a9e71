"""Title, date and publisher come from the page's own lines, each with its source (#12)."""

from __future__ import annotations

import datetime as dt

from corpack.clean import clean
from corpack.clean.metadata import clean_publisher, read_meta_line

BODY = "近日，某县新的社会阶层人士联谊会成立，首批会员45人，涵盖律师、会计师和网络主播等群体。"


def meta(*lines: str) -> dict:
    return clean("\n".join(lines)).metadata


def test_headline_above_the_metadata_bar_not_the_breadcrumb_12():
    found = meta("当前位置：首页 > 热点问题 >社会民生 >", "某县新联会成立", "发布时间：2023-06-01 来源：某县融媒体中心", BODY)
    assert (found["title"], found["title_source"]) == ("某县新联会成立", "heading")
    assert (found["published"], found["published_source"]) == (dt.date(2023, 6, 1), "meta-line")
    assert found["publisher"] == "某县融媒体中心"


def test_a_cut_off_headline_takes_the_whole_copy_12():
    found = meta("某县成立新联会凝聚“新", "某县成立新联会凝聚“新”力量", BODY)
    assert found["title"] == "某县成立新联会凝聚“新”力量"


def test_page_title_with_site_name_becomes_the_headline_12():
    found = meta("某县成立新联会凝聚新力量_某县新闻网", "某县成立新联会凝聚新力量", BODY)
    assert found["title"] == "某县成立新联会凝聚新力量"


def test_breadcrumb_glued_to_headline_is_the_last_resort_12():
    found = meta("首页>>工作动态>>某县新的社会阶层人士联谊会正式成立", BODY)
    assert (found["title"], found["title_source"]) == ("某县新的社会阶层人士联谊会正式成立", "breadcrumb")


def test_traditional_meta_bar_with_mirror_stamp_loses_to_nothing_but_is_marked_12():
    found = meta("發佈時間：2024-11-16 09:21:31 來源： sp20241116", "中新网某市3月17日电 (记者 某某)" + BODY)
    assert (found["published"], found["published_source"]) == (dt.date(2024, 11, 16), "mirror-stamp")
    assert found["publisher"] == "中新网"


def test_dateline_with_a_year_beats_a_mirror_stamp_12():
    found = meta("2024-11-15 10:21:33", "新华社某地2023年3月4日电（记者 某某）" + BODY)
    assert (found["published"], found["published_source"]) == (dt.date(2023, 3, 4), "dateline")
    assert found["publisher"] == "新华社"


def test_bar_date_disagreeing_with_the_dateline_is_a_mirror_stamp_12():
    found = meta("发布时间：2022-12-30 来源：某某资讯", "中新网某市3月17日电 " + BODY)
    assert found["published_source"] == "mirror-stamp"


def test_no_statement_no_value_12():
    found = meta("某县新联会成立", "本报讯（记者 某某）" + BODY)
    assert "published" not in found and "publisher" not in found
    assert found["title"] == "某县新联会成立"


def test_publisher_loses_stray_brackets_and_stamps_12():
    assert clean_publisher("【某某日报】") == "某某日报"
    assert clean_publisher("某某网] sp20250101") == "某某网"
    assert clean_publisher("《某某》杂志") == "《某某》杂志"
    assert clean_publisher("sp20250101") is None
    assert read_meta_line("发布时间:2018年06月25日来源:编辑:统战部") == {"published": dt.date(2018, 6, 25)}


def test_manifest_overrides_and_says_so_12():
    from corpack.sources import Source
    from corpack.tables import document_rows

    text = "\n".join(["某县新联会成立", "发布时间：2023-06-01 来源：某县融媒体中心", BODY])
    source = Source("x", "x.txt", len(text.encode()), "0" * 64, "utf-8", text, metadata={"title": "人工标题"})
    row = document_rows(source, clean(text)).document
    assert (row["title"], row["title_source"]) == ("人工标题", "manifest")
    assert (row["published_source"], row["publisher"]) == ("meta-line", "某县融媒体中心")


def test_page_title_with_a_site_prefix_gives_way_to_the_article_heading_12():
    found = meta(
        "某某网:百余位代表聚某市探讨新阶层_某市-统战部-",
        "发布日期:2020-11-05  来源:某某新闻网(abc2012)  作者:某某",
        "百余位代表聚某市探讨新阶层人士与基层治理",
        BODY,
    )
    assert found["title"] == "百余位代表聚某市探讨新阶层人士与基层治理"
    assert found["publisher"] == "某某新闻网"


def test_the_page_title_copy_is_removed_when_the_heading_stands_alone_12():
    cleaned = clean("\n".join(["某县成立新联会凝聚“新", "某县成立新联会凝聚“新”力量", BODY]))
    assert [p.text for p in cleaned.paragraphs] == ["某县成立新联会凝聚“新”力量", BODY]
    assert cleaned.removed == {"title-repeat": 1}


def test_outlets_of_flash_datelines_and_wechat_bars_12():
    assert meta("某县新联会成立", "某某新闻网某地讯 9月27日上午，" + BODY)["publisher"] == "某某新闻网"
    assert meta("某县新联会成立", "【某市政府网消息】5月29日，" + BODY)["publisher"] == "某市政府网"
    assert meta("某县新联会成立", "某某台网10月29日某市讯 10月28日下午，" + BODY)["publisher"] == "某某台网"
    assert meta("某县新联会成立", "某某视网消息：" + BODY)["publisher"] == "某某视网"
    found = meta("某县新联会成立", "原创 张三 某某统战 2023-06-01 18:00 发表于某省", BODY)
    assert (found["publisher"], found["published"]) == ("某某统战", dt.date(2023, 6, 1))


def test_values_keep_the_script_of_the_page_12():
    assert meta("某縣新聯會成立", "臺灣某某網10月29日某市訊 10月28日下午，" + BODY)["publisher"] == "臺灣某某網"
    assert meta("某縣新聯會成立", "時間:2022-03-01 來源:某某新聞網 作者:某某", BODY)["publisher"] == "某某新聞網"


def test_the_sites_clock_is_not_a_publication_date_12():
    found = meta("今天是2024年3月5日 星期二", "某县新联会成立", BODY)
    assert "published" not in found and found["title"] == "某县新联会成立"


def test_a_subtitle_above_the_bar_is_not_the_title_12():
    found = meta("某市新阶层统战工作综述", "——凝聚新力量 展现新作为", "发布时间：2023-06-01", BODY)
    assert found["title"] == "某市新阶层统战工作综述"


def test_a_key_line_or_a_caption_is_never_the_title_12():
    found = meta("发布日期：8月7日", "来源：某某资讯", "某县新联会成立", BODY)
    assert (found["title"], found["publisher"]) == ("某县新联会成立", "某某资讯")
    found = meta("图为成立大会现场 某某 摄", "某县新联会成立", BODY)
    assert found["title"] == "某县新联会成立"


def test_the_dateline_outlet_is_found_below_captions_and_a_lead_12():
    found = meta(
        "某县新联会成立",
        "图为成立大会现场，会员代表合影留念，某某 摄",
        "成立大会上，会员代表们举手表决，通过联谊会章程，某某 摄",
        "中新网某市10月26日电（记者 某某）" + BODY,
    )
    assert found["publisher"] == "中新网"
    assert meta("某县新联会成立", "某某晚报12月29日讯（通讯员 某某）" + BODY)["publisher"] == "某某晚报"
    assert meta("某县新联会成立", "某某新闻客户端某市3月4日电 " + BODY)["publisher"] == "某某新闻客户端"


def test_a_dateline_takes_its_year_from_the_text_not_from_a_later_mirror_stamp_12():
    found = meta("sp20241116", "某县新联会成立", "中新网某市10月26日电（记者 某某）2023年，" + BODY)
    assert (found["published"], found["published_source"]) == (dt.date(2023, 10, 26), "dateline")
    found = meta("sp20241116", "某县新联会成立", "某某晚报10月26日讯 " + BODY, "2023年10月25日，会员们走进企业开展调研。")
    assert found["published"] == dt.date(2023, 10, 26)


def test_a_stamp_agreeing_with_the_dateline_gives_its_year_12():
    found = meta("sp20241028", "某县新联会成立", "中新网某市10月26日电 2023年，" + BODY)
    assert (found["published"], found["published_source"]) == (dt.date(2024, 10, 26), "dateline")
    found = meta("sp20250102", "某县新联会成立", "中新网某市12月30日电 " + BODY)
    assert found["published"] == dt.date(2024, 12, 30)


def test_years_that_look_back_or_come_after_the_stamp_do_not_date_the_dateline_12():
    found = meta("某县新联会成立", "某某晚报12月29日讯 2022年以来，" + BODY, "2019年10月，该会筹备组成立。")
    assert "published" not in found
    found = meta("sp20231116", "某县新联会成立", "中新网某市10月26日电 2024年，" + BODY)
    assert (found["published"], found["published_source"]) == (dt.date(2023, 11, 16), "mirror-stamp")


def test_a_caption_opening_the_page_is_not_the_title_even_as_the_first_paragraph_12():
    found = meta("图为成立大会现场，会员代表合影留念 某某 摄", "中新网某市7月2日电（记者 某某）" + BODY)
    assert "title" not in found and found["publisher"] == "中新网"


def test_an_author_and_date_glued_after_the_headline_are_not_the_title_12():
    found = meta("某县新联会正式成立     张三    2024年02月13日09:08", BODY)
    assert found["title"] == "某县新联会正式成立"


def test_a_row_of_short_items_is_not_the_title_12():
    found = meta("日 报 周 报 某某网", "某县新联会正式成立", BODY)
    assert found["title"] == "某县新联会正式成立"


def test_without_a_stamp_a_sentence_opening_year_dates_nothing_12():
    found = meta("某县新联会成立", "中新网某市1月25日电（记者 某某）" + BODY, "2015年，她赴外地求学。2021年，她当选会长。")
    assert "published" not in found
    found = meta("sp20241116", "某县新联会成立", "中新网某市10月26日电 " + BODY, "2015年，她赴外地求学。")
    assert found["published_source"] == "mirror-stamp"


def test_a_dateline_after_a_glued_headline_names_the_outlet_but_a_quoted_one_does_not_12():
    found = meta("某县新联会成立 中新网某市10月26日电（记者 某某）" + BODY)
    assert (found["publisher"], found["title"]) == ("中新网", "某县新联会成立")
    found = meta("某县新联会成立", "会上，据介绍，与会者说。 中新网某市10月26日电称" + BODY)
    assert "publisher" not in found


def test_without_a_bar_the_headline_is_the_first_after_the_breadcrumb_12():
    found = meta("24小时热点", "·某县开展安全巡检", "·某区举办读书分享会", "人物语录 更多", "某地新闻摘要汇编", "当前位置：首页 > 要闻", "某县新联会正式成立", BODY)
    assert found["title"] == "某县新联会正式成立"
    cleaned = clean("\n".join(["24小时热点", "·某县开展安全巡检", "·某区举办读书分享会", "人物语录 更多", "某县新联会正式成立", BODY]))
    assert cleaned.removed == {"link-list": 2, "prompt": 1}
