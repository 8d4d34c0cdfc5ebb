import pytest


@pytest.mark.django_db
def test_the_home_page_is_in_chinese_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "zh-hans"
    assert "长春市社会救助服务平台" in response.text


@pytest.mark.django_db
def test_the_home_page_switches_to_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    assert response.headers["Content-Language"] == "en"
    assert "Changchun Social Assistance Platform" in response.text
    assert "Apply for assistance" in response.text


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_chromium_shows_the_home_page_in_chinese_and_switches_to_english(live_server, page):
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "长春市社会救助服务平台"
    assert page.locator("html").get_attribute("lang") == "zh-hans"

    page.select_option("#language-select", "en")
    page.get_by_test_id("switch-language").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Changchun Social Assistance Platform"
    assert page.locator("html").get_attribute("lang") == "en"


@pytest.mark.django_db
def test_an_english_browser_still_gets_chinese_until_it_chooses(client):
    response = client.get("/", headers={"accept-language": "en-US,en;q=0.9"})
    assert response.headers["Content-Language"] == "zh-hans"
    assert "申请救助" in response.text
