"""Each service uses its own database unless told otherwise, also through a settings copy."""

from casebus.settings import Settings


def test_unset_database_is_the_services_own() -> None:
    assert Settings(service="routing").dsn.endswith("/routing")


def test_a_copy_for_another_service_gets_that_services_database() -> None:
    copied = Settings(service="intake").model_copy(update={"service": "reporting"})
    assert copied.dsn.endswith("/reporting")


def test_an_explicit_database_url_wins() -> None:
    url = "postgresql://u@db:5432/cases"
    assert Settings(service="reporting", database_url=url).model_copy(
        update={"service": "routing"}).dsn == url
